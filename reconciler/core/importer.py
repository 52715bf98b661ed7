"""`import`: the desired state of live organizations (and tenant roles) that the files lack.

The importer reads the organizations as a plan would if their files managed everything
(members, connections, discovery domains, org-owned roles, pending invitations), then builds
the same models the loader produces, leaving out what Auth0 has not set. Loaded back and
planned, they give no operations; whatever cannot be written so that they would is left out
(unmanaged) and named in a note.
"""

import asyncio
import json
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import TypeAdapter

from reconciler.auth0.reader import read_live, role_permissions
from reconciler.auth0.session import Session
from reconciler.config.layout import ROLES_FILE
from reconciler.model import Organization, Role, Routing
from reconciler.model.common import OrgName, RoleName
from reconciler.model.desired import Desired
from reconciler.model.live import LiveOrganization, LiveRole, Snapshot
from reconciler.resources.importing import (
    ImportRefused,
    OrgImport,
    Permissions,
    imported_role,
    valid,
    validated,
)
from reconciler.resources.registry import RESOURCES
from reconciler.resources.scope import scope_of

_ORG_NAME: TypeAdapter[str] = TypeAdapter(OrgName)
_ROLE_NAME: TypeAdapter[str] = TypeAdapter(RoleName)

__all__ = ["ImportRefused", "Imported", "import_organizations", "selection"]


@dataclass
class Imported:
    """Organizations and tenant roles to write, and what was left out of them and why."""

    organizations: dict[str, Organization] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    """Tenant roles the files lack: those the imported organizations use (all, with --all)."""
    notes: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    """Other files to write (adopted connections' certificates), by path in the tenant."""


def selection(desired: Desired, names: tuple[str, ...], *, every: bool, force: bool) -> None:
    """Check an import request before anything is read: `--org` or `--all`, and an
    organization that a file already describes only with `force`."""
    if every == bool(names):
        raise ImportRefused("pass --org NAME (repeatable) or --all")
    for name in names:
        if not valid(_ORG_NAME, name):
            raise ImportRefused(
                f"--org {json.dumps(name)}: not an organization name "
                '(1..50 lowercase letters, digits, "-" or "_")'
            )
    previous = {
        old: org.name for org in desired.organizations.values() for old in org.previous_names or []
    }
    for name in names:
        if name in previous:
            raise ImportRefused(
                f"{name} is a previous name of {previous[name]}: its file describes it"
            )
        if name in desired.organizations and not force:
            raise ImportRefused(
                f"a file already describes {name}: pass --force to overwrite it from Auth0"
            )


async def import_organizations(
    session: Session,
    desired: Desired,
    names: tuple[str, ...],
    *,
    every: bool,
    adopt_connections: bool = False,
) -> Imported:
    """Read the named organizations (or, with `every`, all that no file describes, and every
    tenant role the files lack) and build their desired state; with `adopt_connections`, the
    enterprise connections linked to them that no file declares become their own."""
    if every:
        listing = scope_of(replace(desired, roles={}), frozenset(), list_all=True)
        names = tuple(sorted((await read_live(session, listing)).other_organizations))
        for name in names:
            if not valid(_ORG_NAME, name):
                raise ImportRefused(
                    f"the organization {json.dumps(name)} in Auth0 has a name no file can hold "
                    '(1..50 lowercase letters, digits, "-" or "_"): import the others with --org'
                )
    imported = Imported()
    stub = replace(
        desired,
        roles={},
        organizations={name: _everything(name) for name in names},
    )
    scope = replace(
        scope_of(stub, None, list_all=False),
        needs_roles=True,
        adopt_connections=adopt_connections,
    )
    live = await read_live(session, scope)
    missing = sorted(set(names) - set(live.organizations))
    if missing:
        raise ImportRefused(f"no organization named {', '.join(missing)} in Auth0")
    wanted_roles = set(live.roles) - set(desired.roles) if every else set()
    owned = [role for (owner, _), role in live.org_roles.items() if owner in live.organizations]
    builders = {
        name: _Builder(desired, live, live.organizations[name], adopt_connections) for name in names
    }
    for builder in builders.values():
        wanted_roles |= builder.tenant_roles() - set(desired.roles)
    tenant_roles = [live.roles[name] for name in sorted(wanted_roles)]
    for role in tenant_roles:
        if not valid(_ROLE_NAME, role.name):
            raise ImportRefused(
                f"the tenant role {json.dumps(role.name)} in Auth0 has a name no file can hold "
                "(1..255 characters)"
            )
    permissions = await _permissions(session, [*owned, *tenant_roles])
    for name, builder in builders.items():
        imported.organizations[name] = builder.build(permissions, imported.notes, imported.files)
    for role in tenant_roles:
        imported.roles[role.name] = imported_role(role, permissions, imported.notes, ROLES_FILE)
    return imported


def _everything(name: str) -> Organization:
    """An organization whose file would manage every part the reader can read."""
    return Organization(
        name=name, members=[], connections=[], routing=Routing(email_domains=[]), roles={}
    )


async def _permissions(session: Session, roles: list[LiveRole]) -> Permissions:
    found = await asyncio.gather(*(role_permissions(session, r.id, r.owner) for r in roles))
    return {role.id: pairs for role, pairs in zip(roles, found, strict=True)}


class _Builder:
    """The desired state of one live organization, written by every resource in turn."""

    def __init__(
        self, desired: Desired, live: Snapshot, org: LiveOrganization, adopt: bool
    ) -> None:
        self.desired = desired
        self.live = live
        self.org = org
        self.adopt = adopt

    def tenant_roles(self) -> set[str]:
        """The tenant roles the organization's members and invitations hold."""
        own = {
            role.id for (owner, _), role in self.live.org_roles.items() if owner == self.org.name
        }
        tenant = {role.id: role.name for role in self.live.roles.values()}
        ids = [role_id for m in self.org.members or () for role_id, _ in m.roles]
        ids += [r for inv in (self.org.invitations or {}).values() for r in inv.roles]
        return {tenant[i] for i in ids if i in tenant and i not in own}

    def build(
        self, permissions: Permissions, notes: list[str], files: dict[str, str]
    ) -> Organization:
        """The organization as a person would write it; notes name what was left out, `files`
        gains the other files it refers to."""
        importing = OrgImport(
            self.desired, self.live, self.org, permissions, notes, adopt=self.adopt, files=files
        )
        data: dict[str, Any] = {}
        for resource in RESOURCES:
            data.update(resource.import_organization(importing))
        built = validated(Organization, data, notes, self.org.name)
        notes.extend(importing.left_out)
        return built
