"""Counts the Management API requests a session makes, reads and writes apart."""

from dataclasses import dataclass, field

import httpx

READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class CallCounter:
    """Request counts by kind."""

    reads: int = 0
    writes: int = 0
    log: list[tuple[str, str]] = field(default_factory=list)

    def count(self, request: httpx.Request) -> None:
        """Count one Management API request."""
        self.log.append((request.method, request.url.path))
        if request.method in READ_METHODS:
            self.reads += 1
        else:
            self.writes += 1
