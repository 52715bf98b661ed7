"""What planning and applying give back: a plan with what it was made against, and what an
apply did with what still differs after it."""

from dataclasses import dataclass

from reconciler.auth0.report import ApplyReport
from reconciler.engine.plan import Plan
from reconciler.model.live import Snapshot
from reconciler.resources.registry import existing_objects
from reconciler.resources.scope import Scope


@dataclass(frozen=True)
class PlanResult:
    """A plan with the live state it was made against."""

    plan: Plan
    live: Snapshot
    scope: Scope
    """What was read."""
    whole: bool = True
    """The plan is of every organization (no --org, no --shard)."""

    @property
    def existing(self) -> int:
        """Managed objects that exist (for the change-share rail)."""
        return existing_objects(self.live)


@dataclass(frozen=True)
class ApplyResult:
    """What an apply did and what, if anything, still differs afterwards."""

    report: ApplyReport
    remaining: Plan
    waiting: tuple[str, ...] = ()
    """Organizations whose deletion the apply left out: it waits for approval."""

    @property
    def converged(self) -> bool:
        """True when a fresh plan after the apply has nothing left to do."""
        return not self.remaining.operations
