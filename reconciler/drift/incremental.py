"""Incremental drift: read the tenant log since the last check and read again only what the
writes it holds can have changed; read everything when the log cannot be trusted.

Between two checks, an object can only have drifted if a write changed it (the log has a
`sapi` event for every successful write), if its file changed, or if it already differed at
the last check. So a check reads the writes since the checkpoint, leaves out those of the
reconciler's own client (its applies), places what the others can have changed
(`drift.rereads`) and plans only that through the core (`Reconciler.plan_known`); everything
else is as the last check left it. A full read is the core's full drift (`core.drift`).

It reads everything instead, and says why, when there is no usable checkpoint (none, of
another tenant or target, not as it was written, or dated ahead of this machine's clock), when
it is older than the log's retention or the last full read is older than
`drift.full_scan_days`, when tenant.yaml changed, when the log cannot be read (an error, or an
answer that is not the documented array of events), has lost the checkpoint's event or is
longer than reading everything costs, or when a write can change objects it does not name.
A new checkpoint's last full read is the time of a full read, or the previous one's, checked.
It keeps the live state too (`drift.merge`: what was read again over what the last one held),
for plans made from it (`drift.from_snapshot`).
"""

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reconciler.auth0.errors import ApiCallError
from reconciler.core.drift import detect_drift
from reconciler.core.results import PlanResult
from reconciler.core.service import Reconciler
from reconciler.drift.checkpoint import (
    Checkpoint,
    CheckpointUnusable,
    Digests,
    digests_of,
    read_checkpoint,
    write_checkpoint,
)
from reconciler.drift.merge import merged
from reconciler.drift.rereads import FullScan, Rereads, rereads
from reconciler.drift.tenant_log import LogRead, log_event_exists, newest_log_id, writes_after
from reconciler.engine.drift import Drift, drift_of
from reconciler.model.live import Snapshot

DAY = 86_400.0
CLOCK_SKEW = 300.0
"""How far (seconds) a checkpoint may be dated ahead of this machine's clock: another
runner's clock may be a little ahead."""


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
            text = (
                f"Incremental: {writes} in the tenant log since the last check{own}; "
                f"{_count(self.organizations, 'organization')} read again."
            )
        else:
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
        check_usable(checkpoint, reconciler, digests, now)
        drift, scan, written = await _incremental(reconciler, checkpoint, digests, now)
    except (CheckpointUnusable, FullScan) as why:
        drift, scan, written = await _full(reconciler, digests, now, str(why))
    if written is not None:
        try:
            write_checkpoint(path, written)
        except OSError as error:
            scan = replace(scan, unwritten=f"{path} cannot be written ({error.strerror or error})")
    return CheckedDrift(drift, scan, session.counter.reads - before)


def check_usable(
    checkpoint: Checkpoint, reconciler: Reconciler, digests: Digests, now: float
) -> None:
    """CheckpointUnusable, saying why, when the log cannot be read from this checkpoint."""
    desired, label = reconciler.desired, reconciler.session.target.label
    settings = desired.tenant.drift
    if (checkpoint.tenant, checkpoint.target) != (desired.tenant_name, label):
        raise CheckpointUnusable(
            f"the checkpoint is of tenant {checkpoint.tenant} on {checkpoint.target}"
        )
    ahead = checkpoint.read_at - now
    if ahead > CLOCK_SKEW:
        raise CheckpointUnusable(
            f"the checkpoint is dated {_duration(ahead)} ahead of this machine's clock"
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
    newest, unreadable = await log_start(reconciler)
    found = await detect_drift(reconciler)
    checkpoint = after_full_read(reconciler, found.result, found.drift, digests, now, newest)
    scan = Scan(
        incremental=False,
        reason=reason,
        organizations=len(checkpoint.organizations),
        unwritten=unreadable,
    )
    return found.drift, scan, checkpoint if unreadable is None else None


async def log_start(reconciler: Reconciler) -> tuple[str | None, str | None]:
    """The newest log event before a full read, or why the log cannot be read."""
    try:
        return await newest_log_id(reconciler.session), None
    except ApiCallError as error:
        return None, f"the tenant log cannot be read ({error})"


def after_full_read(
    reconciler: Reconciler,
    result: PlanResult,
    drift: Drift,
    digests: Digests,
    now: float,
    newest: str | None,
) -> Checkpoint:
    """The checkpoint a full read leaves (`result`: every organization listed)."""
    live = result.live
    organizations = {org.id: org.name for org in live.organizations.values()}
    organizations.update({org_id: name for name, org_id in live.other_organizations.items()})
    names = set(organizations.values())
    return Checkpoint(
        tenant=reconciler.desired.tenant_name,
        target=reconciler.session.target.label,
        log_id=newest,
        read_at=now,
        full_scan_at=now,
        organizations=organizations,
        roles=role_map({}, live, names, names),
        digests=digests,
        drifted_organizations=drifted_organizations(drift),
        drifted_roles=drifted_roles(drift),
        live=live,
    )


async def _incremental(
    reconciler: Reconciler, checkpoint: Checkpoint, digests: Digests, now: float
) -> tuple[Drift, Scan, Checkpoint]:
    session, desired = reconciler.session, reconciler.desired
    log = await read_log(reconciler, checkpoint)
    again, scan = await log_rereads(reconciler, checkpoint, digests, log)
    current = again.organizations
    result = await reconciler.plan_known(again.view, again.only, again.found, current)
    live, listed = result.live, result.scope.needs_roles
    drift = drift_of(result.plan, desired.tenant.policy)
    kept = checkpoint.live
    if kept is not None:
        kept = merged(kept, live, result.scope, again.read, desired, current)
    written = Checkpoint(
        tenant=desired.tenant_name,
        target=session.target.label,
        log_id=log.last_id,
        read_at=now,
        full_scan_at=min(checkpoint.full_scan_at, now),
        organizations=current,
        roles=role_map(
            checkpoint.roles,
            live,
            set(current.values()),
            set(again.found) if listed else set(),
            listed=listed,
        ),
        digests=digests,
        drifted_organizations=drifted_organizations(drift),
        drifted_roles=drifted_roles(drift),
        live=kept,
    )
    return drift, scan, written


async def log_rereads(
    reconciler: Reconciler, checkpoint: Checkpoint, digests: Digests, log: LogRead
) -> tuple[Rereads, Scan]:
    """What the log's writes since the checkpoint make read again (the reconciler's own
    client's writes left out of what others changed), and how the check reads."""
    own = reconciler.session.client_id
    mine = [w for w in log.writes if own is not None and w.client_id == own]
    theirs = [w for w in log.writes if own is None or w.client_id != own]
    again = await rereads(reconciler, checkpoint, digests, theirs, mine)
    scan = Scan(
        incremental=True,
        writes=len(theirs),
        own_writes=len(mine),
        organizations=len(again.only),
    )
    return again, scan


async def read_log(reconciler: Reconciler, checkpoint: Checkpoint) -> LogRead:
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


def role_map(
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


def drifted_organizations(drift: Drift) -> frozenset[str]:
    """The organizations that differ from Git (read again until they match)."""
    return frozenset(row.org for row in drift.rows if row.org is not None)


def drifted_roles(drift: Drift) -> frozenset[str]:
    """The tenant roles that differ from Git."""
    return frozenset(row.name for row in drift.rows if row.org is None and row.kind == "role")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _duration(seconds: float) -> str:
    """`3 days`, `5 hours` or `12 minutes`, rounded down."""
    for unit, noun in ((DAY, "day"), (3_600.0, "hour")):
        if seconds >= unit:
            return _count(int(seconds // unit), noun)
    return _count(int(seconds // 60), "minute")
