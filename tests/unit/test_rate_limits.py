"""The endpoint table's rate-limit groups and the vendored per-subscription buckets."""

import pytest

from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.rate_limits import LIMITS, Bucket, RateGroup, Unit, limits_of
from reconciler.model.subscription import Subscription
from reconciler.sandbox import limits as sandbox_limits
from reconciler.sandbox.sandbox import ROUTER


def test_every_group_is_one_some_endpoint_falls_into():
    assert {e.group for e in ENDPOINTS} == set(RateGroup)


@pytest.mark.parametrize("subscription", list(Subscription))
def test_every_group_has_a_bucket_on_every_subscription(subscription):
    limits = limits_of(subscription)
    assert limits.source.startswith("https://auth0.com/docs/")
    for group in RateGroup:
        assert limits.buckets(group), f"{group} has no bucket on {subscription}"


def test_transcribed_values():
    enterprise, professional, free = (
        LIMITS[s] for s in (Subscription.ENTERPRISE, Subscription.PROFESSIONAL, Subscription.FREE)
    )
    assert enterprise.tenant == Bucket(50, 16, Unit.SECOND)
    assert enterprise.groups[RateGroup.ORGANIZATION_CONNECTIONS_READ] == Bucket(
        10, 100, Unit.MINUTE
    )
    assert enterprise.groups[RateGroup.ORGANIZATIONS_WRITE] == Bucket(5, 150, Unit.MINUTE)
    assert professional.groups[RateGroup.ORGANIZATIONS_READ] == Bucket(5, 50, Unit.MINUTE)
    assert professional.tenant is None
    assert free.tenant == Bucket(2, 2, Unit.SECOND) and not free.groups


def test_unlisted_groups_share_the_other_bucket_or_only_the_tenants():
    professional = limits_of(Subscription.PROFESSIONAL)
    assert professional.bucket_of(RateGroup.INVITATIONS_READ) is RateGroup.OTHER
    enterprise = limits_of(Subscription.ENTERPRISE)
    assert enterprise.bucket_of(RateGroup.LOGS_READ) is None
    assert enterprise.buckets(RateGroup.LOGS_READ) == (enterprise.tenant,)


def _sample(template: str) -> list[str]:
    return ["x" if part.startswith("{") else part for part in template.strip("/").split("/")]


@pytest.mark.parametrize("endpoint", list(ENDPOINTS), ids=str)
def test_the_sandbox_puts_each_endpoint_in_the_same_group(endpoint):
    found = ROUTER.match(str(endpoint.verb), _sample(endpoint.template))
    assert found is not None, endpoint
    assert sandbox_limits.group_of(str(endpoint.verb), found[0].template) == endpoint.group


@pytest.mark.parametrize("subscription", list(Subscription))
def test_the_sandbox_enforces_the_same_buckets(subscription):
    ours, theirs = limits_of(subscription), sandbox_limits.SUBSCRIPTIONS[subscription]

    def rate(bucket: Bucket | None) -> tuple[int, float] | None:
        return None if bucket is None else (bucket.burst, bucket.per_second)

    def their_rate(r: sandbox_limits.Rate | None) -> tuple[int, float] | None:
        return None if r is None else (r.burst, r.per_second)

    assert rate(ours.tenant) == their_rate(theirs.tenant)
    for group in RateGroup:
        key = ours.bucket_of(group)
        assert (key and str(key)) == theirs.group_key(group)
        if key is not None:
            assert rate(ours.groups[key]) == their_rate(theirs.groups[key])
