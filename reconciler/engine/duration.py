"""How long a batch of Management API calls takes at least under a subscription's limits.

Each bucket starts full: of `n` calls drawing on a bucket, `burst` go at once and the rest at
its sustained rate, so the batch takes at least `max(0, (n - burst) / rate)` for every bucket
(an endpoint group's, or the tenant-wide one that every call draws on), and the slowest
bucket bounds the whole (docs/performance.md).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.kinds import Verb
from reconciler.engine.plan import Operation
from reconciler.engine.rate_limits import Limits, RateGroup, limits_of
from reconciler.model.subscription import Subscription

LABELS = {
    Subscription.FREE: "Free",
    Subscription.PROFESSIONAL: "Essentials/Professional",
    Subscription.ENTERPRISE: "Enterprise",
}


def operation_groups(operations: Iterable[Operation]) -> Counter[RateGroup]:
    """The endpoint groups of a plan's operations, counted."""
    groups: Counter[RateGroup] = Counter()
    for op in operations:
        segments = [part if isinstance(part, str) else "_" for part in op.path]
        found = ENDPOINTS.at(Verb(op.method), segments)
        groups[RateGroup.OTHER if found is None else found[0].group] += 1
    return groups


def lower_bound(calls: Mapping[RateGroup, int], subscription: Subscription) -> float:
    """Seconds the calls take at least under a subscription's limits."""
    return bound_under(calls, limits_of(subscription))


def bound_under(calls: Mapping[RateGroup, int], limits: Limits) -> float:
    """Seconds the calls take at least under these limits, the slowest bucket's time."""
    per_bucket: Counter[RateGroup] = Counter()
    for group, n in calls.items():
        own = limits.bucket_of(group)
        if own is not None:
            per_bucket[own] += n
    loads = [(limits.groups[key], n) for key, n in per_bucket.items()]
    if limits.tenant is not None:
        loads.append((limits.tenant, sum(calls.values())))
    return max((bucket.seconds_for(n) for bucket, n in loads), default=0.0)


@dataclass(frozen=True)
class Estimate:
    """A number of calls and the least time they take under a subscription's limits."""

    calls: int
    seconds: float
    subscription: Subscription

    @classmethod
    def of(cls, calls: Mapping[RateGroup, int], subscription: Subscription) -> "Estimate":
        """The estimate of these calls per group."""
        return cls(sum(calls.values()), lower_bound(calls, subscription), subscription)

    def __str__(self) -> str:
        """`3,003 API calls, about 7 min at Enterprise limits`."""
        noun = "API call" if self.calls == 1 else "API calls"
        return f"{self.calls:,} {noun}, {self.duration} at {LABELS[self.subscription]} limits"

    @property
    def duration(self) -> str:
        """`within the bursts`, `about 40 s`, `about 7 min`, `about 2 h 5 min`."""
        seconds = round(self.seconds)
        if seconds < 1:
            return "within the bursts"
        if seconds < 90:
            return f"about {seconds} s"
        minutes = round(self.seconds / 60)
        if minutes < 90:
            return f"about {minutes} min"
        return f"about {minutes // 60} h {minutes % 60} min"
