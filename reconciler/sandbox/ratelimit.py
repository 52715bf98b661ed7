"""A token bucket with Auth0's ``x-ratelimit-*`` headers."""

from __future__ import annotations

import math


class TokenBucket:
    """Holds up to ``burst`` tokens, refilled at ``rps`` per second; each request takes one.
    Limits are passed on every call so that settings can change at any time."""

    def __init__(self) -> None:
        self._tokens: float | None = None
        self._stamp = 0.0

    def peek(
        self, now: float, rps: float | None, burst: int, step: float = 1.0
    ) -> tuple[bool, dict[str, str]]:
        """Whether a token is there to take, and the headers as they stand."""
        if rps is None:
            self._tokens = None
            return True, _headers(burst, burst, now, step)
        tokens = self._refill(now, rps, burst)
        return tokens >= 1, _headers(burst, int(tokens), now + (burst - tokens) / rps, step)

    def take(
        self, now: float, rps: float | None, burst: int, step: float = 1.0
    ) -> tuple[bool, dict[str, str]]:
        """Try to take a token: (allowed, headers). ``x-ratelimit-reset`` is the time at which
        the bucket is full again, rounded up to a whole ``step`` (Auth0's: a Unix second).
        Without ``rps`` every request is allowed."""
        allowed, headers = self.peek(now, rps, burst, step)
        if rps is None or not allowed:
            return allowed, headers
        self._tokens = self._refill(now, rps, burst) - 1
        return True, self.peek(now, rps, burst, step)[1]

    def _refill(self, now: float, rps: float, burst: int) -> float:
        if self._tokens is None:
            self._tokens = float(burst)
        else:
            elapsed = max(0.0, now - self._stamp)
            self._tokens = min(float(burst), self._tokens + elapsed * rps)
        self._stamp = now
        return self._tokens


def _headers(limit: int, remaining: int, reset: float, step: float) -> dict[str, str]:
    steps = math.ceil(reset / step)
    return {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(steps) if step == 1 else f"{steps * step:.3f}",
    }
