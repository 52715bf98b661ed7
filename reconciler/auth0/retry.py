"""The one retry policy of every Management API call: classify the outcome, then wait for the
bucket (429), back off and try again (5xx, dropped connection), settle by reading (an unknown
outcome of a create) or fail."""

import random
from dataclasses import dataclass, field
from enum import StrEnum

from reconciler.clock import Clock


class Verdict(StrEnum):
    """What to do after one attempt."""

    DONE = "done"
    WAIT = "wait"
    """429: wait for the bucket's reset; does not count as an attempt."""
    RETRY = "retry"
    """The outcome is unknown (5xx, no response): back off, then settle or send again."""
    FAIL = "fail"


def classify(status: int | None) -> Verdict:
    """The verdict for a response status; None means no response arrived."""
    if status is None or status >= 500:
        return Verdict.RETRY
    if status == 429:
        return Verdict.WAIT
    if 200 <= status < 300:
        return Verdict.DONE
    return Verdict.FAIL


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to try: exponential back-off with jitter, bounded."""

    max_attempts: int = 6
    max_rate_limited: int = 30
    """429s wait for the bucket and do not count as attempts, up to this many."""
    backoff: float = 0.1
    jitter: float = 0.5
    """Each pause is stretched by a random share up to this, so retries do not march in step."""

    def pause(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait before attempt number `attempt + 1`."""
        return float(self.backoff * 2.0**attempt * (1 + self.jitter * rng.random()))


@dataclass
class Attempts:
    """The attempts of one call under a policy."""

    policy: RetryPolicy
    clock: Clock
    rng: random.Random = field(default_factory=random.Random)
    attempt: int = 0
    limited: int = 0
    last: str = ""

    @property
    def exhausted(self) -> bool:
        """True when no further attempt is allowed."""
        return (
            self.attempt >= self.policy.max_attempts or self.limited > self.policy.max_rate_limited
        )

    async def back_off(self, reason: str) -> None:
        """Note a failed attempt and wait before the next one, if another is allowed."""
        self.last = reason
        self.attempt += 1
        if not self.exhausted:
            await self.clock.sleep(self.policy.pause(self.attempt - 1, self.rng))

    def rate_limited(self, reason: str) -> None:
        """Note a 429 (the caller waits for the bucket)."""
        self.last = reason
        self.limited += 1

    def gave_up(self) -> str:
        """Why the call ends without success."""
        return f"gave up after {self.attempt + self.limited} attempts; last: {self.last}"
