"""The jobs the commands run: connect to a target, read it, and plan against it."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from reconciler.auth0.executor import Progress as CallProgress
from reconciler.auth0.executor import execute
from reconciler.auth0.reader import Progress, read_live
from reconciler.auth0.report import ApplyReport
from reconciler.auth0.scope import scope_of
from reconciler.auth0.session import Session, open_session, sandbox_state_file
from reconciler.auth0.target import TargetKind, resolve_target
from reconciler.engine import Plan, diff
from reconciler.engine.diff import DEFAULT_MEMBER_BATCH
from reconciler.engine.errors import PlanError, PlanErrors
from reconciler.engine.plan import Operation
from reconciler.engine.planfile import SavedPlan, stale_objects
from reconciler.model.desired import Desired
from reconciler.model.live import Snapshot
from reconciler.sandbox import Sandbox

SANDBOX_STATE_DIR = Path(".sandbox")
VERIFY_DELAYS = (0.25, 0.5, 1.0, 2.0, 4.0)
"""Pauses between verification reads while member lists catch up (eventually consistent)."""
WORLD_FILE = "sandbox.yaml"


@dataclass(frozen=True)
class PlanResult:
    """A plan with the live state it was made against."""

    plan: Plan
    live: Snapshot


@asynccontextmanager
async def connect(
    desired: Desired,
    tenant_dir: Path,
    *,
    domain: str | None = None,
    sandbox: Sandbox | None = None,
    state_dir: Path = SANDBOX_STATE_DIR,
) -> AsyncIterator[Session]:
    """A session on the tenant's target; `domain: sandbox` starts the embedded sandbox.

    The embedded sandbox keeps its state in `.sandbox/<tenant>.json` and seeds itself from the
    tenant's `sandbox.yaml` on first use.
    """
    target = resolve_target(domain or desired.tenant.domain)
    if target.kind is TargetKind.SANDBOX and sandbox is None:
        sandbox = Sandbox.from_world_file(
            tenant_dir / WORLD_FILE,
            state_file=sandbox_state_file(state_dir, desired.tenant_name),
        )
    async with open_session(desired.tenant, target, sandbox=sandbox) as session:
        yield session


def selected(desired: Desired, orgs: tuple[str, ...]) -> frozenset[str] | None:
    """The organizations `--org` selects (None: all); unknown names are errors."""
    if not orgs:
        return None
    unknown = [name for name in orgs if name not in desired.organizations]
    if unknown:
        raise PlanErrors(
            [PlanError(f"--org {name}: no organization file defines it") for name in unknown]
        )
    return frozenset(orgs)


async def make_plan(
    session: Session,
    desired: Desired,
    *,
    only: frozenset[str] | None = None,
    member_batch: int = DEFAULT_MEMBER_BATCH,
    progress: Progress | None = None,
) -> PlanResult:
    """Read what the desired state manages and diff it into a plan."""
    live = await read_live(session, scope_of(desired, only), progress)
    return PlanResult(diff(desired, live, only=only, member_batch=member_batch), live)


@dataclass(frozen=True)
class ApplyResult:
    """What an apply did and what, if anything, still differs afterwards."""

    report: ApplyReport
    remaining: Plan

    @property
    def converged(self) -> bool:
        """True when a fresh plan after the apply has nothing left to do."""
        return not self.remaining.operations


async def stale(session: Session, desired: Desired, saved: SavedPlan) -> list[str]:
    """Objects a saved plan depends on that changed since it was made."""
    orgs = {
        key.partition(":")[2]
        for key in saved.fingerprints
        if key.startswith("organization:") and key.partition(":")[2] in desired.organizations
    }
    live = await read_live(session, scope_of(desired, frozenset(orgs)))
    return stale_objects(saved, live)


async def apply_operations(
    session: Session,
    desired: Desired,
    operations: tuple[Operation, ...],
    *,
    only: frozenset[str] | None = None,
    progress: CallProgress | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> ApplyResult:
    """Run the operations, then re-plan until nothing is left or the wait runs out."""
    report = await execute(session, operations, progress)
    touched = frozenset(op.org for op in operations if op.org in desired.organizations)
    scope = touched if only is None else only
    remaining = (await make_plan(session, desired, only=scope)).plan
    for delay in VERIFY_DELAYS:
        if not remaining.operations or not report.ok:
            break
        await sleep(delay)
        remaining = (await make_plan(session, desired, only=scope)).plan
    return ApplyResult(report, remaining)
