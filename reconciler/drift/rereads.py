"""What an incremental drift check reads again, from the writes in the log since the
checkpoint: which organizations (and which of their parts), which roles' permissions, and
the desired state limited to them.

A write by others names objects by id (`drift.touched`); organizations are named from the
checkpoint's id -> name map, roles from its role map (or looked up), a user's organizations
are looked up. An organization is read whole when its file changed, when it differed at the
last check, or when the organizations carrying its names changed; otherwise its own fields
only when a write changed them, and its members, connections, discovery domains,
invitations, API access and applications together when a write changed one of them. The
reconciler's own writes are not read again, but the organizations they deleted or renamed are
placed.
"""

import asyncio
from dataclasses import dataclass, field, replace
from typing import Any

from reconciler.auth0.lookups import role_by_id, user_organizations
from reconciler.auth0.reader import organization_by_id, organization_by_name
from reconciler.core.service import Reconciler
from reconciler.drift.checkpoint import Checkpoint, Digests
from reconciler.drift.tenant_log import Write
from reconciler.drift.touched import BELOW_ORGANIZATION, Kind, touched_by
from reconciler.model import Organization
from reconciler.model.desired import Desired
from reconciler.resources.organizations import ORG_FIELDS, Found

PART_SECTIONS = ("members", "connections", "routing", "roles")
"""The sections of an organization file that the reads below an organization cover (routing:
its discovery domains)."""
PARTS = frozenset(BELOW_ORGANIZATION)
"""What the reads below an organization cover, with its API access and applications (read
with them when its file manages those)."""
READ_ON_EVERY_CHECK = frozenset(
    {Kind.ACTION, Kind.APPLICATION, Kind.CLIENT_GRANT, Kind.SSO_PROFILE}
)
"""Tenant-wide objects every check reads when the files manage them (applications, client
grants, the post-login Action): writes to them need no placing."""


class FullScan(Exception):
    """The log cannot tell what changed; the message says why."""


@dataclass(frozen=True)
class Rereads:
    """What an incremental check reads again, and the organizations as they are now."""

    view: Desired
    """The desired state limited to what is read again."""
    only: frozenset[str]
    """The managed organizations read again."""
    found: Found
    """Their live ids, with the fields read where those are compared."""
    organizations: dict[str, str]
    """Organization id -> name of every organization in Auth0 now."""
    read: dict[str, tuple[bool, bool]]
    """Of each of `only`: whether its own fields are read again, and its parts."""


async def rereads(
    reconciler: Reconciler,
    checkpoint: Checkpoint,
    digests: Digests,
    theirs: list[Write],
    mine: list[Write],
) -> Rereads:
    """Place the writes of others (`theirs`) and the reconciler's own (`mine`) since the
    checkpoint; FullScan when one can change what it does not name."""
    changes = _changes(theirs)
    org_map = checkpoint.organizations
    await _place_users(reconciler, changes)
    permission_roles, named = await _place_roles(reconciler, checkpoint, changes)
    named |= _managing(reconciler.desired, changes.every_part)
    if changes.connections:
        named |= _using_connections(reconciler.desired)
    fetched = await _fetch_organizations(reconciler, changes, org_map)
    current = _after_own_writes(org_map, mine)
    for org_id, got in fetched.items():
        if got is None:
            current.pop(org_id, None)
        else:
            current[org_id] = got[1]["name"]
    desired = reconciler.desired
    selected = _selected(desired, checkpoint, digests, changes, org_map, current, named)
    found = await _found(reconciler, selected, current, fetched)
    view = _view(desired, checkpoint, digests, selected, permission_roles)
    read = {name: (choice.fields, choice.parts) for name, choice in selected.items()}
    return Rereads(view, frozenset(selected), found, current, read)


@dataclass
class _Changes:
    """What the writes since the checkpoint can have changed, before it is placed."""

    fields: set[str]
    """Ids of organizations whose own fields or name changed (or that were deleted)."""
    parts: set[str]
    """Ids of organizations something below which changed."""
    created: set[str]
    """Names of organizations created."""
    roles: dict[str, set[Kind]]
    renamed_roles: dict[str, str]
    created_roles: list[tuple[str, str | None]]
    """(name, owner organization id) of roles created."""
    users: set[str]
    every_permission: bool = False
    every_part: set[Kind] = field(default_factory=set)
    """Parts changed in every organization that manages them (API access, applications)."""
    connections: bool = False
    """A connection was created or changed: the organizations using declared ones."""


def _changes(writes: list[Write]) -> _Changes:
    """Map each write to what it can change; FullScan for one that can change anything."""
    changes = _Changes(set(), set(), set(), {}, {}, [], set())
    for write in writes:
        if write.method is None or write.path is None:
            raise FullScan(f"the log event {write.log_id} does not say which request it was")
        for touched in touched_by(write.method, write.path, write.body):
            kind = touched.kind
            if kind is Kind.TENANT:
                raise FullScan(f"{write.method} {write.path} can change any organization")
            if kind in READ_ON_EVERY_CHECK:
                continue
            if kind in (Kind.ENTERPRISE_CONNECTION, Kind.CONNECTION_CLIENTS):
                changes.connections = True
                continue
            if kind is Kind.ORGANIZATION:
                if touched.id is not None:
                    changes.fields.add(touched.id)
                elif touched.name is None:
                    raise FullScan("an organization was created and the log does not name it")
                else:
                    changes.created.add(touched.name)
            elif kind in PARTS:
                if touched.id is None:
                    changes.every_part.add(kind)
                else:
                    changes.parts.add(touched.id)
            elif kind is Kind.USER:
                assert touched.id is not None
                changes.users.add(touched.id)
            elif touched.id is not None:
                changes.roles.setdefault(touched.id, set()).add(kind)
                if kind is Kind.ROLE and touched.name is not None:
                    changes.renamed_roles[touched.id] = touched.name
            elif kind is Kind.PERMISSIONS:
                changes.every_permission = True
            elif touched.name is None:
                raise FullScan("a role was created and the log does not name it")
            else:
                changes.created_roles.append((touched.name, touched.owner))
    return changes


def _after_own_writes(org_map: dict[str, str], own: list[Write]) -> dict[str, str]:
    """The id -> name map with the organizations the reconciler's own writes deleted or
    renamed (nothing is read for them; one it created is looked up by name if it is read)."""
    current = dict(org_map)
    for write in own:
        if write.method is None or write.path is None:
            continue
        for touched in touched_by(write.method, write.path, write.body):
            if touched.kind is not Kind.ORGANIZATION or touched.id is None:
                continue
            if write.method == "DELETE":
                current.pop(touched.id, None)
            elif touched.name is not None:
                current[touched.id] = touched.name
    return current


async def _place_users(reconciler: Reconciler, changes: _Changes) -> None:
    """A user whose email or name changed: the organizations it is a member of."""
    users = sorted(changes.users)
    found = await asyncio.gather(*(user_organizations(reconciler.session, u) for u in users))
    for user, orgs in zip(users, found, strict=True):
        if orgs is None:
            raise FullScan(
                f"user {user} was deleted: which organizations it was a member of is unknown"
            )
        changes.parts.update(orgs)


async def _place_roles(
    reconciler: Reconciler, checkpoint: Checkpoint, changes: _Changes
) -> tuple[set[str], set[str]]:
    """The tenant roles whose permissions to read again, and the organizations (by name)
    whose members hold a role that was created, renamed or deleted, or that own a role that
    changed."""
    desired = reconciler.desired
    known = dict(checkpoint.roles)
    unknown = sorted(role_id for role_id in changes.roles if role_id not in known)
    looked_up = await asyncio.gather(*(role_by_id(reconciler.session, r) for r in unknown))
    for role_id, role in zip(unknown, looked_up, strict=True):
        if role is not None:
            name, owner_id = role
            owner = None
            if owner_id is not None:
                owner = checkpoint.organizations.get(owner_id)
                if owner is None:
                    changes.parts.add(owner_id)
                    continue
            known[role_id] = (name, owner)
    permissions: set[str] = set()
    organizations: set[str] = set()
    for role_id, kinds in changes.roles.items():
        if role_id not in known:
            continue  # made and deleted since the checkpoint: other writes show its effects
        name, owner = known[role_id]
        if owner is not None:
            organizations.add(owner)
            continue
        names = {name, changes.renamed_roles.get(role_id, name)}
        if kinds & {Kind.ROLE, Kind.PERMISSIONS}:
            permissions |= names
        if Kind.ROLE in kinds:
            organizations |= _holding(desired, names)
    for name, owner_id in changes.created_roles:
        if owner_id is not None:
            changes.parts.add(owner_id)
        else:
            permissions.add(name)
            organizations |= _holding(desired, {name})
    if changes.every_permission:
        permissions |= set(desired.roles)
        organizations |= {
            org.name
            for org in desired.organizations.values()
            if any(role.permissions is not None for role in (org.roles or {}).values())
        }
    return permissions, organizations


def _managing(desired: Desired, parts: set[Kind]) -> set[str]:
    """Organizations whose files manage API access (or applications) when every
    organization's changed."""
    return {
        org.name
        for org in desired.organizations.values()
        if (Kind.API_ACCESS in parts and org.api_access is not None)
        or (Kind.ORGANIZATION_APPLICATIONS in parts and org.applications is not None)
    }


def _using_connections(desired: Desired) -> set[str]:
    """Organizations that own an enterprise connection or enable one of connections.yaml:
    their connections are planned (and read) again when a connection changed."""
    return {
        org.name
        for org in desired.organizations.values()
        if org.enterprise_connections
        or any(link.name in desired.connections for link in org.connections or [])
    }


def _holding(desired: Desired, roles: set[str]) -> set[str]:
    """Organizations whose files give some member one of these roles."""
    return {
        org.name
        for org in desired.organizations.values()
        if any(roles & set(member.roles or ()) for member in org.members or ())
    }


async def _fetch_organizations(
    reconciler: Reconciler, changes: _Changes, org_map: dict[str, str]
) -> dict[str, tuple[str, dict[str, Any]] | None]:
    """Organizations whose own fields changed or whose id is new, by id, and the ones created
    by name: id -> (id, fields), or None when it is gone."""
    session = reconciler.session
    ids = sorted(
        i for i in changes.fields | changes.parts if i in changes.fields or i not in org_map
    )
    found = await asyncio.gather(*(organization_by_id(session, i) for i in ids))
    fetched = dict(zip(ids, found, strict=True))
    names = {got[1]["name"] for got in found if got is not None}
    created = sorted(changes.created - names)
    for got in await asyncio.gather(*(organization_by_name(session, n) for n in created)):
        if got is not None:
            fetched[got[0]] = got
    return fetched


@dataclass(frozen=True)
class _Selected:
    """A managed organization to read again: its names, live ids and which parts."""

    names: frozenset[str]
    ids: frozenset[str]
    fields: bool
    parts: bool


def _selected(
    desired: Desired,
    checkpoint: Checkpoint,
    digests: Digests,
    changes: _Changes,
    before: dict[str, str],
    after: dict[str, str],
    named: set[str],
) -> dict[str, _Selected]:
    """The managed organizations to read again. One is read whole when its file changed, when
    it differed at the last check, or when the organizations carrying its names changed
    (created, deleted, renamed); its parts when a write changed them or it is `named`."""
    selected: dict[str, _Selected] = {}
    was, now = _ids_by_name(before), _ids_by_name(after)
    for name, org in desired.organizations.items():
        claimed = frozenset({name, *(org.previous_names or ())})
        old = frozenset(i for n in claimed for i in was.get(n, ()))
        new = frozenset(i for n in claimed for i in now.get(n, ()))
        whole = (
            digests.organizations[name] != checkpoint.digests.organizations.get(name)
            or name in checkpoint.drifted_organizations
            or old != new
            or not new
        )
        fields = bool(new & changes.fields)
        parts = bool(new & changes.parts) or name in named
        if whole or fields or parts:
            selected[name] = _Selected(claimed, new, whole or fields, whole or parts)
    return selected


def _ids_by_name(organizations: dict[str, str]) -> dict[str, list[str]]:
    by_name: dict[str, list[str]] = {}
    for org_id, name in organizations.items():
        by_name.setdefault(name, []).append(org_id)
    return by_name


async def _found(
    reconciler: Reconciler,
    selected: dict[str, _Selected],
    current: dict[str, str],
    fetched: dict[str, tuple[str, dict[str, Any]] | None],
) -> Found:
    """The live organizations to read, by id: with their fields where those are compared
    (read now when no write fetched them already), else by name only. An organization whose
    id is not known (made by the reconciler's own apply) is looked up by its names. What the
    reads show is noted in `current` (id -> name)."""
    session = reconciler.session
    wanted = sorted(i for s in selected.values() if s.fields for i in s.ids if not fetched.get(i))
    unknown = sorted({n for s in selected.values() if not s.ids for n in s.names})
    by_id, by_name = await asyncio.gather(
        asyncio.gather(*(organization_by_id(session, i) for i in wanted)),
        asyncio.gather(*(organization_by_name(session, n) for n in unknown)),
    )
    fields = {org_id: entry for org_id, entry in fetched.items() if entry is not None}
    for org_id, entry in zip(wanted, by_id, strict=True):
        if entry is None:
            current.pop(org_id, None)
        else:
            fields[org_id] = entry
    found: Found = {}
    for entry in by_name:
        if entry is not None:
            current[entry[0]] = entry[1]["name"]
            found[entry[1]["name"]] = entry
    for choice in selected.values():
        for org_id in choice.ids:
            if not choice.fields:
                found[current[org_id]] = (org_id, {"name": current[org_id]})
            elif org_id in fields:
                entry = fields[org_id]
                current[org_id] = entry[1]["name"]
                found[entry[1]["name"]] = entry
    return found


def _view(
    desired: Desired,
    checkpoint: Checkpoint,
    digests: Digests,
    selected: dict[str, _Selected],
    permission_roles: set[str],
) -> Desired:
    """The desired state limited to what is read again: an organization's fields or its parts
    left unmanaged when they are not read, a tenant role's permissions likewise (its
    description comes with the role list, which is always read)."""
    organizations: dict[str, Organization] = {}
    for name, org in desired.organizations.items():
        choice = selected.get(name)
        update: dict[str, Any] = {}
        if choice is not None and not choice.fields:
            update.update(dict.fromkeys(ORG_FIELDS))
        if choice is not None and not choice.parts:
            update.update(dict.fromkeys(PART_SECTIONS))
        organizations[name] = org.model_copy(update=update) if update else org
    changed = {n for n, d in digests.roles.items() if checkpoint.digests.roles.get(n) != d}
    read = permission_roles | checkpoint.drifted_roles | changed
    roles = {
        name: role if name in read else role.model_copy(update={"permissions": None})
        for name, role in desired.roles.items()
    }
    return replace(desired, organizations=organizations, roles=roles)
