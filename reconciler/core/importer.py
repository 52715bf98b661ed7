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
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from reconciler.auth0.reader import read_live, role_permissions
from reconciler.auth0.scope import scope_of
from reconciler.auth0.session import Session
from reconciler.config.layout import ROLES_FILE
from reconciler.model import Organization, Role, Routing
from reconciler.model.common import EmailAddress, OrgName, RoleName
from reconciler.model.desired import Desired
from reconciler.model.live import LiveMember, LiveOrganization, LiveRole, Snapshot
from reconciler.safe_text import inert

_EMAIL: TypeAdapter[str] = TypeAdapter(EmailAddress)
_ORG_NAME: TypeAdapter[str] = TypeAdapter(OrgName)
_ROLE_NAME: TypeAdapter[str] = TypeAdapter(RoleName)
M = TypeVar("M", Organization, Role)
Permissions = dict[str, frozenset[tuple[str, str]]]
"""Role id -> the (API identifier, permission name) pairs it grants."""


class ImportRefused(Exception):
    """What was asked cannot be imported (unknown organization, a file that exists)."""


@dataclass
class Imported:
    """Organizations and tenant roles to write, and what was left out of them and why."""

    organizations: dict[str, Organization] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    """Tenant roles the files lack: those the imported organizations use (all, with --all)."""
    notes: list[str] = field(default_factory=list)


def selection(desired: Desired, names: tuple[str, ...], *, every: bool, force: bool) -> None:
    """Check an import request before anything is read: `--org` or `--all`, and an
    organization that a file already describes only with `force`."""
    if every == bool(names):
        raise ImportRefused("pass --org NAME (repeatable) or --all")
    for name in names:
        if not _valid(_ORG_NAME, name):
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
    session: Session, desired: Desired, names: tuple[str, ...], *, every: bool
) -> Imported:
    """Read the named organizations (or, with `every`, all that no file describes, and every
    tenant role the files lack) and build their desired state."""
    if every:
        listing = scope_of(replace(desired, roles={}), frozenset(), list_all=True)
        names = tuple(sorted((await read_live(session, listing)).other_organizations))
        for name in names:
            if not _valid(_ORG_NAME, name):
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
    scope = replace(scope_of(stub, None, list_all=False), needs_roles=True)
    live = await read_live(session, scope)
    missing = sorted(set(names) - set(live.organizations))
    if missing:
        raise ImportRefused(f"no organization named {', '.join(missing)} in Auth0")
    wanted_roles = set(live.roles) - set(desired.roles) if every else set()
    owned = [role for (owner, _), role in live.org_roles.items() if owner in live.organizations]
    builders = {name: _Builder(desired, live, live.organizations[name]) for name in names}
    for builder in builders.values():
        wanted_roles |= builder.tenant_roles() - set(desired.roles)
    tenant_roles = [live.roles[name] for name in sorted(wanted_roles)]
    for role in tenant_roles:
        if not _valid(_ROLE_NAME, role.name):
            raise ImportRefused(
                f"the tenant role {json.dumps(role.name)} in Auth0 has a name no file can hold "
                "(1..255 characters)"
            )
    permissions = await _permissions(session, [*owned, *tenant_roles])
    for name, builder in builders.items():
        imported.organizations[name] = builder.build(permissions, imported.notes)
    for role in tenant_roles:
        imported.roles[role.name] = _role(role, permissions, imported.notes, ROLES_FILE)
    return imported


def _everything(name: str) -> Organization:
    """An organization whose file would manage every part the reader can read."""
    return Organization(
        name=name, members=[], connections=[], routing=Routing(email_domains=[]), roles={}
    )


async def _permissions(session: Session, roles: list[LiveRole]) -> Permissions:
    found = await asyncio.gather(*(role_permissions(session, r.id, r.owner) for r in roles))
    return {role.id: pairs for role, pairs in zip(roles, found, strict=True)}


def _role(live: LiveRole, permissions: Permissions, notes: list[str], where: str) -> Role:
    data: dict[str, Any] = {}
    if live.description:
        data["description"] = live.description
    grouped: dict[str, list[str]] = {}
    for api, name in sorted(permissions.get(live.id, frozenset())):
        grouped.setdefault(api, []).append(name)
    if grouped:
        data["permissions"] = grouped
    return _validated(Role, data, notes, f"{where}: role {live.name}")


class _Builder:
    """The desired state of one live organization."""

    def __init__(self, desired: Desired, live: Snapshot, org: LiveOrganization) -> None:
        self.desired = desired
        self.live = live
        self.org = org
        self.own = {
            role.id: role.name for (owner, _), role in live.org_roles.items() if owner == org.name
        }
        self.tenant = {role.id: role.name for role in live.roles.values()}
        self.notes: list[str] = []

    def tenant_roles(self) -> set[str]:
        """The tenant roles the organization's members and invitations hold."""
        ids = [role_id for m in self.org.members or () for role_id, _ in m.roles]
        ids += [r for inv in (self.org.invitations or {}).values() for r in inv.roles]
        return {self.tenant[i] for i in ids if i in self.tenant and i not in self.own}

    def build(
        self, permissions: dict[str, frozenset[tuple[str, str]]], notes: list[str]
    ) -> Organization:
        """The organization as a person would write it; notes name what was left out."""
        org = self.org
        data: dict[str, Any] = {"name": org.name}
        if org.display_name:
            data["display_name"] = org.display_name
        if org.branding:
            data["branding"] = org.branding
        if org.metadata:
            data["metadata"] = dict(sorted(org.metadata.items()))
        if org.connections:
            data["connections"] = [
                {
                    "name": name,
                    "assign_membership_on_login": link.assign_membership_on_login,
                    "show_as_button": link.show_as_button,
                    "is_signup_enabled": link.is_signup_enabled,
                }
                for name, link in sorted(org.connections.items())
            ]
        domains = self._domains()
        if domains:
            data["routing"] = {"email_domains": domains}
        owned = {
            name: _role(role, permissions, notes, f"{org.name}")
            for (owner, name), role in sorted(self.live.org_roles.items())
            if owner == org.name
        }
        if owned:
            data["roles"] = {
                name: role.model_dump(exclude_none=True) for name, role in owned.items()
            }
        members = self._members()
        if members:
            data["members"] = members
        for name in ("token_quota", "third_party_client_access", "is_app_entitlement_active"):
            value = getattr(org, name)
            if value is not None:
                data[name] = value
        built = _validated(Organization, data, notes, org.name)
        notes.extend(self.notes)
        return built

    def _domains(self) -> list[str]:
        """Discovery domains as `routing.email_domains`, when they can be written so."""
        domains = sorted((self.org.domains or {}).values(), key=lambda d: d.domain)
        if any(not d.use_for_organization_discovery for d in domains):
            self.notes.append(
                f"{self.org.name}: routing left out: a discovery domain is not used for "
                "organization discovery, which routing.email_domains would turn on"
            )
            return []
        routed = {
            domain: other.name
            for other in self.desired.organizations.values()
            if other.name != self.org.name
            for domain in ((other.routing.email_domains or []) if other.routing else [])
        }
        taken = [d.domain for d in domains if d.domain in routed]
        if taken:
            self.notes.append(
                f"{self.org.name}: routing left out: {', '.join(taken)} is routed to "
                f"{routed[taken[0]]} in the files"
            )
            return []
        return [d.domain for d in domains]

    def _members(self) -> list[dict[str, Any]]:
        members = sorted(self.org.members or (), key=lambda m: (m.email or "", m.user_id))
        emails = [m.email.lower() for m in members if m.email]
        entries = [self._member(m, emails.count((m.email or "").lower()) == 1) for m in members]
        listed = {m.email.lower() for m in members if m.email}
        for email, invitation in sorted((self.org.invitations or {}).items()):
            if email in listed or not _is_email(email):
                continue
            entry: dict[str, Any] = {"email": email, "invite": True}
            roles = self._role_names(invitation.roles, f"the invitation of {email}")
            if roles:
                entry["roles"] = roles
            entries.append(entry)
        return entries

    def _member(self, member: LiveMember, unique_email: bool) -> dict[str, Any]:
        entry: dict[str, Any] = (
            {"email": member.email}
            if member.email and unique_email and _is_email(member.email)
            else {"user_id": member.user_id}
        )
        roles = self._role_names(
            tuple(role_id for role_id, _ in member.roles), member.email or member.user_id
        )
        if roles:
            entry["roles"] = roles
        return entry

    def _role_names(self, role_ids: tuple[str, ...], who: str) -> list[str] | None:
        """Role names as the file would resolve them; None when they cannot be written so
        (a tenant role shadowed by an org-owned role of the same name)."""
        names: list[str] = []
        for role_id in role_ids:
            if role_id in self.own:
                names.append(self.own[role_id])
            elif role_id in self.tenant and self.tenant[role_id] not in self.own.values():
                names.append(self.tenant[role_id])
            else:
                self.notes.append(
                    f"{self.org.name}: roles of {who} left out: a role cannot be named in the "
                    "file (a tenant role of the same name as an org-owned one, or unknown)"
                )
                return None
        return sorted(names)


def _is_email(value: str) -> bool:
    return _valid(_EMAIL, value)


def _valid(adapter: TypeAdapter[str], value: str) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def _validated(model: type[M], data: dict[str, Any], notes: list[str], what: str) -> M:
    """The model of `data`; top-level keys the model rejects are left out and noted
    (ImportRefused when leaving keys out cannot make it valid)."""
    while True:
        try:
            return model.model_validate(data)
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
