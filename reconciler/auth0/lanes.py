"""The order an apply runs its operations in: phase by phase within each organization, with
the tenant-wide operations as barriers between phases.

Each organization is a lane that goes through its phases on its own: its members are added as
soon as it exists, not once every organization of the plan does, so that the buckets of
different endpoint groups are spent at once. The tenant-wide operations (applications, roles,
the Action, role deletions) form one more lane, and a phase of either kind starts only when
every operation of the other kind in an earlier phase is done: every organization's roles
and links wait for the applications and roles they name, the Action for every organization
it routes to, and every removal for the Action.
"""

import asyncio
from collections.abc import Awaitable, Callable
from itertools import groupby

from reconciler.engine.plan import Operation, Phase

PHASES = tuple(Phase)


async def run_in_order(
    operations: tuple[Operation, ...],
    run: Callable[[Operation], Awaitable[None]],
    finished: Callable[[str], None] | None = None,
) -> None:
    """Call `run` once for every operation, each after what it must follow: the earlier phases
    of its own lane and of the tenant-wide lane (all lanes, for a tenant-wide operation), and
    its `depends_on` of an earlier phase or the same one; operations free of each other run
    concurrently. `finished` hears of each organization whose operations are all done."""
    ordered = sorted(operations, key=Operation.sort_key)
    done = {op.key: asyncio.Event() for op in ordered}
    phase_of = {op.key: op.phase for op in ordered}
    lanes: dict[str | None, list[Operation]] = {}
    for op in ordered:
        lanes.setdefault(op.org, []).append(op)
    barriers = _Barriers(sum(1 for org in lanes if org is not None))

    async def one(op: Operation) -> None:
        for dependency in op.depends_on:
            # A dependency of a later phase cannot have run: `run` reports it as not done.
            if dependency in done and phase_of[dependency] <= op.phase:
                await done[dependency].wait()
        await run(op)
        done[op.key].set()

    async def lane(org: str | None, ops: list[Operation]) -> None:
        for phase, phase_ops in groupby(ops, key=lambda o: o.phase):
            barriers.through(org, _before(phase))
            await barriers.wait_others(org, _before(phase))
            await asyncio.gather(*(one(op) for op in phase_ops))
        barriers.through(org, PHASES[-1])
        if finished is not None and org is not None:
            finished(org)

    if None not in lanes:
        barriers.through(None, PHASES[-1])
    await asyncio.gather(*(lane(org, ops) for org, ops in lanes.items()))


def _before(phase: Phase) -> Phase | None:
    """The phase before `phase` (None: it is the first)."""
    index = PHASES.index(phase)
    return PHASES[index - 1] if index else None


class _Barriers:
    """Which phases the tenant-wide lane, and all organization lanes together, are through."""

    def __init__(self, organizations: int) -> None:
        self._tenant = {phase: asyncio.Event() for phase in PHASES}
        self._orgs = {phase: asyncio.Event() for phase in PHASES}
        self._left = dict.fromkeys(PHASES, organizations)
        self._marked: dict[str | None, int] = {}
        if organizations == 0:
            for event in self._orgs.values():
                event.set()

    def through(self, org: str | None, phase: Phase | None) -> None:
        """The lane of `org` (None: the tenant-wide one) has run every operation it has of
        `phase` and the phases before it."""
        if phase is None:
            return
        start = self._marked.get(org, 0)
        end = PHASES.index(phase) + 1
        for passed in PHASES[start:end]:
            if org is None:
                self._tenant[passed].set()
                continue
            self._left[passed] -= 1
            if self._left[passed] == 0:
                self._orgs[passed].set()
        self._marked[org] = max(start, end)

    async def wait_others(self, org: str | None, phase: Phase | None) -> None:
        """Until the lanes of the other kind are through `phase`."""
        if phase is None:
            return
        await (self._orgs if org is None else self._tenant)[phase].wait()
