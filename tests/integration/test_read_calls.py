"""The live reader makes exactly the requests of the performance model (docs/performance.md)."""

import re
from collections import Counter

import pytest

from reconciler.core.service import Reconciler
from reconciler.core.shards import Shard
from reconciler.core.targets import connect
from reconciler.core.verification import Verify
from reconciler.engine.errors import PlanErrors
from reconciler.engine.planfile import read_plan_file
from reconciler.model import ApiAccess, Member, Organization
from reconciler.resources.fingerprints import write_plan_file
from tests.integration.tenants import API, formula, generate


def paths(sandbox):
    return Counter(call.path.split("/org_")[0].split("/rol_")[0] for call in sandbox.api_calls())


async def test_no_op_plan_of_250_orgs_with_150_members_makes_the_formula_s_calls():
    tenant = generate(orgs=250, members=150)
    tenant.sandbox.reset_calls()
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        result = await Reconciler(session, tenant.desired).plan()
    assert result.plan.operations == ()
    expected = formula(orgs=250, members=150, roles=2, connections=4)
    assert expected == 1007
    assert len(tenant.sandbox.api_calls()) == expected
    assert result.live.read_calls == expected
    assert paths(tenant.sandbox) == {
        "/api/v2/organizations": 3 + 250 * 4,
        "/api/v2/roles": 1 + 2,
        "/api/v2/connections": 1,
    }


async def test_plan_for_one_org_reads_only_that_org():
    tenant = generate(orgs=30, members=5)
    tenant.sandbox.reset_calls()
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        result = await Reconciler(session, tenant.desired).plan(frozenset({"org-0007"}))
    assert result.plan.operations == ()
    org_id = result.live.organizations["org-0007"].id
    calls = [(c.method, c.path) for c in tenant.sandbox.api_calls()]
    assert sorted(calls) == sorted(
        [
            ("GET", "/api/v2/organizations/name/org-0007"),
            ("GET", "/api/v2/roles"),
            ("GET", "/api/v2/roles/" + result.live.roles["admin"].id + "/permissions"),
            ("GET", "/api/v2/roles/" + result.live.roles["member"].id + "/permissions"),
            ("GET", "/api/v2/connections"),
            ("GET", f"/api/v2/organizations/{org_id}/members"),
            ("GET", f"/api/v2/organizations/{org_id}/enabled_connections"),
            ("GET", f"/api/v2/organizations/{org_id}/discovery-domains"),
        ]
    )


@pytest.mark.parametrize(("members", "member_reads"), [(99, 1), (100, 2), (101, 2), (200, 3)])
async def test_a_member_list_costs_an_empty_page_only_when_its_last_page_is_full(
    members: int, member_reads: int
):
    """Auth0 carries `next` on the last page that has members; a short page ends the list."""
    tenant = generate(orgs=1, members=members)
    tenant.sandbox.reset_calls()
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        await Reconciler(session, tenant.desired).plan()
    calls = tenant.sandbox.api_calls()
    assert len([c for c in calls if c.path.endswith("/members")]) == member_reads
    assert len(calls) == formula(orgs=1, members=members, roles=2, connections=4)


async def test_emails_not_among_members_are_looked_up_once_each():
    tenant = generate(orgs=2, members=3)
    tenant.sandbox.store.create_user("newcomer@gen.example", "Newcomer")
    for name, org in list(tenant.desired.organizations.items()):
        members = [*(org.members or []), Member(email="user00000@GEN.example")]
        members.append(Member(email="newcomer@gen.example"))
        tenant.desired.organizations[name] = org.model_copy(update={"members": members})
    tenant.sandbox.reset_calls()
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        result = await Reconciler(session, tenant.desired).plan()
    by_email = [c for c in tenant.sandbox.api_calls() if c.path == "/api/v2/users-by-email"]
    assert len(by_email) == 1
    assert len(tenant.sandbox.api_calls()) == formula(2, 3, 2, 4) + 1
    assert [op.body for op in result.plan.operations] == [
        {"members": [result.live.users_by_email["newcomer@gen.example"]]}
    ] * 2


async def test_new_members_by_user_id_are_found_by_one_search_and_a_missing_one_read_by_id():
    tenant = generate(orgs=0, members=60)
    listed = [*tenant.user_ids, "auth0|nobody"]
    tenant.desired.organizations["new-co"] = Organization.model_validate(
        {"name": "new-co", "members": [{"user_id": u} for u in listed]}
    )
    tenant.sandbox.reset_calls()
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        with pytest.raises(PlanErrors, match=re.escape("no Auth0 user has the id 'auth0|nobody'")):
            await Reconciler(session, tenant.desired).plan()
    users = [c.path for c in tenant.sandbox.api_calls() if c.path.startswith("/api/v2/users")]
    assert users == ["/api/v2/users", "/api/v2/users", "/api/v2/users/auth0%7Cnobody"]


async def test_full_verify_after_a_cold_apply_lists_organizations_instead_of_looking_each_up():
    tenant = generate(orgs=0, members=2)
    for i in range(5):
        tenant.desired.organizations[f"new-{i}"] = Organization.model_validate(
            {"name": f"new-{i}", "members": [{"user_id": u} for u in tenant.user_ids]}
        )
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        core = Reconciler(session, tenant.desired, verify=Verify.FULL)
        planned = await core.plan()
        tenant.sandbox.reset_calls()
        result = await core.apply(planned)
    assert result.converged
    reads = [c.path for c in tenant.sandbox.api_calls() if c.method == "GET"]
    assert reads.count("/api/v2/organizations") == 1
    assert not [p for p in reads if p.startswith("/api/v2/organizations/name/")]
    # one listing; per org its members and enabled connections; roles with the permissions
    # of the two managed roles; connections
    assert len(reads) == 1 + 5 * 2 + (1 + 2) + 1


async def test_saved_plan_of_many_orgs_is_checked_and_fully_verified_by_listing(tmp_path):
    tenant = generate(orgs=5, members=2)
    for name, org in list(tenant.desired.organizations.items()):
        tenant.desired.organizations[name] = org.model_copy(update={"display_name": "Renamed"})
    path = tmp_path / "plan.json"
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        core = Reconciler(session, tenant.desired, verify=Verify.FULL)
        planned = await core.plan()
        write_plan_file(path, "generated", "embedded sandbox", "f", planned.plan, planned.live)
        tenant.sandbox.reset_calls()
        result = await core.apply_saved(read_plan_file(path))
    assert result.converged
    reads = [c.path for c in tenant.sandbox.api_calls() if c.method == "GET"]
    assert reads.count("/api/v2/organizations") == 2  # the check before, the verify after
    assert not [p for p in reads if p.startswith("/api/v2/organizations/name/")]


async def test_shards_plan_disjoint_organizations_and_each_lists_once():
    tenant = generate(orgs=12, members=2)
    tenant.sandbox.store.create_organization("stray")
    seen: list[str] = []
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        for index in (1, 2, 3):
            tenant.sandbox.reset_calls()
            result = await Reconciler(session, tenant.desired).plan(shard=Shard(index, 3))
            orgs = sorted(result.live.organizations)
            seen += orgs + list(result.plan.unmanaged_organizations)
            calls = tenant.sandbox.api_calls()
            assert [c.path for c in calls].count("/api/v2/organizations") == 1
            assert len(calls) == formula(len(orgs), 2, 2, 4)  # one listing page, its orgs
    assert sorted(seen) == sorted([*tenant.desired.organizations, "stray"])


async def test_api_access_reads_the_applications_one_grant_listing_and_each_org_s_grants():
    tenant = generate(orgs=3, members=2)
    store = tenant.sandbox.store
    backend = store.create_client("Backend", "non_interactive")
    grant = store.create_client_grant(
        backend["client_id"], API, ["read"], organization_usage="allow"
    )
    entry = ApiAccess(application="Backend", api=API, scopes=["read"])
    for name in ("org-0000", "org-0001"):
        store.associate_client_grant(store.organization_by_name(name).id, grant["id"])
        org = tenant.desired.organizations[name]
        tenant.desired.organizations[name] = org.model_copy(update={"api_access": [entry]})
    tenant.sandbox.reset_calls()
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        result = await Reconciler(session, tenant.desired).plan()
    assert result.plan.operations == ()
    assert len(tenant.sandbox.api_calls()) == formula(3, 2, 2, 4) + 1 + 1 + 2
    assert paths(tenant.sandbox)["/api/v2/clients"] == 1
    assert paths(tenant.sandbox)["/api/v2/client-grants"] == 1
    org_grants = [c for c in tenant.sandbox.api_calls() if c.path.endswith("/client-grants")]
    assert len(org_grants) == 1 + 2
