"""Shared building blocks of the desired-state models."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, values are immutable and of the exact
    type (validating what Auth0 returns says `strict=False`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


OrgName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=50, pattern=r"^[a-z0-9_-]+$"),
]
"""An organization name as Auth0 accepts it: 1..50 of lowercase letters, digits, `-`, `_`."""

RoleName = Annotated[str, StringConstraints(min_length=1, max_length=255)]
ApiIdentifier = Annotated[str, StringConstraints(min_length=1, max_length=600)]
PermissionName = Annotated[str, StringConstraints(min_length=1, max_length=280)]
EmailAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
DomainName = Annotated[
    str,
    StringConstraints(
        to_lower=True,
        max_length=253,
        pattern=r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$",
    ),
]
