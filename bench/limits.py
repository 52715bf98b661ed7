"""The limits a bench run is measured under: an Auth0 subscription's buckets on a clock
`speedup` times faster (the served sandbox's `--limits-speedup`), and the least time a
scenario's calls take under those same compressed buckets (`reconciler.engine.duration`)."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.auth0.ratelimit import group_of
from reconciler.engine.duration import LABELS, bound_under
from reconciler.engine.rate_limits import Limits, RateGroup, limits_of
from reconciler.model.subscription import Subscription


@dataclass(frozen=True)
class BenchLimits:
    """A subscription's limits, `speedup` times faster."""

    subscription: Subscription
    speedup: int

    @property
    def label(self) -> str:
        """`Enterprise`, `Essentials/Professional`."""
        return LABELS[self.subscription]

    @property
    def limits(self) -> Limits:
        """The compressed buckets the sandbox enforces."""
        return limits_of(self.subscription).faster(self.speedup)

    def seconds(self, calls: Iterable[Mapping[str, Any]]) -> float:
        """The least wall time of these logged calls under the compressed buckets: the
        slowest bucket's (calls - burst) / sustained rate, the tenant-wide one included. A
        refused call (429) takes no token, so it is not counted."""
        return bound_under(groups(c for c in calls if c["status"] != 429), self.limits)

    @property
    def refilled_after(self) -> float:
        """Seconds after which every bucket is full again, however empty it was."""
        buckets = [*self.limits.groups.values(), self.limits.tenant]
        return max(b.burst / b.per_second for b in buckets if b is not None)


def groups(calls: Iterable[Mapping[str, Any]]) -> Counter[RateGroup]:
    """Logged calls counted by their endpoint group, as the client paces them."""
    return Counter(group_of(c["method"], c["path"]) for c in calls)
