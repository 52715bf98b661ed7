"""The client-side rate limiter keeps the reserved share of the bucket free."""

import asyncio

import pytest

from reconciler.auth0.ratelimit import Limiters, RateLimiter, Turns, group_of
from reconciler.clock import VirtualClock
from reconciler.engine.rate_limits import Bucket, RateGroup, Unit, limits_of
from reconciler.model.subscription import Subscription


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
    # More than 4 tokens back within 2 s (remaining is rounded down): 1 token in 0.5 s.
    assert time.slept == [0.5]
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


def test_after_429_the_next_request_waits_for_the_tokens_its_share_needs():
    rl, time = limiter()

    async def refused_then_again() -> None:
        await rl.acquire()
        await rl.release(headers(10, 0, time.time + 3), 429)
        await rl.acquire()

    asyncio.run(refused_then_again())
    # More than 9 tokens back within 3 s; half the bucket reserved: 6 tokens needed.
    assert time.slept == [pytest.approx(2.0)]


def test_a_reading_just_before_a_rounded_reset_does_not_make_the_bucket_seem_instant():
    rl, time = limiter()
    rl.observe(headers(10, 9, time.time + 0.01))  # one token short, the reset rounded up
    assert rl.refill == 0.0
    rl.observe(headers(10, 0, time.time + 3))
    assert rl.refill == 3.0


def test_an_answer_that_comes_late_does_not_make_the_bucket_seem_faster():
    rl, time = limiter()
    sent = time.time
    time.time += 2.5  # the headers were written when the request arrived, 2.5 s ago
    rl.observe(headers(10, 3, sent + 3), sent)
    # 6 tokens short and full 3 s after the request: at least 2/s, not 6 / 0.5 s
    assert rl.refill == 2.0


def test_a_limiter_starts_from_the_published_bucket():
    time = VirtualClock(1_000.0)
    rl = RateLimiter(0.5, time, Bucket(10, 60, Unit.MINUTE))

    async def send(n: int) -> None:
        for _ in range(n):
            await rl.acquire()
            await rl.release(None)

    # Half of the burst at once, then one a second: the published refill.
    asyncio.run(send(8))
    assert time.slept == [1.0] * 3


def test_requests_take_from_their_groups_bucket_and_the_tenants():
    time = VirtualClock(1_000.0)
    limiters = Limiters(1.0, limits_of(Subscription.ENTERPRISE), time)
    members = limiters.limiter(RateGroup.MEMBERS_READ)
    assert limiters.limiter(RateGroup.ORGANIZATIONS_WRITE) is not members
    assert limiters.limiter(RateGroup.OTHER) is limiters.tenant

    async def one() -> None:
        await limiters.acquire(RateGroup.MEMBERS_READ)
        await limiters.release(RateGroup.MEMBERS_READ, headers(40, 39, time.time + 2), 200)

    asyncio.run(one())
    assert (members.remaining, limiters.tenant.remaining) == (39, 49)


def test_a_429_holds_back_only_its_group():
    time = VirtualClock(1_000.0)
    limiters = Limiters(1.0, limits_of(Subscription.PROFESSIONAL), time)

    async def refused_members_then_roles() -> None:
        await limiters.acquire(RateGroup.MEMBERS_READ)
        await limiters.release(RateGroup.MEMBERS_READ, headers(20, 0, time.time + 5), 429)
        await limiters.acquire(RateGroup.MEMBER_ROLES_WRITE)

    asyncio.run(refused_members_then_roles())
    assert time.slept == []


def test_requests_are_grouped_by_the_endpoint_table():
    assert group_of("GET", "/api/v2/organizations/org_1/members?take=50") is RateGroup.MEMBERS_READ
    assert group_of("GET", "/api/v2/organizations/name/a%2Fb") is (
        RateGroup.ORGANIZATION_BY_NAME_READ
    )
    assert group_of("DELETE", "/api/v2/organizations/org_1") is RateGroup.ORGANIZATIONS_WRITE
    assert group_of("GET", "/api/v2/stats/daily") is RateGroup.OTHER


def test_turns_go_to_the_lowest_priority_then_in_order_of_arrival():
    turns = Turns()
    order: list[str] = []

    async def holder(name: str, priority: float) -> None:
        async with turns.turn(priority):
            order.append(name)
            await asyncio.sleep(0)

    async def race() -> None:
        async with turns.turn():
            waiting = [
                asyncio.create_task(holder(name, priority))
                for name, priority in (("other", 16.0), ("slow", 1.0), ("also slow", 1.0))
            ]
            await asyncio.sleep(0)
        await asyncio.gather(*waiting)

    asyncio.run(race())
    assert order == ["slow", "also slow", "other"]


def test_a_turn_cancelled_while_waiting_passes_to_the_next():
    turns = Turns()
    order: list[str] = []

    async def holder(name: str) -> None:
        async with turns.turn():
            order.append(name)

    async def race() -> None:
        async with turns.turn():
            gone = asyncio.create_task(holder("gone"))
            kept = asyncio.create_task(holder("kept"))
            await asyncio.sleep(0)
            gone.cancel()
        await asyncio.gather(gone, kept, return_exceptions=True)

    asyncio.run(race())
    assert order == ["kept"]


def test_the_slowest_group_takes_the_tenants_next_token_before_faster_ones():
    time = VirtualClock(1_000.0)
    limiters = Limiters(1.0, limits_of(Subscription.ENTERPRISE), time)
    limiters.tenant.observe(headers(50, 1, time.time + 49 / 16))
    sent: list[RateGroup] = []

    async def request(group: RateGroup) -> None:
        await limiters.acquire(group)
        sent.append(group)
        await limiters.release(group, None, None)

    async def crowd() -> None:
        await limiters.acquire(RateGroup.OTHER)  # the last token, its answer still to come
        queued = [asyncio.create_task(request(RateGroup.OTHER)) for _ in range(2)]
        await asyncio.sleep(0)
        queued.append(asyncio.create_task(request(RateGroup.ORGANIZATION_CONNECTIONS_READ)))
        await asyncio.sleep(0)
        await limiters.release(RateGroup.OTHER, None, None)
        await asyncio.gather(*queued)

    asyncio.run(crowd())
    # The first waiting request held the turn; then the organization connections, whose
    # bucket (100 a minute) is slower than the tenant's (16 a second), go before the other.
    assert sent == [RateGroup.OTHER, RateGroup.ORGANIZATION_CONNECTIONS_READ, RateGroup.OTHER]
