"""Counts the Management API requests a session makes, reads and writes apart, and the reads
by endpoint group (for the time a read takes under a subscription's limits)."""

from collections import Counter
from dataclasses import dataclass, field

import httpx

from reconciler.engine.rate_limits import RateGroup

READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class CallCounter:
    """Request counts by kind."""

    reads: int = 0
    writes: int = 0
    reached: bool = False
    """True once the target has answered anything (token or API)."""
    read_groups: Counter[RateGroup] = field(default_factory=Counter)

    def count(self, request: httpx.Request, group: RateGroup) -> None:
        """Count one Management API request of this endpoint group."""
        if request.method in READ_METHODS:
            self.reads += 1
            self.read_groups[group] += 1
        else:
            self.writes += 1
