"""What import gives each resource for one live organization, and the checks every part of
an imported file goes through: names and emails a file can hold, models validated with what
Auth0 holds that a file cannot left out and noted."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from reconciler.model import Organization, Role
from reconciler.model.common import EmailAddress
from reconciler.model.desired import Desired
from reconciler.model.live import LiveOrganization, LiveRole, Snapshot
from reconciler.safe_text import inert

_EMAIL: TypeAdapter[str] = TypeAdapter(EmailAddress)
M = TypeVar("M", Organization, Role)
Permissions = dict[str, frozenset[tuple[str, str]]]
"""Role id -> the (API identifier, permission name) pairs it grants."""


class ImportRefused(Exception):
    """What was asked cannot be imported (unknown organization, a file that exists)."""


@dataclass
class OrgImport:
    """One live organization being written as a file, and what the files already say."""

    desired: Desired
    live: Snapshot
    org: LiveOrganization
    permissions: Permissions
    notes: list[str]
    """What the import has left out so far, and why: what validation leaves out goes here."""
    left_out: list[str] = field(default_factory=list)
    """What this organization's parts leave out, and why (noted after its validation)."""
    adopt: bool = False
    """Write the enterprise connections linked to it that no file declares as its own."""
    files: dict[str, str] = field(default_factory=dict)
    """Files of the tenant the import writes besides organization files (certificates), by
    path relative to the tenant directory."""

    @cached_property
    def own(self) -> dict[str, str]:
        """Role id -> name of the roles the organization owns."""
        return {
            role.id: role.name
            for (owner, _), role in self.live.org_roles.items()
            if owner == self.org.name
        }

    @cached_property
    def tenant(self) -> dict[str, str]:
        """Role id -> name of the tenant's roles."""
        return {role.id: role.name for role in self.live.roles.values()}

    def role_names(self, role_ids: tuple[str, ...], who: str) -> list[str] | None:
        """Role names as the file would resolve them; None when they cannot be written so
        (a tenant role shadowed by an org-owned role of the same name)."""
        own, tenant = self.own, self.tenant
        names: list[str] = []
        for role_id in role_ids:
            if role_id in own:
                names.append(own[role_id])
            elif role_id in tenant and tenant[role_id] not in own.values():
                names.append(tenant[role_id])
            else:
                self.left_out.append(
                    f"{self.org.name}: roles of {who} left out: a role cannot be named in the "
                    "file (a tenant role of the same name as an org-owned one, or unknown)"
                )
                return None
        return sorted(names)


def imported_role(live: LiveRole, permissions: Permissions, notes: list[str], where: str) -> Role:
    """A role as a file would describe it: its description and permissions by API."""
    data: dict[str, Any] = {}
    if live.description:
        data["description"] = live.description
    grouped: dict[str, list[str]] = {}
    for api, name in sorted(permissions.get(live.id, frozenset())):
        grouped.setdefault(api, []).append(name)
    if grouped:
        data["permissions"] = grouped
    return validated(Role, data, notes, f"{where}: role {live.name}")


def is_email(value: str) -> bool:
    """Whether a file can hold this as an email address."""
    return valid(_EMAIL, value)


def valid(adapter: TypeAdapter[str], value: str) -> bool:
    """Whether `value` passes `adapter`."""
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def validated(model: type[M], data: dict[str, Any], notes: list[str], what: str) -> M:
    """The model of `data`; top-level keys the model rejects are left out and noted
    (ImportRefused when leaving keys out cannot make it valid)."""
    while True:
        try:
            return model.model_validate(data, strict=False)  # what Auth0 returns: leniently
        except ValidationError as error:
            bad = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
            if not bad or "name" in bad:
                reason = error.errors()[0]["msg"]
                raise ImportRefused(
                    f"{inert(what)}: what Auth0 holds cannot be written as a file ({reason})"
                ) from None
            for key in sorted(bad):
                notes.append(f"{what}: {key} left out: Auth0's value is not valid in a file")
                data.pop(key, None)
