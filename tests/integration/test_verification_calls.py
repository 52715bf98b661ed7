"""The verification after an apply reads what Auth0's answers do not settle, and no more
(docs/performance.md, "Apply")."""

from dataclasses import replace

from reconciler.clock import VirtualClock
from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model import Organization
from reconciler.model.subscription import Subscription
from tests.integration.tenants import generate


def _new_organizations(tenant, count: int, members: bool) -> None:
    for i in range(count):
        spec = {
            "name": f"new-{i}",
            "display_name": f"New {i}",
            "connections": [{"name": "corp-ad", "assign_membership_on_login": True}],
        }
        if members:
            spec["members"] = [{"user_id": u, "roles": ["member"]} for u in tenant.user_ids]
        tenant.desired.organizations[f"new-{i}"] = Organization.model_validate(spec)


async def _apply(tenant):
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        core = Reconciler(session, tenant.desired)
        planned = await core.plan()
        tenant.sandbox.reset_calls()
        return planned, await core.apply(planned)


async def test_cold_apply_of_organizations_without_members_reads_nothing_after_its_writes():
    tenant = generate(orgs=0, members=2)
    _new_organizations(tenant, 5, members=False)
    planned, result = await _apply(tenant)
    assert result.converged
    calls = tenant.sandbox.api_calls()
    assert [c.method for c in calls] == ["POST"] * 5
    assert len(planned.plan.operations) == 5


async def test_cold_apply_is_verified_by_reading_only_the_member_lists_it_changed():
    tenant = generate(orgs=0, members=2)
    _new_organizations(tenant, 5, members=True)
    planned, result = await _apply(tenant)
    assert result.converged
    calls = tenant.sandbox.api_calls()
    writes = [c for c in calls if c.method != "GET"]
    reads = sorted(c.path.rsplit("/", 1)[-1] for c in calls if c.method == "GET")
    assert len(writes) == len(planned.plan.operations)
    # per organization its members (roles inline), and the roles their roles name
    assert reads == ["members"] * 5 + ["roles"]


async def _apply_after_someone_else_creates(name: str, *, members: bool):
    """Plan two new organizations, let another client create `name`, apply: the result and
    the paths the apply read."""
    tenant = generate(orgs=0, members=2)
    _new_organizations(tenant, 2, members=members)
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        core = Reconciler(session, tenant.desired, verify_delays=())
        planned = await core.plan()
        tenant.sandbox.store.create_organization(name, "Made by someone else")
        tenant.sandbox.reset_calls()
        result = await core.apply(planned)
    return result, [c.path for c in tenant.sandbox.api_calls() if c.method == "GET"]


async def test_an_organization_found_created_after_a_conflict_is_read_again_whole():
    result, reads = await _apply_after_someone_else_creates("new-1", members=False)
    assert result.report.ok
    # the 409 is settled by reading the organization; its fields may differ from the files,
    # so the verification plans both organizations again, connections included
    assert sum(p.endswith("/enabled_connections") for p in reads) == 2
    assert {r.org for r in result.remaining.rows if r.action.value != "="} == {"new-1"}


async def test_an_organization_is_verified_while_the_apply_still_writes_another():
    # Under Enterprise limits the big organization's role assignments wait for their bucket;
    # the small one's member list is read meanwhile, from a bucket of its own.
    clock = VirtualClock()
    tenant = generate(orgs=0, members=30, clock=clock.now)
    _new_organizations(tenant, 1, members=True)
    spec = {"name": "small", "members": [{"user_id": tenant.user_ids[0]}]}
    tenant.desired.organizations["small"] = Organization.model_validate(spec)
    tenant.sandbox.update_settings(limits=str(Subscription.ENTERPRISE))
    rate_limit = tenant.desired.tenant.rate_limit.model_copy(update={"limits": "enterprise"})
    desired = replace(
        tenant.desired, tenant=tenant.desired.tenant.model_copy(update={"rate_limit": rate_limit})
    )
    async with connect(desired, sandbox=tenant.sandbox, clock=clock) as session:
        core = Reconciler(session, desired)
        planned = await core.plan()
        tenant.sandbox.reset_calls()
        result = await core.apply(planned)
    assert result.converged
    calls = tenant.sandbox.api_calls()
    small = tenant.sandbox.store.organization_by_name("small").id
    big = tenant.sandbox.store.organization_by_name("new-0").id
    small_read = next(
        i for i, c in enumerate(calls) if c.method == "GET" and c.path.endswith(f"{small}/members")
    )
    big_writes = [i for i, c in enumerate(calls) if c.method != "GET" and big in c.path]
    assert small_read < big_writes[-1]
    # the same reads as a verification after the last write: each organization's members
    # and the roles their roles name
    reads = sorted(c.path.rsplit("/", 1)[-1] for c in calls if c.method == "GET")
    assert reads == ["members", "members", "roles"]
    assert len(calls) == len(planned.plan.operations) + 3


async def test_after_a_conflict_no_more_member_lists_are_read_early():
    result, reads = await _apply_after_someone_else_creates("new-0", members=True)
    assert result.report.ok
    # new-0's create is settled by a read: the verification plans both organizations again,
    # and only new-1's members, done before that answer, may have been read early as well
    assert sum(p.endswith("/enabled_connections") for p in reads) == 2
    assert sum(p.endswith("/members") for p in reads) in (2, 3)
