"""Incremental drift: read the tenant log since the last check and read again only what the
writes it holds can have changed; read everything when the log cannot be trusted.

Between two checks, an object can only have drifted if a write changed it (the log has a
`sapi` event for every successful write), if its file changed, or if it already differed
at the last check. So a check reads the writes since the checkpoint, leaves out those of the
reconciler's own client (its applies), maps each to the objects it can change
(`engine.touched`), and reads those again together with the organizations and roles whose
files changed or that still differed; everything else is as the last check left it. Of an
organization it reads its own fields (`GET /organizations/{id}`) only when a write changed
them, and its members, connections, discovery domains and invitations together when a write
changed any of them, and diffs only what it read. Organization ids in log paths are named
from the id -> name map the checkpoint keeps.

It reads everything instead, and says why, when there is no usable checkpoint, when it is
older than the log's retention or the last full read is older than `drift.full_scan_days`,
when tenant.yaml changed, when the log cannot be read or has lost the checkpoint's event, or
when a write can change objects it does not name (a connection or user deleted, accounts
linked, users imported).
"""

import asyncio
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reconciler.auth0.errors import ApiCallError
from reconciler.auth0.lookups import role_by_id, user_organizations
from reconciler.auth0.reader import Found, organization_by_id, organization_by_name, read_live
from reconciler.auth0.scope import scope_of
from reconciler.auth0.tenant_log import (
    LogRead,
    Write,
    log_event_exists,
    newest_log_id,
    writes_after,
)
from reconciler.core.checkpoint import (
    Checkpoint,
    CheckpointUnusable,
    Digests,
    digests_of,
    read_checkpoint,
    write_checkpoint,
)
from reconciler.core.drift import detect_drift
from reconciler.core.service import Reconciler
from reconciler.engine import diff
from reconciler.engine.drift import Drift, drift_of
from reconciler.engine.touched import Kind, touched_by
from reconciler.model import Organization
from reconciler.model.desired import Desired
from reconciler.model.live import Snapshot

DAY = 86_400.0
ORGANIZATION_FIELDS = (
    "display_name",
    "branding",
    "metadata",
    "token_quota",
    "third_party_client_access",
    "is_app_entitlement_active",
)
"""What `GET /organizations/{id}` reads of an organization."""
ORGANIZATION_PARTS = ("members", "connections", "routing", "roles")
"""What the reads below an organization cover (routing: its discovery domains)."""
PARTS = frozenset(
    {
        Kind.MEMBERS,
        Kind.MEMBER_ROLES,
        Kind.CONNECTIONS,
        Kind.DISCOVERY_DOMAINS,
        Kind.INVITATIONS,
    }
)
NOT_PLANNED = frozenset({Kind.ACTION, Kind.APPLICATION})
"""Objects drift does not compare with Git (yet): writes to them need no reads."""


class FullScan(Exception):
    """The log cannot tell what changed; the message says why."""


@dataclass(frozen=True)
class Scan:
    """How a drift check read the tenant."""

    incremental: bool
    reason: str | None = None
    """Why everything was read (None when the log was used)."""
    writes: int = 0
    """Writes by others since the checkpoint."""
    own_writes: int = 0
    """Writes of the reconciler's own client since the checkpoint, left out."""
    organizations: int = 0
    """Organizations read again (incremental) or read (full)."""
    unwritten: str | None = None
    """Why no checkpoint was written (None: it was)."""

    def sentence(self) -> str:
        """One line for people."""
        if self.incremental:
            writes = _count(self.writes, "write") + " by others"
            own = f" ({_count(self.own_writes, 'own write')} left out)" if self.own_writes else ""
            return (
                f"Incremental: {writes} in the tenant log since the last check{own}; "
                f"{_count(self.organizations, 'organization')} read again."
            )
        text = f"Full read: {self.reason}." if self.reason else "Full read."
        if self.unwritten is not None:
            text += f" No checkpoint was written: {self.unwritten}."
        return text

    def document(self) -> dict[str, Any]:
        """The facts for machines."""
        return {
            "incremental": self.incremental,
            "reason": self.reason,
            "writes": self.writes,
            "own_writes": self.own_writes,
            "organizations_read": self.organizations,
            "checkpoint_written": self.unwritten is None,
        }


@dataclass(frozen=True)
class CheckedDrift:
    """The drift, how it was read, and every read it took (the log's included)."""

    drift: Drift
    scan: Scan
    read_calls: int


async def incremental_drift(reconciler: Reconciler, path: Path) -> CheckedDrift:
    """Drift since the checkpoint in `path` (everything when it cannot be used); the new
    checkpoint is written only when the check succeeds."""
    session = reconciler.session
    before = session.counter.reads
    now = session.clock.now()
    digests = digests_of(reconciler.desired)
    written: Checkpoint | None
    try:
        checkpoint = read_checkpoint(path)
        _check_usable(checkpoint, reconciler, digests, now)
        drift, scan, written = await _incremental(reconciler, checkpoint, digests, now)
    except (CheckpointUnusable, FullScan) as why:
        drift, scan, written = await _full(reconciler, digests, now, str(why))
    if written is not None:
        try:
            write_checkpoint(path, written)
        except OSError as error:
            scan = replace(scan, unwritten=f"{path} cannot be written ({error.strerror or error})")
    return CheckedDrift(drift, scan, session.counter.reads - before)


def _check_usable(
    checkpoint: Checkpoint, reconciler: Reconciler, digests: Digests, now: float
) -> None:
    desired, label = reconciler.desired, reconciler.session.target.label
    settings = desired.tenant.drift
    if (checkpoint.tenant, checkpoint.target) != (desired.tenant_name, label):
        raise CheckpointUnusable(
            f"the checkpoint is of tenant {checkpoint.tenant} on {checkpoint.target}"
        )
    if checkpoint.log_id is None:
        raise CheckpointUnusable("the tenant log was empty at the last check")
    age = (now - checkpoint.read_at) / DAY
    if age > settings.log_retention_days:
        raise CheckpointUnusable(
            f"the checkpoint is {age:.0f} days old, older than the log's retention "
            f"(drift.log_retention_days: {settings.log_retention_days})"
        )
    full = (now - checkpoint.full_scan_at) / DAY
    if full > settings.full_scan_days:
        raise CheckpointUnusable(
            f"the last full read is {full:.0f} days old "
            f"(drift.full_scan_days: {settings.full_scan_days})"
        )
    if checkpoint.digests.tenant != digests.tenant:
        raise CheckpointUnusable("tenant.yaml changed since the last check")


async def _full(
    reconciler: Reconciler, digests: Digests, now: float, reason: str
) -> tuple[Drift, Scan, Checkpoint | None]:
    """Read everything; the checkpoint starts at the newest log event from before the read, so
    that the next check sees every write made during it."""
    session = reconciler.session
    unreadable = None
    try:
        newest = await newest_log_id(session)
    except ApiCallError as error:
        newest, unreadable = None, f"the tenant log cannot be read ({error})"
    found = await detect_drift(reconciler)
    live = found.result.live
    organizations = {org.id: org.name for org in live.organizations.values()}
    organizations.update({org_id: name for name, org_id in live.other_organizations.items()})
    checkpoint = Checkpoint(
        tenant=reconciler.desired.tenant_name,
        target=session.target.label,
        log_id=newest,
        read_at=now,
        full_scan_at=now,
        organizations=organizations,
        roles=_role_map({}, live, set(organizations.values()), set(organizations.values())),
        digests=digests,
        drifted_organizations=_drifted_organizations(found.drift),
        drifted_roles=_drifted_roles(found.drift),
    )
    scan = Scan(
        incremental=False,
        reason=reason,
        organizations=len(organizations),
        unwritten=unreadable,
    )
    return found.drift, scan, checkpoint if unreadable is None else None


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


async def _incremental(
    reconciler: Reconciler, checkpoint: Checkpoint, digests: Digests, now: float
) -> tuple[Drift, Scan, Checkpoint]:
    session, desired = reconciler.session, reconciler.desired
    assert checkpoint.log_id is not None
    log = await _read_log(reconciler, checkpoint)
    own = session.client_id
    theirs = [w for w in log.writes if own is None or w.client_id != own]
    changes = _changes(theirs)
    org_map = checkpoint.organizations
    await _place_users(reconciler, changes)
    permission_roles, body_names = await _place_roles(reconciler, checkpoint, changes)
    fetched = await _fetch_organizations(reconciler, changes, org_map)
    current = _after_own_writes(org_map, [w for w in log.writes if w not in theirs])
    for org_id, got in fetched.items():
        if got is None:
            current.pop(org_id, None)
        else:
            current[org_id] = got[1]["name"]
    selected = _selected(desired, checkpoint, digests, changes, org_map, current, body_names)
    found = await _found(reconciler, selected, current, fetched)
    view = _view(desired, checkpoint, digests, selected, permission_roles)
    only = frozenset(selected)
    scope = scope_of(view, only, list_all=False)
    live = await read_live(session, scope, reconciler.progress, found=found)
    live.other_organizations = {
        name: org_id for org_id, name in current.items() if name not in scope.known
    }
    plan = diff(
        view, live, only=only | set(live.other_organizations), member_batch=reconciler.member_batch
    )
    drift = drift_of(plan, desired.tenant.policy)
    written = Checkpoint(
        tenant=desired.tenant_name,
        target=session.target.label,
        log_id=log.last_id,
        read_at=now,
        full_scan_at=checkpoint.full_scan_at,
        organizations=current,
        roles=_role_map(
            checkpoint.roles,
            live,
            set(current.values()),
            set(found) if scope.needs_roles else set(),
            listed=scope.needs_roles,
        ),
        digests=digests,
        drifted_organizations=_drifted_organizations(drift),
        drifted_roles=_drifted_roles(drift),
    )
    scan = Scan(
        incremental=True,
        writes=len(theirs),
        own_writes=len(log.writes) - len(theirs),
        organizations=len(selected),
    )
    return drift, scan, written


async def _read_log(reconciler: Reconciler, checkpoint: Checkpoint) -> LogRead:
    """The writes since the checkpoint; FullScan when the log cannot give them all, or when
    reading it would cost more than reading everything (about three requests an
    organization)."""
    session = reconciler.session
    assert checkpoint.log_id is not None
    budget = max(1, 3 * len(checkpoint.organizations))
    try:
        if not await log_event_exists(session, checkpoint.log_id):
            raise FullScan("the tenant log no longer holds the checkpoint's event (retention)")
        log = await writes_after(session, checkpoint.log_id, max_pages=budget)
    except ApiCallError as error:
        raise FullScan(f"the tenant log cannot be read ({error})") from None
    if not log.complete:
        raise FullScan(
            f"the tenant log holds more than {log.events} events since the last check: "
            "reading everything costs fewer requests"
        )
    return log


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
            if kind in NOT_PLANNED:
                continue
            if kind is Kind.ORGANIZATION:
                if touched.id is not None:
                    changes.fields.add(touched.id)
                elif touched.name is None:
                    raise FullScan("an organization was created and the log does not name it")
                else:
                    changes.created.add(touched.name)
            elif kind in PARTS:
                assert touched.id is not None
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
    body_names: set[str],
) -> dict[str, _Selected]:
    """The managed organizations to read again. One is read whole when its file changed, when
    it differed at the last check, or when the organizations carrying its names changed
    (created, deleted, renamed)."""
    selected: dict[str, _Selected] = {}
    for name, org in desired.organizations.items():
        claimed = frozenset({name, *(org.previous_names or ())})
        old = frozenset(i for i, n in before.items() if n in claimed)
        new = frozenset(i for i, n in after.items() if n in claimed)
        whole = (
            digests.organizations[name] != checkpoint.digests.organizations.get(name)
            or name in checkpoint.drifted_organizations
            or old != new
            or not new
        )
        fields = bool(new & changes.fields)
        parts = bool(new & changes.parts) or name in body_names
        if whole or fields or parts:
            selected[name] = _Selected(claimed, new, whole or fields, whole or parts)
    return selected


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
            update.update(dict.fromkeys(ORGANIZATION_FIELDS))
        if choice is not None and not choice.parts:
            update.update(dict.fromkeys(ORGANIZATION_PARTS))
        organizations[name] = org.model_copy(update=update) if update else org
    changed = {n for n, d in digests.roles.items() if checkpoint.digests.roles.get(n) != d}
    read = permission_roles | checkpoint.drifted_roles | changed
    roles = {
        name: role if name in read else role.model_copy(update={"permissions": None})
        for name, role in desired.roles.items()
    }
    return replace(desired, organizations=organizations, roles=roles)


def _role_map(
    before: dict[str, tuple[str, str | None]],
    live: Snapshot,
    organizations: set[str],
    read: set[str],
    *,
    listed: bool = True,
) -> dict[str, tuple[str, str | None]]:
    """Role id -> (name, owner): the last map, updated with the roles just listed (every
    tenant role, and the org-owned roles of the organizations `read`); roles of organizations
    that are gone are dropped."""
    kept = {
        i: (name, owner)
        for i, (name, owner) in before.items()
        if (owner is None and not listed) or (owner in organizations and owner not in read)
    }
    if listed:
        kept.update({role.id: (role.name, None) for role in live.roles.values()})
        kept.update({role.id: (role.name, role.owner) for role in live.org_roles.values()})
    return kept


def _drifted_organizations(drift: Drift) -> frozenset[str]:
    return frozenset(row.org for row in drift.rows if row.org is not None)


def _drifted_roles(drift: Drift) -> frozenset[str]:
    return frozenset(row.name for row in drift.rows if row.org is None and row.kind == "role")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
