"""The client-side rate limiter keeps the reserved share of the bucket free."""

import asyncio

from reconciler.auth0.ratelimit import RateLimiter
from reconciler.clock import VirtualClock


def headers(limit: int, remaining: int, reset: float) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(reset),
    }


def limiter(share: float = 0.5) -> tuple[RateLimiter, VirtualClock]:
    time = VirtualClock(1_000.0)
    return RateLimiter(share, time), time


def test_first_request_passes_before_anything_is_known():
    rl, time = limiter()
    asyncio.run(rl.acquire())
    assert (rl.in_flight, time.slept) == (1, [])


def test_requests_in_flight_stay_within_the_share_of_a_full_bucket():
    rl, _ = limiter(0.5)
    rl.observe(headers(10, 10, 1_000))

    async def fill() -> int:
        sent = 0
        while rl._fits():
            await rl.acquire()
            sent += 1
        return sent

    assert asyncio.run(fill()) == 5


def test_half_share_waits_for_the_tokens_it_needs_when_half_the_bucket_is_spent():
    rl, time = limiter(0.5)
    rl.observe(headers(10, 5, time.time + 2))
    asyncio.run(rl.acquire())
    assert time.slept == [0.4]
    assert rl.in_flight == 1


def test_without_refill_information_it_waits_for_the_reset():
    rl, time = limiter(0.5)
    rl.observe(headers(10, 0, time.time))
    time.time -= 2
    asyncio.run(rl.acquire())
    assert time.slept == [2.0]


def test_full_share_may_use_the_whole_bucket():
    rl, time = limiter(1.0)
    rl.observe(headers(10, 1, time.time + 2))
    asyncio.run(rl.acquire())
    assert time.slept == []


def test_release_learns_from_the_response_headers():
    rl, time = limiter(0.5)

    async def one() -> None:
        await rl.acquire()
        await rl.release(headers(10, 4, time.time + 3))

    asyncio.run(one())
    assert (rl.limit, rl.remaining, rl.in_flight) == (10, 4, 0)


def test_after_429_it_waits_until_the_reset_header():
    rl, time = limiter()
    asyncio.run(rl.wait_for_reset(headers(10, 0, time.time + 3)))
    assert time.slept == [3.0]
