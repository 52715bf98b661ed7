"""Injected faults, decided by a seeded generator so that tests are deterministic."""

from __future__ import annotations

import random

from .settings import SandboxSettings


class ConnectionDropped(Exception):
    """Raised by the app to close the connection without a (complete) response.
    ``status`` is that of the response that was lost (0 if nothing was applied)."""

    def __init__(self, fault: str, status: int = 0) -> None:
        super().__init__(fault)
        self.fault = fault
        self.status = status


class FaultInjector:
    """Draws from a generator seeded with ``settings.seed`` (restarted whenever the seed
    changes), and only for faults whose probability is above zero."""

    def __init__(self) -> None:
        self._seed: int | None = None
        self._rng = random.Random()

    def _happens(self, probability: float, seed: int) -> bool:
        if probability <= 0:
            return False
        if seed != self._seed:
            self._seed = seed
            self._rng = random.Random(seed)
        return self._rng.random() < probability

    def before_request(self, settings: SandboxSettings) -> str | None:
        """``drop`` or ``server_error`` if the request should fail before it is applied."""
        if self._happens(settings.drop_rate, settings.seed):
            return "drop"
        if self._happens(settings.fail_rate, settings.seed):
            return "server_error"
        return None

    def lose_response(self, settings: SandboxSettings) -> bool:
        """Whether an applied write should lose its response."""
        return self._happens(settings.lost_response_rate, settings.seed)
