"""Applications, client grants and API access per organization against the sandbox: exact
writes, convergence, and settling creates whose response was lost."""

from dataclasses import replace
from typing import Any

from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.engine.plan import Plan
from reconciler.model import ApiAccess, Application, Invitations, Member
from reconciler.model.desired import Desired
from reconciler.sandbox import Sandbox
from tests.integration.tenants import API, generate

PROJECT_MANAGER = {
    "app_type": "regular_web",
    "grant_types": ["authorization_code", "refresh_token"],
    "callbacks": ["https://localhost:3000/callback"],
    "allowed_logout_urls": ["https://localhost:3000"],
    "organization_usage": "require",
    "organization_require_behavior": "pre_login_prompt",
}
BACKEND = {"app_type": "non_interactive", "grant_types": ["client_credentials"]}
ORG = "org-0000"


def writes(sandbox: Sandbox) -> list[tuple[str, str]]:
    return [(c.method, c.path) for c in sandbox.api_calls() if c.method != "GET"]


async def plan_only(sandbox: Sandbox, desired: Desired) -> Plan:
    async with connect(desired, sandbox=sandbox) as session:
        return (await Reconciler(session, desired).plan()).plan


async def apply(sandbox: Sandbox, desired: Desired) -> Plan:
    """Plan and apply; return the plan. The call log then holds the apply's calls only."""
    async with connect(desired, sandbox=sandbox) as session:
        planned = await Reconciler(session, desired).plan()
        sandbox.reset_calls()
        result = await Reconciler(session, desired).apply(planned)
    assert result.report.ok, result.report
    assert result.converged
    return planned.plan


def with_app(desired: Desired, name: str, spec: dict[str, Any]) -> Desired:
    applications = {**desired.applications, name: Application.model_validate(spec)}
    return replace(desired, applications=applications)


def with_org(desired: Desired, **changes: Any) -> Desired:
    org = desired.organizations[ORG]
    organizations = {**desired.organizations, ORG: org.model_copy(update=changes)}
    return replace(desired, organizations=organizations)


def access(application: str, *scopes: str) -> list[ApiAccess]:
    return [ApiAccess(application=application, api=API, scopes=list(scopes))]


def client_named(sandbox: Sandbox, name: str) -> dict[str, Any]:
    (client,) = [c for c in sandbox.store.state.clients.values() if c["name"] == name]
    return client


async def test_a_new_application_is_one_post_with_the_fields_the_file_sets():
    tenant = generate(orgs=1, members=1)
    desired = with_app(tenant.desired, "ProjectManager", PROJECT_MANAGER)
    plan = await apply(tenant.sandbox, desired)
    assert [(op.method, op.path_text) for op in plan.operations] == [("POST", "/clients")]
    assert writes(tenant.sandbox) == [("POST", "/api/v2/clients")]
    client = client_named(tenant.sandbox, "ProjectManager")
    assert {key: client[key] for key in PROJECT_MANAGER} == PROJECT_MANAGER
    tenant.sandbox.reset_calls()
    assert (await plan_only(tenant.sandbox, desired)).operations == ()


async def test_one_changed_field_is_one_patch_of_that_field_only():
    tenant = generate(orgs=1, members=1)
    desired = with_app(tenant.desired, "ProjectManager", PROJECT_MANAGER)
    await apply(tenant.sandbox, desired)
    client = client_named(tenant.sandbox, "ProjectManager")
    tenant.sandbox.store.update_client(client["client_id"], {"description": "kept as it is"})
    changed = {**PROJECT_MANAGER, "callbacks": ["https://app.example/callback"]}
    plan = await apply(tenant.sandbox, with_app(desired, "ProjectManager", changed))
    assert [op.body for op in plan.operations] == [{"callbacks": ["https://app.example/callback"]}]
    assert writes(tenant.sandbox) == [("PATCH", f"/api/v2/clients/{client['client_id']}")]
    assert client["callbacks"] == ["https://app.example/callback"]
    assert client["description"] == "kept as it is"


async def test_defaults_auth0_leaves_out_of_its_answers_are_no_change():
    tenant = generate(orgs=1, members=1)
    tenant.sandbox.store.create_client("Reporting")
    defaults = {
        "callbacks": [],
        "allowed_logout_urls": [],
        "oidc_conformant": False,
        "organization_usage": "deny",
        "organization_require_behavior": "no_prompt",
    }
    desired = with_app(tenant.desired, "Reporting", defaults)
    assert "callbacks" not in client_named(tenant.sandbox, "Reporting")
    assert (await plan_only(tenant.sandbox, desired)).operations == ()


async def test_a_login_uri_cleared_in_auth0_reads_back_absent_and_is_set_again():
    tenant = generate(orgs=1, members=1)
    spec = {**PROJECT_MANAGER, "initiate_login_uri": "https://app.example/login"}
    desired = with_app(tenant.desired, "ProjectManager", spec)
    await apply(tenant.sandbox, desired)
    client = client_named(tenant.sandbox, "ProjectManager")
    tenant.sandbox.store.update_client(client["client_id"], {"initiate_login_uri": ""})
    assert "initiate_login_uri" not in client
    plan = await apply(tenant.sandbox, desired)
    assert [op.body for op in plan.operations] == [
        {"initiate_login_uri": "https://app.example/login"}
    ]
    tenant.sandbox.reset_calls()
    assert (await plan_only(tenant.sandbox, desired)).operations == ()


async def test_reordered_lists_are_no_change():
    tenant = generate(orgs=1, members=1)
    desired = with_app(tenant.desired, "ProjectManager", PROJECT_MANAGER)
    await apply(tenant.sandbox, desired)
    reordered = {**PROJECT_MANAGER, "grant_types": ["refresh_token", "authorization_code"]}
    assert (await plan_only(tenant.sandbox, with_app(desired, "ProjectManager", reordered))) == (
        Plan((), ())
    )


async def test_api_access_creates_the_grant_and_associates_it_with_the_organization():
    tenant = generate(orgs=2, members=1)
    store = tenant.sandbox.store
    backend = store.create_client("Backend", "non_interactive")
    org = store.organization_by_name(ORG)
    desired = with_org(tenant.desired, api_access=access("Backend", "read"))
    plan = await apply(tenant.sandbox, desired)
    (grant,) = store.state.client_grants.values()
    assert writes(tenant.sandbox) == [
        ("POST", "/api/v2/client-grants"),
        ("POST", f"/api/v2/organizations/{org.id}/client-grants"),
    ]
    assert plan.summary.api_calls == 2
    assert (grant["client_id"], grant["audience"], grant["scope"]) == (
        backend["client_id"],
        API,
        ["read"],
    )
    assert grant["organization_usage"] == "allow"
    assert org.client_grants == [grant["id"]]
    assert store.organization_by_name("org-0001").client_grants == []


async def test_an_application_its_grant_and_the_association_in_one_apply():
    tenant = generate(orgs=1, members=1)
    desired = with_app(
        with_org(tenant.desired, api_access=access("Reporting Service", "read", "write")),
        "Reporting Service",
        BACKEND,
    )
    plan = await apply(tenant.sandbox, desired)
    org = tenant.sandbox.store.organization_by_name(ORG)
    assert writes(tenant.sandbox) == [
        ("POST", "/api/v2/clients"),
        ("POST", "/api/v2/client-grants"),
        ("POST", f"/api/v2/organizations/{org.id}/client-grants"),
    ]
    assert [(row.action.symbol, row.kind, row.name) for row in plan.rows] == [
        ("+", "application", "Reporting Service"),
        ("+", "client grant", f"Reporting Service -> {API}"),
        ("+", "api access", f"Reporting Service -> {API}"),
    ]
    (grant,) = tenant.sandbox.store.state.client_grants.values()
    assert grant["client_id"] == client_named(tenant.sandbox, "Reporting Service")["client_id"]


async def test_an_existing_grant_is_opened_to_organizations_and_rescoped_in_one_patch():
    tenant = generate(orgs=1, members=1)
    store = tenant.sandbox.store
    backend = store.create_client("Backend", "non_interactive")
    grant = store.create_client_grant(backend["client_id"], API, ["write"])
    desired = with_org(tenant.desired, api_access=access("Backend", "read"))
    plan = await apply(tenant.sandbox, desired)
    org = store.organization_by_name(ORG)
    assert writes(tenant.sandbox) == [
        ("PATCH", f"/api/v2/client-grants/{grant['id']}"),
        ("POST", f"/api/v2/organizations/{org.id}/client-grants"),
    ]
    assert plan.operations[0].body == {"scope": ["read"], "organization_usage": "allow"}
    assert (grant["scope"], grant["organization_usage"]) == (["read"], "allow")


async def test_removing_api_access_dissociates_the_grant_and_keeps_it():
    tenant = generate(orgs=1, members=1)
    store = tenant.sandbox.store
    store.create_client("Backend", "non_interactive")
    desired = with_org(tenant.desired, api_access=access("Backend", "read"))
    await apply(tenant.sandbox, desired)
    (grant_id,) = store.state.client_grants
    org = store.organization_by_name(ORG)
    plan = await apply(tenant.sandbox, with_org(desired, api_access=[]))
    assert writes(tenant.sandbox) == [
        ("DELETE", f"/api/v2/organizations/{org.id}/client-grants/{grant_id}")
    ]
    assert [(row.action.symbol, row.name) for row in plan.rows] == [("-", f"Backend -> {API}")]
    assert org.client_grants == []
    assert list(store.state.client_grants) == [grant_id]


async def test_the_applications_members_may_use_are_associated_and_dissociated_in_one_call_each():
    tenant = generate(orgs=1, members=1)
    store = tenant.sandbox.store
    portal = store.create_client("Portal", "spa")
    desired = with_org(tenant.desired, applications=["App", "Portal"])
    await apply(tenant.sandbox, desired)
    org = store.organization_by_name(ORG)
    assert writes(tenant.sandbox) == [("POST", f"/api/v2/organizations/{org.id}/clients")]
    assert {cid: link.use_for_member_access for cid, link in org.clients.items()} == {
        "gen-app": True,
        portal["client_id"]: True,
    }
    await apply(tenant.sandbox, with_org(desired, applications=["App"]))
    assert writes(tenant.sandbox) == [("DELETE", f"/api/v2/organizations/{org.id}/clients")]
    assert list(org.clients) == ["gen-app"]


async def test_invitations_name_an_application_that_the_same_apply_creates():
    tenant = generate(orgs=1, members=1)
    invitations = Invitations(client_id="ProjectManager", inviter_name="Team")
    settings = tenant.desired.tenant.model_copy(update={"invitations": invitations})
    members = [*(tenant.desired.organizations[ORG].members or [])]
    members.append(Member(email="new@gen.example", invite=True))
    desired = with_app(
        with_org(replace(tenant.desired, tenant=settings), members=members),
        "ProjectManager",
        PROJECT_MANAGER,
    )
    plan = await apply(tenant.sandbox, desired)
    (invite,) = [op for op in plan.operations if op.key.kind == "invitation"]
    assert str(invite.body["client_id"]) == "{app:ProjectManager}"
    (invitation,) = tenant.sandbox.store.organization_by_name(ORG).invitations.values()
    assert invitation["client_id"] == client_named(tenant.sandbox, "ProjectManager")["client_id"]


async def test_creates_whose_responses_are_lost_are_found_by_reading_not_repeated():
    tenant = generate(orgs=1, members=1)
    desired = with_app(
        with_org(tenant.desired, api_access=access("Reporting Service", "read")),
        "Reporting Service",
        BACKEND,
    )
    tenant.sandbox.update_settings(lost_response_rate=1.0)
    await apply(tenant.sandbox, desired)
    tenant.sandbox.update_settings(lost_response_rate=0.0)
    org = tenant.sandbox.store.organization_by_name(ORG)
    assert writes(tenant.sandbox) == [
        ("POST", "/api/v2/clients"),
        ("POST", "/api/v2/client-grants"),
        ("POST", f"/api/v2/organizations/{org.id}/client-grants"),
    ]
    assert client_named(tenant.sandbox, "Reporting Service")
    assert len(tenant.sandbox.store.state.client_grants) == 1
