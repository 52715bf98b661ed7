"""Counts the Management API requests a session makes, reads and writes apart."""

from dataclasses import dataclass, field

import httpx

READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class CallCounter:
    """Request counts by kind, fed by an httpx request hook."""

    reads: int = 0
    writes: int = 0
    log: list[tuple[str, str]] = field(default_factory=list)

    async def on_request(self, request: httpx.Request) -> None:
        """httpx event hook: count one Management API request."""
        if "/api/v2/" not in request.url.path:
            return
        self.log.append((request.method, request.url.path))
        if request.method in READ_METHODS:
            self.reads += 1
        else:
            self.writes += 1
