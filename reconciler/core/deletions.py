"""A plan as people review it: the diff, with each organization it deletes followed by what
goes with it (read for those organizations only, `resources.deleted_contents`)."""

from reconciler.auth0.reads import SessionReads
from reconciler.auth0.session import Session
from reconciler.engine import Plan
from reconciler.model.desired import Desired
from reconciler.model.live import Snapshot
from reconciler.progress import Progress
from reconciler.resources import diff
from reconciler.resources.deleted_contents import (
    contents_rows,
    deleted_organizations,
    read_contents,
    with_contents,
)


async def plan_of(
    session: Session,
    desired: Desired,
    live: Snapshot,
    only: frozenset[str] | None,
    member_batch: int,
    progress: Progress | None = None,
) -> Plan:
    """Diff `desired` against `live`; list what goes with each organization it deletes
    (the reads that takes count in `live.read_calls`)."""
    plan = diff(desired, live, only=only, member_batch=member_batch)
    deleted = deleted_organizations(plan, live)
    if not deleted:
        return plan
    before = session.counter.reads
    found = await read_contents(SessionReads(session), deleted, progress)
    live.read_calls += session.counter.reads - before
    return with_contents(plan, {name: contents_rows(org, live) for name, org in found.items()})
