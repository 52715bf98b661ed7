"""The application core against the sandbox: live data the files would reject, verification
of pruned organizations, and the gate on every path."""

from dataclasses import replace

import pytest

from reconciler.core.service import Reconciler, UnsafePlan
from reconciler.core.targets import connect
from reconciler.core.verification import Verify
from reconciler.model import Organization, Policy
from reconciler.progress import ProgressEvent
from tests.integration.tenants import generate


def with_policy(tenant, **policy):
    tenant.desired = replace(
        tenant.desired,
        tenant=tenant.desired.tenant.model_copy(update={"policy": Policy(**policy)}),
    )


async def test_member_with_a_tenant_role_and_an_org_role_of_the_same_name_plans():
    tenant = generate(orgs=1, members=2)
    store = tenant.sandbox.store
    org = store.organization_by_name("org-0000")
    own_admin = store.create_role("admin", "Org admin", type="organization", owner_id=org.id)
    roles = {(r.name, r.owner_id): r.id for r in store.state.roles.values()}
    user = tenant.user_ids[0]
    store.assign_member_roles(org.id, user, [own_admin.id, roles[("admin", None)]])
    data = tenant.desired.organizations["org-0000"].model_dump(exclude_none=True)
    data["roles"] = {"admin": {}}
    for member in data["members"]:
        if member["user_id"] == user:
            member["roles"] = ["admin"]
    tenant.desired.organizations["org-0000"] = Organization.model_validate(data)
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        result = await Reconciler(session, tenant.desired).plan()
    # Only the org-owned admin is wanted: the tenant admin of the same name goes.
    assert [(op.method, op.body) for op in result.plan.operations] == [
        ("DELETE", {"roles": sorted([roles[("admin", None)], roles[("member", None)]])})
    ]


async def test_full_verify_after_pruning_lists_organizations_and_sees_one_that_came_back():
    tenant = generate(orgs=1, members=1)
    with_policy(tenant, prune_organizations=True, max_change_percent=100)
    store = tenant.sandbox.store
    store.create_organization("gone-co")

    def resurrect(event: ProgressEvent) -> None:
        if event.stage == "applying" and event.done == event.total:
            store.create_organization("gone-co", "Back again")

    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        core = Reconciler(
            session, tenant.desired, progress=resurrect, verify_delays=(), verify=Verify.FULL
        )
        planned = await core.plan()
        tenant.sandbox.reset_calls()
        result = await core.apply(planned, allow_delete=True)
    assert result.report.ok
    assert not result.converged
    assert [(op.method, op.org) for op in result.remaining.operations] == [("DELETE", "gone-co")]
    reads = [c.path for c in tenant.sandbox.api_calls() if c.method == "GET"]
    assert "/api/v2/organizations" in reads


async def test_every_apply_path_runs_the_gate_before_writing():
    tenant = generate(orgs=1, members=1)
    with_policy(tenant, prune_organizations=True)
    tenant.sandbox.store.create_organization("internal-staff")
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        planned = await Reconciler(session, tenant.desired).plan()
    assert [op.org for op in planned.plan.operations] == ["internal-staff"]
    with_policy(tenant, prune_organizations=True, protected_organizations=["internal-staff"])
    tenant.sandbox.reset_calls()
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        with pytest.raises(UnsafePlan, match="protected organizations would be deleted"):
            await Reconciler(session, tenant.desired).apply(planned, allow_delete=True, force=True)
    assert [c for c in tenant.sandbox.api_calls() if c.method != "GET"] == []


async def test_a_plan_of_only_a_waiting_deletion_calls_nothing_and_says_it_waits():
    tenant = generate(orgs=1, members=1)
    with_policy(tenant, prune_organizations=True)
    tenant.sandbox.store.create_organization("gone-co")
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        core = Reconciler(session, tenant.desired, verify_delays=())
        planned = await core.plan()
        tenant.sandbox.reset_calls()
        result = await core.apply(planned)
    assert tenant.sandbox.api_calls() == []
    assert (result.waiting, result.report.results, result.converged) == (("gone-co",), [], True)


async def test_an_approved_deletion_and_the_unrelated_changes_are_applied_and_verified():
    tenant = generate(orgs=1, members=1)
    with_policy(tenant, prune_organizations=True, approved_deletions=["gone-co"])
    gone = tenant.sandbox.store.create_organization("gone-co")
    org = tenant.desired.organizations["org-0000"]
    tenant.desired.organizations["org-0000"] = org.model_copy(update={"display_name": "New"})
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        core = Reconciler(session, tenant.desired, verify_delays=())
        planned = await core.plan()
        tenant.sandbox.reset_calls()
        result = await core.apply(planned)
    org_id = tenant.sandbox.store.organization_by_name("org-0000").id
    writes = [(c.method, c.path) for c in tenant.sandbox.api_calls() if c.method != "GET"]
    assert sorted(writes) == [
        ("DELETE", f"/api/v2/organizations/{gone.id}"),
        ("PATCH", f"/api/v2/organizations/{org_id}"),
    ]
    assert (result.waiting, result.converged) == ((), True)
