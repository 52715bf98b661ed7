"""Against the sandbox enforcing a subscription's Auth0 limits, the reconciler paces each
endpoint group: a plan past a group's bucket waits instead of failing, sends exactly the
calls it sends without limits, and meets no 429. Time is virtual, shared with the sandbox."""

from collections import Counter
from dataclasses import replace

import pytest

from reconciler.clock import VirtualClock
from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.engine.rate_limits import RateGroup, limits_of
from reconciler.model import Organization
from reconciler.model.subscription import Subscription
from reconciler.sandbox import limits as sandbox_limits
from tests.integration.tenants import generate

NEW = 12


async def run(subscription: Subscription | None, orgs: int, new: int) -> tuple[Counter, float]:
    """Plan, and apply `new` new organizations (a connection and members each) when there
    are any, under the sandbox's `subscription` limits (None: off); the calls per endpoint
    group and the virtual time they took."""
    clock = VirtualClock()
    tenant = generate(orgs=orgs, members=3, seed=3, clock=clock.now)
    desired = tenant.desired
    rate_limit = desired.tenant.rate_limit.model_copy(
        update={"limits": str(subscription or Subscription.FREE)}
    )
    desired = replace(desired, tenant=desired.tenant.model_copy(update={"rate_limit": rate_limit}))
    for i in range(new):
        desired.organizations[f"new-{i}"] = Organization.model_validate(
            {
                "name": f"new-{i}",
                "connections": [{"name": "corp-ad"}],
                "members": [{"user_id": u, "roles": ["admin"]} for u in tenant.user_ids],
            }
        )
    tenant.sandbox.update_settings(limits=str(subscription) if subscription else "off")
    started = clock.now()
    async with connect(desired, sandbox=tenant.sandbox, clock=clock) as session:
        planned = await Reconciler(session, desired).plan()
        if new:
            result = await Reconciler(session, desired).apply(planned)
            assert result.report.ok, [r.line() for r in result.report.failed]
            assert result.converged
    calls = tenant.sandbox.api_calls()
    assert [c for c in calls if c.fault] == []  # no 429, nothing sent again
    groups = Counter(
        sandbox_limits.group_of(c.method, route[0].template)
        for c in calls
        if (route := tenant.sandbox.router.match(c.method, c.path.split("/")[3:])) is not None
    )
    assert sum(groups.values()) == len(calls)
    return groups, clock.now() - started


def lower_bounds(
    subscription: Subscription, groups: Counter, share: float = 1.0
) -> dict[str, float]:
    """docs/performance.md: per bucket, (calls - burst) / sustained rate; a group's calls
    count in the bucket it draws on and in the tenant-wide one. With a `share` below 1 the
    rest of each burst is left to others."""
    limits = limits_of(subscription)
    per_bucket: Counter = Counter()
    for group, calls in groups.items():
        own = limits.bucket_of(RateGroup(group))
        if own is not None:
            per_bucket[own] += calls
    buckets = {str(key): (limits.groups[key], calls) for key, calls in per_bucket.items()}
    if limits.tenant is not None:
        buckets["tenant"] = (limits.tenant, sum(groups.values()))
    return {key: (calls - share * b.burst) / b.per_second for key, (b, calls) in buckets.items()}


@pytest.mark.parametrize("subscription", [Subscription.ENTERPRISE, Subscription.PROFESSIONAL])
async def test_an_apply_past_a_groups_bucket_is_paced_not_failed(subscription):
    unlimited, _ = await run(None, orgs=4, new=NEW)
    paced, elapsed = await run(subscription, orgs=4, new=NEW)
    assert paced == unlimited
    assert paced[RateGroup.ORGANIZATIONS_WRITE] == NEW
    slowest = max(lower_bounds(subscription, paced).values())
    assert slowest > 0  # some group is past its burst
    assert elapsed >= slowest


@pytest.mark.parametrize("subscription", [Subscription.ENTERPRISE, Subscription.PROFESSIONAL])
async def test_reads_of_different_groups_wait_side_by_side(subscription):
    unlimited, _ = await run(None, orgs=30, new=0)
    paced, elapsed = await run(subscription, orgs=30, new=0)
    assert paced == unlimited
    assert elapsed >= max(lower_bounds(subscription, paced).values())
    # Half of each burst is left to others (the tenant's share): the slowest group's time
    # at that share, not the sum of the groups' times.
    bounds = [b for b in lower_bounds(subscription, paced, share=0.5).values() if b > 0]
    assert len(bounds) >= 2
    assert elapsed <= 1.05 * max(bounds) < sum(bounds)


@pytest.mark.parametrize("subscription", [Subscription.ENTERPRISE, Subscription.PROFESSIONAL])
async def test_a_cold_apply_spends_every_groups_bucket_at_once(subscription):
    # Each organization goes through its phases on its own and its member lists are verified
    # while others are written: the slowest group's time, not the sum of the phases' times.
    paced, elapsed = await run(subscription, orgs=0, new=3 * NEW)
    bounds = [b for b in lower_bounds(subscription, paced, share=0.5).values() if b > 0]
    assert len(bounds) >= 2
    assert elapsed <= 1.1 * max(bounds) < sum(bounds)
