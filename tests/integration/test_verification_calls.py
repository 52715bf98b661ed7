"""The verification after an apply reads what Auth0's answers do not settle, and no more
(docs/performance.md, "Apply")."""

from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model import Organization
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


async def test_an_organization_found_created_after_a_conflict_is_read_again_whole():
    tenant = generate(orgs=0, members=2)
    _new_organizations(tenant, 2, members=False)
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        core = Reconciler(session, tenant.desired, verify_delays=())
        planned = await core.plan()
        tenant.sandbox.store.create_organization("new-1", "Made by someone else")
        tenant.sandbox.reset_calls()
        result = await core.apply(planned)
    assert result.report.ok
    reads = [c.path for c in tenant.sandbox.api_calls() if c.method == "GET"]
    # the 409 is settled by reading the organization; its fields may differ from the files,
    # so the verification plans both organizations again, connections included
    assert sum(p.endswith("/enabled_connections") for p in reads) == 2
    assert {r.org for r in result.remaining.rows if r.action.value != "="} == {"new-1"}
