"""Drift detection: plan every managed organization, listing them all, and frame the plan as
what changed in Auth0 against Git."""

from dataclasses import dataclass

from reconciler.core.results import PlanResult
from reconciler.core.service import Reconciler
from reconciler.core.shards import Shard
from reconciler.engine.drift import Drift, drift_of


@dataclass(frozen=True)
class DriftResult:
    """The drift and the plan result it was read from."""

    drift: Drift
    result: PlanResult


async def detect_drift(reconciler: Reconciler, shard: Shard | None = None) -> DriftResult:
    """Read the tenant (every organization listed; of one shard, when given) and report how
    Auth0 differs from Git."""
    result = await reconciler.plan(None, list_all=True, shard=shard)
    return DriftResult(drift_of(result.plan, reconciler.desired.tenant.policy), result)
