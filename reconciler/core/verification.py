"""Verification after an apply: plan again what it touched until nothing is left to do or
the wait runs out (member lists are eventually consistent)."""

from collections.abc import Awaitable, Callable

from reconciler.auth0.report import ApplyReport
from reconciler.clock import Clock
from reconciler.engine.plan import Phase, Plan
from reconciler.progress import Progress, ProgressEvent

VERIFY_DELAYS = (0.25, 0.5, 1.0, 2.0, 4.0)
"""Pauses between verification reads while member lists catch up (eventually consistent)."""
PAGE = 100


def cheaper_to_list(orgs: frozenset[str], total: int | None) -> bool:
    """Whether listing every organization (`ceil(total/100)` calls) costs no more than looking
    `orgs` up by name (one call each); unknown totals look up by name."""
    return total is not None and len(orgs) >= max(1, -(-total // PAGE))


def to_verify(plan: Plan, organizations: int | None) -> tuple[frozenset[str], bool]:
    """The organizations an applied plan touched, and whether to list them when planning
    again: when the plan deleted some (to see them gone) or when listing costs fewer calls
    than looking each up by name (`organizations`: how many there were, None: unknown)."""
    touched = frozenset(op.org for op in plan.operations if op.org is not None)
    deletes = any(op.phase is Phase.ORG_DELETES for op in plan.operations)
    return touched, deletes or cheaper_to_list(touched, organizations)


async def remaining(
    replan: Callable[[], Awaitable[Plan]],
    report: ApplyReport,
    delays: tuple[float, ...],
    clock: Clock,
    progress: Progress | None,
) -> Plan:
    """What `replan` still finds to do after an apply, asked again after each of `delays`
    while something is left and the apply went through."""
    left = await replan()
    for delay in delays:
        if not left.operations or not report.ok:
            break
        if progress is not None:
            progress(ProgressEvent("verifying", 0, len(left.operations)))
        await clock.sleep(delay)
        left = await replan()
    return left
