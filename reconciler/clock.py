"""Time as the reconciler sees it: one injectable clock for waits, back-off and polling."""

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    """Tells the time and waits; tests pass a virtual clock whose sleeps return at once."""

    def now(self) -> float:
        """Seconds since the epoch."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait this long."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    async def sleep(self, seconds: float) -> None:
        """Wait this long."""
        await asyncio.sleep(seconds)


class VirtualClock:
    """A clock that moves only when someone sleeps: each sleep advances it and yields."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.time = start
        self.slept: list[float] = []

    def now(self) -> float:
        """The virtual time."""
        return self.time

    async def sleep(self, seconds: float) -> None:
        """Advance the virtual time and let other tasks run."""
        self.slept.append(seconds)
        self.time += max(seconds, 0.0)
        await asyncio.sleep(0)
