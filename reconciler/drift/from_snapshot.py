"""Plans from the snapshot: the live state the checkpoint keeps, verified by the tenant log.

A plan reads the log since the checkpoint, reads again what the writes of others can have
changed, the organizations whose files changed and those that differed from Git
(`drift.rereads`, as an incremental drift check does), lays that over the snapshot
(`drift.merge`) and diffs every file against the result: the plan a full read gives, at the
cost of the change. Whatever keeps an incremental check from the log (no usable checkpoint,
the log unreadable or past its retention, a periodic full read due, ...) makes it read
everything instead, and say why; so does a checkpoint that holds no snapshot.

An apply writes only on fresh reads: the organizations the plan changes that came from the
snapshot are read again and planned again first (`on_fresh_reads`), so that a stale snapshot
can make it do less, never something else. Its verification reads back what it touched
(`Verify.FULL`); that read-back is laid over the snapshot kept after it (`after_apply`).
"""

from dataclasses import dataclass, replace
from pathlib import Path

from reconciler.auth0.reader import read_live
from reconciler.core.deletions import plan_of
from reconciler.core.results import ApplyResult, PlanResult
from reconciler.core.service import Reconciler
from reconciler.drift.checkpoint import (
    Checkpoint,
    CheckpointUnusable,
    Digests,
    digests_of,
    read_checkpoint,
    write_checkpoint,
)
from reconciler.drift.incremental import (
    Scan,
    after_full_read,
    check_usable,
    drifted_organizations,
    drifted_roles,
    log_rereads,
    log_start,
    read_log,
    role_map,
)
from reconciler.drift.merge import ReadAgain, merged
from reconciler.drift.rereads import FullScan
from reconciler.engine import Plan
from reconciler.engine.drift import drift_of
from reconciler.engine.duplicate_apps import DuplicateApplications
from reconciler.engine.kinds import Kind
from reconciler.model.desired import Desired
from reconciler.model.live import Snapshot
from reconciler.resources.scope import scope_of


@dataclass(frozen=True)
class SnapshotPlan:
    """A plan of every organization, how it was read, and the checkpoint to keep."""

    result: PlanResult
    scan: Scan
    fresh: ReadAgain
    """The managed organizations read in this run, and which of their parts (every one
    whole, after a full read)."""
    checkpoint: Checkpoint | None
    """What to keep with the plan (None: the log cannot be read, nothing is kept)."""


async def plan_from_snapshot(reconciler: Reconciler, path: Path) -> SnapshotPlan:
    """Plan every organization from the snapshot in `path` and the log; a full read, saying
    why, when they cannot be used."""
    now = reconciler.session.clock.now()
    digests = digests_of(reconciler.desired)
    try:
        checkpoint = read_checkpoint(path)
        check_usable(checkpoint, reconciler, digests, now)
        if checkpoint.live is None:
            raise CheckpointUnusable("the checkpoint holds no snapshot of the live state")
        return await _from_log(reconciler, checkpoint, checkpoint.live, digests, now)
    except (CheckpointUnusable, FullScan) as why:
        return await _full(reconciler, digests, now, str(why))


async def _full(reconciler: Reconciler, digests: Digests, now: float, reason: str) -> SnapshotPlan:
    newest, unreadable = await log_start(reconciler)
    result = await reconciler.plan()
    drift = drift_of(result.plan, reconciler.desired.tenant.policy)
    checkpoint = after_full_read(reconciler, result, drift, digests, now, newest)
    scan = Scan(
        incremental=False,
        reason=reason,
        organizations=len(checkpoint.organizations),
        unwritten=unreadable,
    )
    kept = checkpoint if unreadable is None else None
    whole = dict.fromkeys(reconciler.desired.organizations, (True, True))
    return SnapshotPlan(result, scan, whole, kept)


async def _from_log(
    reconciler: Reconciler, checkpoint: Checkpoint, stored: Snapshot, digests: Digests, now: float
) -> SnapshotPlan:
    session, desired = reconciler.session, reconciler.desired
    before = session.counter.reads
    log = await read_log(reconciler, checkpoint)
    again, scan = await log_rereads(reconciler, checkpoint, digests, log)
    scope = scope_of(again.view, again.only, list_all=False)
    fresh = await read_live(session, scope, reconciler.progress, found=again.found)
    live = merged(stored, fresh, scope, again.read, desired, again.organizations)
    result = await _planned(reconciler, live, session.counter.reads - before)
    base = replace(
        checkpoint,
        log_id=log.last_id,
        read_at=now,
        full_scan_at=min(checkpoint.full_scan_at, now),
        digests=digests,
    )
    current = again.organizations
    kept = _kept(reconciler, base, live, current, result.plan, scope.needs_roles)
    return SnapshotPlan(result, scan, again.read, kept)


async def on_fresh_reads(reconciler: Reconciler, planned: SnapshotPlan) -> SnapshotPlan:
    """The plan with what it changes read in this run: the organizations whose fields or
    parts it writes came from the snapshot are read again (whole) and the plan made again,
    until none is left."""
    result, fresh, kept = planned.result, dict(planned.fresh), planned.checkpoint
    while stale := _stale(result.plan, reconciler.desired, fresh):
        before = reconciler.session.counter.reads
        again = await reconciler.plan(stale, list_all=False)
        current = {**_ids(result.live), **_ids(again.live)}
        live = _over(reconciler, result.live, again, current)
        calls = result.live.read_calls + reconciler.session.counter.reads - before
        result = await _planned(reconciler, live, calls)
        fresh.update(dict.fromkeys(stale, (True, True)))
        if kept is not None:
            listed = again.scope.needs_roles
            kept = _kept(reconciler, kept, live, current, result.plan, listed)
    return replace(planned, result=result, fresh=fresh, checkpoint=kept)


def after_apply(
    reconciler: Reconciler, planned: SnapshotPlan, applied: ApplyResult
) -> Checkpoint | None:
    """The checkpoint after an apply of `planned`: its snapshot with what the verification
    read back. What still differs is read again next time, and so are the organizations the
    apply touched that were not read back (`Verify.ANSWERS`), and the roles when they were
    not."""
    kept, result, back = planned.checkpoint, planned.result, reconciler.read_back
    if kept is None or not applied.report.results:
        return kept
    desired, policy = reconciler.desired, reconciler.desired.tenant.policy
    before = drift_of(result.plan, policy)
    left = drift_of(applied.remaining, policy)
    if back is None:
        organizations = drifted_organizations(before) | _changed(result.plan, desired)
        return replace(kept, drifted_organizations=organizations)
    # A listing names the unmanaged organizations afresh; the managed ones not read back
    # are as the plan found them (an apply deletes only organizations no file describes).
    listed = back.scope.list_all
    current = {i: n for i, n in kept.organizations.items() if not listed or n in back.scope.known}
    current.update(_ids(back.live))
    live = _over(reconciler, result.live, back, current)
    roles_read = back.scope.needs_roles
    kept = _kept(reconciler, kept, live, current, applied.remaining, roles_read)
    read_back = frozenset(back.scope.organizations)
    organizations = (drifted_organizations(before) - read_back) | drifted_organizations(left)
    roles = drifted_roles(left) | (frozenset() if roles_read else drifted_roles(before))
    return replace(kept, drifted_organizations=organizations, drifted_roles=roles)


def keep(path: Path, checkpoint: Checkpoint | None, scan: Scan) -> Scan:
    """Write the checkpoint (when there is one); `scan`, saying why it was not written."""
    if checkpoint is None:
        return scan
    try:
        write_checkpoint(path, checkpoint)
    except OSError as error:
        return replace(scan, unwritten=f"{path} cannot be written ({error.strerror or error})")
    return scan


async def _planned(reconciler: Reconciler, live: Snapshot, calls: int) -> PlanResult:
    """Every file planned against `live`, as `Reconciler.plan` plans a full read."""
    desired = reconciler.desired
    live.read_calls = calls
    twins = await reconciler.duplicates(live)
    if twins:
        raise DuplicateApplications(twins, desired.tenant_name)
    plan = await plan_of(
        reconciler.session, desired, live, None, reconciler.member_batch, reconciler.progress
    )
    return PlanResult(plan, live, scope_of(desired))


def _over(
    reconciler: Reconciler, live: Snapshot, again: PlanResult, current: dict[str, str]
) -> Snapshot:
    """`again` (its organizations read whole) laid over `live`."""
    read: ReadAgain = {name: (True, True) for name in again.scope.organizations}
    return merged(live, again.live, again.scope, read, reconciler.desired, current)


def _ids(live: Snapshot) -> dict[str, str]:
    """Organization id -> name of every organization a snapshot knows."""
    ids = {org.id: org.name for org in live.organizations.values()}
    ids.update({org_id: name for name, org_id in live.other_organizations.items()})
    return ids


def _changed(plan: Plan, desired: Desired) -> frozenset[str]:
    """The managed organizations a plan writes to."""
    managed = desired.organizations
    return frozenset(op.org for op in plan.operations if op.org is not None and op.org in managed)


def _stale(plan: Plan, desired: Desired, fresh: ReadAgain) -> frozenset[str]:
    """The managed organizations a plan writes to without having read in this run what it
    writes: their own fields (the organization's create, update or delete) or their parts."""
    stale = set()
    for op in plan.operations:
        if op.org is None or op.org not in desired.organizations:
            continue
        fields, parts = fresh.get(op.org, (False, False))
        if not (fields if op.key.kind is Kind.ORGANIZATION else parts):
            stale.add(op.org)
    return frozenset(stale)


def _kept(
    reconciler: Reconciler,
    base: Checkpoint,
    live: Snapshot,
    organizations: dict[str, str],
    plan: Plan,
    listed: bool,
) -> Checkpoint:
    """`base` with the snapshot `live`, the organizations in Auth0 and what differs in
    `plan`; the role map updated when the roles were `listed`."""
    names = set(organizations.values())
    drift = drift_of(plan, reconciler.desired.tenant.policy)
    return replace(
        base,
        organizations=organizations,
        roles=role_map(base.roles, live, names, names if listed else set(), listed=listed),
        drifted_organizations=drifted_organizations(drift),
        drifted_roles=drifted_roles(drift),
        live=live,
    )
