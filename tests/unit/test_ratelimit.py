"""The client-side rate limiter keeps the reserved share of the bucket free."""

import asyncio

from reconciler.auth0.ratelimit import RateLimiter


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def headers(limit: int, remaining: int, reset: float) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(reset),
    }


def test_requests_pass_before_anything_is_known():
    time = FakeTime()
    limiter = RateLimiter(0.5, time.clock, time.sleep)
    for _ in range(50):
        asyncio.run(limiter.acquire())
    assert time.slept == []


def test_half_share_waits_for_reset_when_half_the_bucket_is_spent():
    time = FakeTime()
    limiter = RateLimiter(0.5, time.clock, time.sleep)
    limiter.observe(headers(10, 10, time.now + 2))

    async def spend(n: int) -> None:
        for _ in range(n):
            await limiter.acquire()

    asyncio.run(spend(5))
    assert time.slept == []
    asyncio.run(spend(1))
    assert time.slept == [2.0]


def test_full_share_may_use_the_whole_bucket():
    time = FakeTime()
    limiter = RateLimiter(1.0, time.clock, time.sleep)
    limiter.observe(headers(10, 10, time.now + 1))

    async def spend() -> None:
        for _ in range(10):
            await limiter.acquire()

    asyncio.run(spend())
    assert time.slept == []


def test_after_429_it_waits_until_the_reset_header():
    time = FakeTime()
    limiter = RateLimiter(0.5, time.clock, time.sleep)
    asyncio.run(limiter.wait_for_reset(headers(10, 0, time.now + 3)))
    assert time.slept == [3.0]


def test_headers_from_an_older_window_do_not_raise_remaining():
    time = FakeTime()
    limiter = RateLimiter(0.5, time.clock, time.sleep)
    limiter.observe(headers(10, 3, time.now + 2))
    limiter.observe(headers(10, 9, time.now + 2))
    assert limiter.remaining == 3
