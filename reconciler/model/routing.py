"""An organization's routing rules: who lands in it at login, with which roles, which wins."""

import json
import re
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from reconciler.model.common import RoleName, Strict
from reconciler.model.patterns import check_pattern

MAX_ATTRIBUTE_RULES = 50
MAX_IN_VALUES = 100
MAX_PATH_DEPTH = 8
MIN_PRIORITY = -1000
MAX_PRIORITY = 1000

METADATA_ROOTS = ("user_metadata", "app_metadata")
"""Roots of a dotted path into the user's metadata: `app_metadata.customer.id`."""
PROFILE_FIELDS = (
    "email_verified",
    "phone_verified",
    "user_id",
    "username",
    "name",
    "given_name",
    "family_name",
    "nickname",
    "phone_number",
)
"""Root profile fields an attribute rule may read on their own. Email addresses are routed by
`email_domains`, which trusts verified addresses only, so `email` is not among them."""

ACTION_RECORD_KEY = "org_routing"
"""The `app_metadata` key the post-login Action writes (its record of default roles given):
no attribute rule may read it."""

WILDCARD = "*."
_LABELS = r"([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}"
_EMAIL_DOMAIN = re.compile(rf"(\*\.)?{_LABELS}")
_SEGMENT = re.compile(r"[A-Za-z0-9_-]{1,128}")
_FORBIDDEN_SEGMENTS = frozenset({"__proto__"})


def _email_domain(value: str) -> str:
    lowered = value.lower()
    if len(lowered) > 253 or not _EMAIL_DOMAIN.fullmatch(lowered):
        raise ValueError(
            "must be a domain name such as example.com, or a wildcard such as *.example.com "
            f"for its subdomains (got {json.dumps(value)})"
        )
    return lowered


EmailDomain = Annotated[
    str,
    AfterValidator(_email_domain),
    WithJsonSchema(
        {"type": "string", "pattern": rf"^(\*\.)?{_LABELS}$", "maxLength": 253},
    ),
]
"""`acme.com` (that domain only) or `*.acme.com` (any subdomain of acme.com, not acme.com)."""


def _attribute_path(value: str) -> str:
    parts = value.split(".")
    root, rest = parts[0], parts[1:]
    if root in METADATA_ROOTS:
        if root == "app_metadata" and rest[:1] == [ACTION_RECORD_KEY]:
            raise ValueError(
                f"app_metadata.{ACTION_RECORD_KEY} is written by the post-login Action (its record "
                f"of default roles given) and cannot route users (got {json.dumps(value)})"
            )
        if not rest or len(rest) > MAX_PATH_DEPTH:
            raise ValueError(
                f"{root} needs 1 to {MAX_PATH_DEPTH} keys after it, such as {root}.team "
                f"(got {json.dumps(value)})"
            )
        for segment in rest:
            if not _SEGMENT.fullmatch(segment) or segment in _FORBIDDEN_SEGMENTS:
                raise ValueError(
                    f"key {json.dumps(segment)} of {json.dumps(value)} must be 1..128 letters, "
                    'digits, "_" or "-"'
                )
        return value
    if root in PROFILE_FIELDS and not rest:
        return value
    roots = ", ".join([f"{r}.<key>" for r in METADATA_ROOTS] + list(PROFILE_FIELDS))
    raise ValueError(f"must be one of {roots} (got {json.dumps(value)})")


def _pattern(value: str) -> str:
    try:
        return check_pattern(value)
    except ValueError as error:
        raise ValueError(f"{json.dumps(value)} {error}") from None


_PATH_SCHEMA = (
    rf"^(({'|'.join(METADATA_ROOTS)})(\.[A-Za-z0-9_-]{{1,128}}){{1,{MAX_PATH_DEPTH}}}"
    rf"|{'|'.join(PROFILE_FIELDS)})$"
)
AttributePath = Annotated[
    str,
    AfterValidator(_attribute_path),
    WithJsonSchema({"type": "string", "pattern": _PATH_SCHEMA}),
]
AttributeValue = Annotated[str, StringConstraints(max_length=255)]
Pattern = Annotated[str, AfterValidator(_pattern)]

ATTRIBUTE_KEYS = ("path", "equals", "in", "matches")
_TESTS = ("equals", "in", "matches")


class AttributeRule(Strict):
    """Admit users whose profile value at `path` equals a string, is one of a list, or fully
    matches a pattern. A list value matches when one of its elements does; strings, booleans
    (`"true"`, `"false"`) and whole numbers are compared as text, anything else never matches.
    """

    path: AttributePath
    equals: AttributeValue | None = None
    in_: list[AttributeValue] | None = Field(default=None, alias="in")
    matches: Pattern | None = None

    @field_validator("in_")
    @classmethod
    def _some_values(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not 1 <= len(value) <= MAX_IN_VALUES:
            raise ValueError(f"must list 1 to {MAX_IN_VALUES} values, found {len(value)}")
        return value

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for key in data:
                if key not in ATTRIBUTE_KEYS:
                    allowed = ", ".join(ATTRIBUTE_KEYS)
                    raise ValueError(f"unknown key {json.dumps(str(key))} (allowed: {allowed})")
        return data

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        values = (self.equals, self.in_, self.matches)
        given = [name for name, value in zip(_TESTS, values, strict=True) if value is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "none"
            raise ValueError(f"needs exactly one of equals, in, matches (found: {found})")
        return self


class Routing(Strict):
    """Rules that decide who lands in this organization at login.

    A user is admitted when any rule matches: a verified email at one of `email_domains`, a
    login through a connection with `assign_membership_on_login: true`, or an attribute rule.
    Where several organizations admit a user, the highest `priority` wins.
    """

    email_domains: list[EmailDomain] | None = None
    attributes: list[AttributeRule] | None = Field(default=None, max_length=MAX_ATTRIBUTE_RULES)
    default_roles: list[RoleName] | None = None
    priority: int = Field(default=0, ge=MIN_PRIORITY, le=MAX_PRIORITY)

    @field_validator("email_domains")
    @classmethod
    def _unique_domains(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("an email domain is listed twice")
        return value

    @field_validator("default_roles")
    @classmethod
    def _unique_roles(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("a default role is listed twice")
        return value

    @property
    def discovery_domains(self) -> list[str] | None:
        """The exact domains, which Auth0 can use as discovery domains; wildcards are left out."""
        if self.email_domains is None:
            return None
        return [d for d in self.email_domains if not d.startswith(WILDCARD)]
