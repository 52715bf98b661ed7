"""Plans and applies from the snapshot of a logged tenant (`incremental.logged_tenant`), and
the plans of a full read to hold them against."""

from reconciler.core.results import ApplyResult
from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.core.verification import Verify
from reconciler.drift.from_snapshot import (
    SnapshotPlan,
    after_apply,
    keep,
    on_fresh_reads,
    plan_from_snapshot,
)
from reconciler.engine import Plan
from reconciler.progress import ProgressEvent
from tests.integration.incremental import LoggedTenant


def shown(plan: Plan) -> tuple[list[str], list[str]]:
    """A plan's rows and operations, comparable whatever order they were made in."""
    return sorted(map(repr, plan.rows)), sorted(map(repr, plan.operations))


async def snapshot_plan(t: LoggedTenant) -> SnapshotPlan:
    """`plan --from-snapshot`, the snapshot kept; the sandbox's call log holds its calls."""
    t.sandbox.reset_calls()
    t.names = {**t._names(), **t.names}
    async with connect(t.tenant.desired, sandbox=t.sandbox, clock=t.clock) as session:
        planned = await plan_from_snapshot(Reconciler(session, t.tenant.desired), t.checkpoint)
    keep(t.checkpoint, planned.checkpoint, planned.scan)
    return planned


async def full_plan(t: LoggedTenant) -> Plan:
    """`plan`: every organization read."""
    async with connect(t.tenant.desired, sandbox=t.sandbox, clock=t.clock) as session:
        return (await Reconciler(session, t.tenant.desired).plan()).plan


class Killed(Exception):
    """The apply's process is gone (as a CI runner losing its machine)."""


async def snapshot_apply(
    t: LoggedTenant, verify: Verify = Verify.FULL, writes: int | None = None
) -> tuple[SnapshotPlan, ApplyResult | None]:
    """`apply --from-snapshot --yes` (allowed to delete); with `writes`, killed once that
    many of its writes are done: nothing verified, no snapshot kept."""
    t.sandbox.reset_calls()
    t.names = {**t._names(), **t.names}

    def kill(event: ProgressEvent) -> None:
        if writes is not None and event.stage == "applying" and event.done >= writes:
            raise Killed

    async with connect(t.tenant.desired, sandbox=t.sandbox, clock=t.clock) as session:
        core = Reconciler(session, t.tenant.desired, verify=verify, verify_delays=(), progress=kill)
        planned = await on_fresh_reads(core, await plan_from_snapshot(core, t.checkpoint))
        applied = None
        if planned.result.plan.operations:
            try:
                applied = await core.apply(planned.result, allow_delete=True, force=True)
            except Killed:
                return planned, None
        kept = planned.checkpoint if applied is None else after_apply(core, planned, applied)
        keep(t.checkpoint, kept, planned.scan)
        return planned, applied
