"""Apply against the sandbox: exact write counts, convergence, and faults."""

from dataclasses import replace
from pathlib import Path

from reconciler.auth0.report import Outcome
from reconciler.config.loader import load_tenant
from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model import Organization, Policy
from reconciler.sandbox import Sandbox
from tests.integration.tenants import generate

CONNECTIONS = [
    {"name": "Username-Password-Authentication"},
    {"name": "corp-ad", "assign_membership_on_login": True},
    {"name": "partner-okta", "show_as_button": False},
]


def writes(sandbox: Sandbox) -> list[tuple[str, str]]:
    return [(c.method, c.path) for c in sandbox.api_calls() if c.method != "GET"]


async def plan_and_apply(sandbox: Sandbox, desired):
    async with connect(desired, sandbox=sandbox) as session:
        planned = await Reconciler(session, desired).plan()
        plan = planned.plan
        sandbox.reset_calls()
        result = await Reconciler(session, desired).apply(planned)
    return plan, result


def new_org_desired(tenant, user_ids):
    members = [
        {"user_id": u, **({"roles": ["admin"]} if i < 5 else {})} for i, u in enumerate(user_ids)
    ]
    org = Organization.model_validate(
        {"name": "new-co", "display_name": "New Co", "connections": CONNECTIONS, "members": members}
    )
    tenant.desired.organizations["new-co"] = org
    return tenant.desired


async def test_new_org_with_3_connections_and_23_members_5_with_roles_takes_9_writes():
    tenant = generate(orgs=0, members=23)
    desired = new_org_desired(tenant, tenant.user_ids)
    plan, result = await plan_and_apply(tenant.sandbox, desired)
    assert plan.summary.api_calls == 1 + 3 + 5
    assert result.report.ok
    assert result.converged
    calls = writes(tenant.sandbox)
    assert len(calls) == 9
    assert calls[0] == ("POST", "/api/v2/organizations")
    assert [m for m, p in calls if p.endswith("/members")] == ["POST"] * 3
    assert sum(p.endswith("/roles") for _, p in calls) == 5


async def test_one_display_name_change_is_one_write():
    tenant = generate(orgs=3, members=2)
    org = tenant.desired.organizations["org-0001"]
    tenant.desired.organizations["org-0001"] = org.model_copy(update={"display_name": "Renamed"})
    _plan, result = await plan_and_apply(tenant.sandbox, tenant.desired)
    assert writes(tenant.sandbox) == [
        (
            "PATCH",
            f"/api/v2/organizations/{tenant.sandbox.store.organization_by_name('org-0001').id}",
        )
    ]
    assert result.converged


async def test_second_apply_writes_nothing():
    tenant = generate(orgs=0, members=23)
    desired = new_org_desired(tenant, tenant.user_ids)
    await plan_and_apply(tenant.sandbox, desired)
    plan, _result = await plan_and_apply(tenant.sandbox, desired)
    assert plan.operations == ()
    assert writes(tenant.sandbox) == []


async def test_example_tenant_converges_and_reapplies_nothing():
    desired = load_tenant(Path("tenants/example"))
    sandbox = Sandbox.from_world_file(Path("tenants/example/sandbox.yaml"))
    plan, result = await plan_and_apply(sandbox, desired)
    assert plan.summary.api_calls == 21
    assert result.report.ok and result.converged
    again, _ = await plan_and_apply(sandbox, desired)
    assert again.operations == ()
    assert writes(sandbox) == []


async def test_failure_of_one_org_does_not_stop_the_others():
    tenant = generate(orgs=0, members=3)
    for name in ("good-co", "bad-co"):
        tenant.desired.organizations[name] = Organization.model_validate(
            {"name": name, "members": [{"user_id": u} for u in tenant.user_ids]}
        )
    tenant.sandbox.store.create_organization("bad-co")
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        planned = await Reconciler(session, tenant.desired).plan()
        tenant.sandbox.store.delete_organization(
            tenant.sandbox.store.organization_by_name("bad-co").id
        )
        result = await Reconciler(session, tenant.desired).apply(planned)
    failed = [r.line() for r in result.report.failed]
    assert len(failed) == 1
    assert failed[0].startswith("bad-co: POST /organizations/org_")
    assert failed[0].endswith("/members: failed: 404 No organization found by that id or name")
    members = tenant.sandbox.store.listed_members(
        tenant.sandbox.store.organization_by_name("good-co").id
    )
    assert len(members) == 3


async def test_newer_org_fields_and_token_quota_round_trip():
    tenant = generate(orgs=1, members=1)
    org = tenant.desired.organizations["org-0000"]
    extra = {
        "third_party_client_access": "allow",
        "is_app_entitlement_active": True,
        "token_quota": {"client_credentials": {"enforce": True, "per_day": 100}},
    }
    tenant.desired.organizations["org-0000"] = org.model_copy(update=extra)
    tenant.desired.organizations["fresh"] = Organization.model_validate({"name": "fresh", **extra})
    plan, result = await plan_and_apply(tenant.sandbox, tenant.desired)
    assert [op.method for op in plan.operations] == ["POST", "PATCH"]
    assert plan.operations[1].body == extra
    assert result.converged


async def test_org_created_meanwhile_is_adopted_and_its_differences_are_planned_not_sent():
    tenant = generate(orgs=0, members=23)
    desired = new_org_desired(tenant, tenant.user_ids)
    async with connect(desired, sandbox=tenant.sandbox) as session:
        planned = await Reconciler(session, desired).plan()
        tenant.sandbox.store.create_organization("new-co", "Someone else's name")
        tenant.sandbox.reset_calls()
        result = await Reconciler(session, desired).apply(planned)
        create = next(r for r in result.report.results if r.operation.path == ("organizations",))
        assert create.outcome is Outcome.ALREADY
        assert create.detail.startswith("adopted the existing organization org_")
        assert result.report.ok
        planned_writes = [(op.method, op.path_text) for op in planned.plan.operations]
        new_id = tenant.sandbox.store.organization_by_name("new-co").id
        sent = [(m, p.replace(new_id, "{org:new-co}")) for m, p in writes(tenant.sandbox)]
        assert len(sent) == len(planned_writes)
        assert {p for _, p in sent} <= {"/api/v2" + p for _, p in planned_writes}
        assert not result.converged
        assert [(r.kind, r.name) for r in result.remaining.rows if r.operations] == [
            ("organization", "new-co"),
            ("connection", "Username-Password-Authentication"),
            ("connection", "corp-ad"),
            ("connection", "partner-okta"),
        ]
        again = await Reconciler(session, desired).apply(await Reconciler(session, desired).plan())
    assert again.converged
    assert tenant.sandbox.store.organization_by_name("new-co").display_name == "New Co"


async def test_org_already_deleted_counts_as_done():
    tenant = generate(orgs=1, members=1)
    tenant.desired = replace(
        tenant.desired,
        tenant=tenant.desired.tenant.model_copy(
            update={"policy": Policy(prune_organizations=True, max_change_percent=100)}
        ),
    )
    tenant.sandbox.store.create_organization("gone-co")
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        planned = await Reconciler(session, tenant.desired).plan()
        plan = planned.plan
        assert [(op.method, op.org) for op in plan.operations] == [("DELETE", "gone-co")]
        store = tenant.sandbox.store
        store.delete_organization(store.organization_by_name("gone-co").id)
        result = await Reconciler(session, tenant.desired).apply(planned, allow_delete=True)
    assert [(r.outcome, r.detail) for r in result.report.results] == [
        (Outcome.ALREADY, "already gone")
    ]
    assert result.converged
