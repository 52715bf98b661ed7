"""How long calls take at least under a subscription's limits, as plans and drift say."""

from reconciler.engine.duration import Estimate, bound_under, lower_bound, operation_groups
from reconciler.engine.identity import ObjectKey, OpKey, Ref
from reconciler.engine.kinds import Kind, Step, Verb
from reconciler.engine.plan import Operation, Phase
from reconciler.engine.rate_limits import RateGroup, limits_of
from reconciler.model.subscription import Subscription
from reconciler.render.view import read_phrase

G = RateGroup


def test_the_slowest_bucket_bounds_the_whole():
    # Enterprise: members read 40 at once then 500/minute; the tenant 50 then 16/second.
    calls = {G.MEMBERS_READ: 1040, G.ORGANIZATION_CONNECTIONS_READ: 10}
    assert lower_bound(calls, Subscription.ENTERPRISE) == 120.0


def test_the_tenant_wide_bucket_counts_every_call():
    calls = {G.MEMBERS_READ: 100, G.OTHER: 102}
    assert lower_bound(calls, Subscription.FREE) == 100.0


def test_groups_a_page_does_not_list_share_its_other_bucket():
    # Essentials/Professional: invitations and roles share "all other endpoints", 10 then 150/min.
    calls = {G.INVITATIONS_READ: 160, G.OTHER: 1000}
    assert lower_bound(calls, Subscription.PROFESSIONAL) == 460.0


def test_limits_k_times_faster_bound_calls_to_a_kth_of_the_time():
    calls = {G.MEMBERS_READ: 1040, G.ORGANIZATION_CONNECTIONS_READ: 1010, G.OTHER: 3000}
    faster = limits_of(Subscription.ENTERPRISE).faster(20)
    assert faster.groups[G.MEMBERS_READ].burst == 40
    # Organization connections: (1010 - 10) / (100 * 20 per minute), the slowest bucket.
    assert bound_under(calls, faster) == 30.0
    assert bound_under(calls, faster) * 20 == lower_bound(calls, Subscription.ENTERPRISE)


def test_calls_within_the_bursts_take_no_time():
    assert lower_bound({G.MEMBERS_READ: 5}, Subscription.ENTERPRISE) == 0.0


def test_an_estimate_reads_as_calls_and_minutes():
    estimate = Estimate(3003, 412.0, Subscription.ENTERPRISE)
    assert str(estimate) == "3,003 API calls, about 7 min at Enterprise limits"
    assert Estimate(1, 0.2, Subscription.FREE).duration == "within the bursts"
    assert Estimate(9, 3.5, Subscription.FREE).duration == "about 4 s"
    assert Estimate(9, 7500, Subscription.PROFESSIONAL).duration == "about 2 h 5 min"


def test_operations_are_grouped_by_their_endpoint():
    def op(method: Verb, *path: str | Ref) -> Operation:
        key = OpKey("acme", Kind.ORGANIZATION, "acme", Step.CREATE)
        return Operation(key, Phase.ORGANIZATIONS, method, path)

    ref = Ref(ObjectKey.organization("acme"))
    ops = [
        op(Verb.POST, "organizations"),
        op(Verb.POST, "organizations", ref, "members"),
        op(Verb.POST, "organizations", ref, "members", "auth0|1", "roles"),
        op(Verb.POST, "organizations", ref, "discovery-domains"),
    ]
    assert operation_groups(ops) == {
        G.ORGANIZATIONS_WRITE: 1,
        G.MEMBERS_WRITE: 1,
        G.MEMBER_ROLES_WRITE: 1,
        G.OTHER: 1,
    }


def test_a_no_op_plan_of_1000_organizations_as_docs_performance_tabulates_it():
    reads = {
        G.ORGANIZATIONS_READ: 10,
        G.MEMBERS_READ: 1000,
        G.ORGANIZATION_CONNECTIONS_READ: 1000,
        G.OTHER: 1006,
        G.CONNECTIONS_READ: 1,
    }
    said = {s: read_phrase(3017, reads, s) for s in Subscription}
    assert said == {
        Subscription.ENTERPRISE: "live state read in 3,017 API calls, about 10 min at "
        "Enterprise limits",
        Subscription.PROFESSIONAL: "live state read in 3,017 API calls, about 20 min at "
        "Essentials/Professional limits",
        Subscription.FREE: "live state read in 3,017 API calls, about 25 min at Free limits",
    }
    assert read_phrase(3017, None, None) == "live state read in 3017 API calls"
