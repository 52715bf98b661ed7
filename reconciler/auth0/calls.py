"""Counts the Management API requests a session makes, reads and writes apart."""

from dataclasses import dataclass

import httpx

READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class CallCounter:
    """Request counts by kind."""

    reads: int = 0
    writes: int = 0
    reached: bool = False
    """True once the target has answered anything (token or API)."""

    def count(self, request: httpx.Request) -> None:
        """Count one Management API request."""
        if request.method in READ_METHODS:
            self.reads += 1
        else:
            self.writes += 1
