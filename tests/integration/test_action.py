"""The post-login Action against the sandbox: exact calls to create, deploy and bind it, none
when it is as the files say, one update and deploy after a rule change, other bindings kept
in order, and offboarding that the deployed Action enforces."""

from dataclasses import replace
from typing import Any

import pytest

from reconciler.clock import VirtualClock
from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.engine.errors import PlanErrors
from reconciler.model import ActionSettings, Claims, Organization
from reconciler.model.desired import Desired
from reconciler.routing.action import split_code
from reconciler.sandbox import Sandbox
from tests.integration.tenants import formula, generate

SECRETS = {
    "ORG_ROUTING_DOMAIN": "tenant.example",
    "ORG_ROUTING_CLIENT_ID": "routing-client",
    "ORG_ROUTING_CLIENT_SECRET": "routing-secret-value",
}


@pytest.fixture(autouse=True)
def _secrets_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)


def with_action(desired: Desired) -> Desired:
    """The tenant's files with `claims` and `action: {}` in tenant.yaml."""
    claims = Claims(namespace="https://app.example")
    settings = {"claims": claims, "action": ActionSettings()}
    return replace(desired, tenant=desired.tenant.model_copy(update=settings))


def writes(sandbox: Sandbox) -> list[tuple[str, str]]:
    return [(c.method, c.path) for c in sandbox.api_calls() if c.method != "GET"]


async def plan_and_apply(sandbox: Sandbox, desired: Desired, clock: VirtualClock | None = None):
    """Plan, then apply that plan; the pauses (of the wait for a build) on a virtual clock."""
    async with connect(desired, sandbox=sandbox, clock=clock or VirtualClock()) as session:
        sandbox.reset_calls()
        planned = await Reconciler(session, desired).plan()
        reads = sandbox.api_calls()
        sandbox.reset_calls()
        result = await Reconciler(session, desired).apply(planned)
    return planned, reads, result


def action_calls(sandbox: Sandbox) -> list[str]:
    """The calls to `/actions` in order, the Action's id shown as `{id}`."""
    found = [a["id"] for a in sandbox.store.state.actions.values() if a["name"] == "org-routing"]
    shown = [f"{c.method} {c.path.removeprefix('/api/v2')}" for c in sandbox.api_calls()]
    return [
        call.replace(found[0], "{id}") if found else call
        for call in shown
        if call.split(" ")[1].startswith("/actions")
    ]


def our_action(sandbox: Sandbox) -> dict[str, Any]:
    return next(a for a in sandbox.store.state.actions.values() if a["name"] == "org-routing")


def bound(sandbox: Sandbox) -> list[tuple[str, str]]:
    actions = sandbox.store.state.actions
    return [
        (b.id, actions[b.action_id]["name"]) for b in sandbox.store.trigger_bindings("post-login")
    ]


def deployed_routes(sandbox: Sandbox) -> dict[str, Any]:
    table = split_code(our_action(sandbox)["deployed_version"]["code"])
    assert table is not None
    return table[1]


async def test_a_fresh_tenant_gets_the_action_created_deployed_and_bound_in_3_calls():
    tenant = generate(orgs=2, members=2)
    desired = with_action(tenant.desired)
    planned, reads, result = await plan_and_apply(tenant.sandbox, desired)
    assert len(reads) == formula(orgs=2, members=2, roles=2, connections=4) + 2
    action_id = our_action(tenant.sandbox)["id"]
    assert writes(tenant.sandbox) == [
        ("POST", "/api/v2/actions/actions"),
        ("POST", f"/api/v2/actions/actions/{action_id}/deploy"),
        ("PATCH", "/api/v2/actions/triggers/post-login/bindings"),
    ]
    assert planned.plan.summary.api_calls == 3
    assert result.report.ok and result.converged
    action = our_action(tenant.sandbox)
    assert action["all_changes_deployed"] is True
    assert sorted(s["name"] for s in action["deployed_version"]["secrets"]) == sorted(SECRETS)
    assert [name for _, name in bound(tenant.sandbox)] == ["org-routing"]
    assert [org["name"] for org in deployed_routes(tenant.sandbox)["organizations"]] == [
        "org-0000",
        "org-0001",
    ]


async def test_without_routing_rules_nothing_about_actions_is_read():
    tenant = generate(orgs=2, members=2)
    desired = with_action(tenant.desired)
    for name, org in desired.organizations.items():
        desired.organizations[name] = org.model_copy(update={"routing": None})
    tenant.sandbox.reset_calls()
    async with connect(desired, sandbox=tenant.sandbox) as session:
        planned = await Reconciler(session, desired).plan()
    assert planned.plan.operations == ()
    assert not [c.path for c in tenant.sandbox.api_calls() if c.path.startswith("/api/v2/actions")]


async def test_a_second_apply_reads_two_more_calls_and_writes_nothing():
    tenant = generate(orgs=2, members=2)
    desired = with_action(tenant.desired)
    await plan_and_apply(tenant.sandbox, desired)
    planned, reads, _ = await plan_and_apply(tenant.sandbox, desired)
    assert planned.plan.operations == ()
    assert len(reads) == formula(orgs=2, members=2, roles=2, connections=4) + 2
    assert sorted((c.path, c.query) for c in reads if c.path.startswith("/api/v2/actions")) == [
        ("/api/v2/actions/actions", "actionName=org-routing&page=0&per_page=100"),
        ("/api/v2/actions/triggers/post-login/bindings", "page=0&per_page=100"),
    ]
    assert writes(tenant.sandbox) == []


async def test_a_rule_change_is_one_update_and_one_deploy_and_leaves_the_bindings_alone():
    tenant = generate(orgs=2, members=2)
    desired = with_action(tenant.desired)
    await plan_and_apply(tenant.sandbox, desired)
    before = bound(tenant.sandbox)
    org = desired.organizations["org-0001"]
    assert org.routing is not None
    routing = org.routing.model_copy(update={"email_domains": ["org-0001.example", "*.gen.io"]})
    desired.organizations["org-0001"] = org.model_copy(update={"routing": routing})
    planned, _, result = await plan_and_apply(tenant.sandbox, desired)
    action_id = our_action(tenant.sandbox)["id"]
    assert writes(tenant.sandbox) == [
        ("PATCH", f"/api/v2/actions/actions/{action_id}"),
        ("POST", f"/api/v2/actions/actions/{action_id}/deploy"),
    ]
    assert result.converged
    assert bound(tenant.sandbox) == before
    assert our_action(tenant.sandbox)["deployed_version"]["number"] == 2
    routes = deployed_routes(tenant.sandbox)["organizations"]
    assert routes[1]["emailDomains"] == ["org-0001.example", "*.gen.io"]
    (row,) = planned.plan.rows
    assert (row.kind, [f.field for f in row.fields]) == (
        "action",
        ["routes.org-0001.emailDomains"],
    )


async def test_other_post_login_actions_keep_their_bindings_and_order():
    tenant = generate(orgs=1, members=1)
    store = tenant.sandbox.store
    for name in ("log-logins", "require-mfa"):
        action = store.create_action(name, [{"id": "post-login", "version": "v3"}], deploy=True)
        assert action["all_changes_deployed"]
    store.set_trigger_bindings(
        "post-login",
        [("action_name", "log-logins", None), ("action_name", "require-mfa", None)],
    )
    before = bound(tenant.sandbox)
    _, _, result = await plan_and_apply(tenant.sandbox, with_action(tenant.desired))
    assert result.converged
    after = bound(tenant.sandbox)
    assert after[:2] == before
    assert [name for _, name in after] == ["log-logins", "require-mfa", "org-routing"]


async def test_a_missing_secret_variable_stops_the_apply_before_any_write(monkeypatch):
    monkeypatch.delenv("ORG_ROUTING_CLIENT_SECRET")
    monkeypatch.delenv("ORG_ROUTING_DOMAIN")
    tenant = generate(orgs=1, members=1)
    with pytest.raises(PlanErrors) as caught:
        await plan_and_apply(tenant.sandbox, with_action(tenant.desired))
    assert writes(tenant.sandbox) == []
    assert [str(e) for e in caught.value.errors] == [
        "apply needs the environment variables ORG_ROUTING_CLIENT_SECRET, ORG_ROUTING_DOMAIN "
        "(secrets of the post-login Action, named in tenant.yaml action) and they are not set"
    ]
    assert not tenant.sandbox.store.state.actions


async def test_an_absent_routed_member_is_removed_after_the_action_blocks_them():
    tenant = generate(orgs=1, members=3)
    keep, _, leaver = tenant.user_ids
    email = tenant.sandbox.store.state.users[leaver]["email"]
    org = {
        "name": "org-0000",
        "display_name": "Org 0",
        "routing": {"email_domains": ["org-0000.example", "gen.example"]},
        "members": [{"user_id": keep, "roles": ["member"]}],
    }
    tenant.desired.organizations["org-0000"] = Organization.model_validate(org)
    desired = with_action(tenant.desired)
    first, _, _ = await plan_and_apply(tenant.sandbox, desired)
    kept = [(r.name, r.note) for r in first.plan.rows if r.org and r.action.value == "keep"]
    assert (email, "admitted: email domain gen.example") in kept
    assert deployed_routes(tenant.sandbox)["organizations"][0]["blocked"]["emails"] == []

    org["members"].append({"email": email.upper(), "absent": True})
    tenant.desired.organizations["org-0000"] = Organization.model_validate(org)
    planned, _, result = await plan_and_apply(tenant.sandbox, desired)
    assert result.converged
    org_id = tenant.sandbox.store.organization_by_name("org-0000").id
    action_id = our_action(tenant.sandbox)["id"]
    assert writes(tenant.sandbox) == [
        ("PATCH", f"/api/v2/actions/actions/{action_id}"),
        ("POST", f"/api/v2/actions/actions/{action_id}/deploy"),
        ("DELETE", f"/api/v2/organizations/{org_id}/members"),
    ]
    assert leaver not in {m.user_id for m in tenant.sandbox.store.listed_members(org_id)}
    blocked = deployed_routes(tenant.sandbox)["organizations"][0]["blocked"]
    assert blocked == {"userIds": [], "emails": [email.lower()]}
    fields = [f.field for r in planned.plan.rows if r.kind == "action" for f in r.fields]
    assert fields == ["routes.org-0000.blocked.emails"]


@pytest.mark.parametrize("seed", range(6))
async def test_lost_responses_and_5xx_still_leave_one_action_bound_once(seed):
    clock = VirtualClock()
    tenant = generate(orgs=1, members=1, seed=seed, clock=clock.now)
    desired = with_action(tenant.desired)
    tenant.sandbox.update_settings(lost_response_rate=0.4, fail_rate=0.2, seed=seed)
    async with connect(desired, sandbox=tenant.sandbox, clock=clock) as session:
        planned = await Reconciler(session, desired).plan()
        result = await Reconciler(session, desired).apply(planned)
    assert result.report.ok, [r.line() for r in result.report.failed]
    assert result.converged
    actions = tenant.sandbox.store.state.actions.values()
    assert [a["name"] for a in actions] == ["org-routing"]
    assert [name for _, name in bound(tenant.sandbox)] == ["org-routing"]


async def test_a_build_that_takes_reads_is_waited_for_and_then_deployed_and_bound():
    tenant = generate(orgs=2, members=2)
    tenant.sandbox.update_settings(action_build_reads=3)
    desired = with_action(tenant.desired)
    clock = VirtualClock()
    planned, _, result = await plan_and_apply(tenant.sandbox, desired, clock)
    assert result.report.ok and result.converged
    assert planned.plan.summary.api_calls == 3
    # The create answers `pending`; reads 1 and 2 see `building`, read 3 `built`. Then the
    # deploy, the binding, and the verification's reads of the Action and the bindings.
    assert action_calls(tenant.sandbox) == [
        "POST /actions/actions",
        *["GET /actions/actions/{id}"] * 3,
        "POST /actions/actions/{id}/deploy",
        "PATCH /actions/triggers/post-login/bindings",
        "GET /actions/actions",
        "GET /actions/triggers/post-login/bindings",
    ]
    # The verification touches no organization: the Action, its bindings, the role list and
    # the two roles' permissions.
    assert len(tenant.sandbox.api_calls()) == 3 + 3 + (2 + 1 + 2)
    assert clock.slept[:3] == [0.5, 0.75, 1.125]
    assert [name for _, name in bound(tenant.sandbox)] == ["org-routing"]


async def test_a_rule_change_waits_for_the_build_of_the_update_before_the_deploy():
    tenant = generate(orgs=2, members=2)
    desired = with_action(tenant.desired)
    await plan_and_apply(tenant.sandbox, desired)
    org = desired.organizations["org-0001"]
    assert org.routing is not None
    routing = org.routing.model_copy(update={"priority": 3})
    desired.organizations["org-0001"] = org.model_copy(update={"routing": routing})
    _, _, result = await plan_and_apply(tenant.sandbox, desired)
    assert result.converged
    # Auth0's default here: one `building` read, then `built`.
    assert action_calls(tenant.sandbox)[:4] == [
        "PATCH /actions/actions/{id}",
        "GET /actions/actions/{id}",
        "GET /actions/actions/{id}",
        "POST /actions/actions/{id}/deploy",
    ]


async def test_a_failed_build_names_the_action_and_auth0_s_message_and_a_rerun_converges():
    tenant = generate(orgs=2, members=2)
    tenant.sandbox.update_settings(action_build_error="Cannot find module 'left-pad'")
    desired = with_action(tenant.desired)
    _, _, failed = await plan_and_apply(tenant.sandbox, desired)
    assert [r.line() for r in failed.report.failed] == [
        "POST /actions/actions: failed: the Action org-routing did not build: "
        "Cannot find module 'left-pad'",
        "POST /actions/actions/{action:org-routing}/deploy: skipped: waits for create action "
        "org-routing",
        "PATCH /actions/triggers/post-login/bindings: skipped: waits for deploy action org-routing",
    ]
    assert action_calls(tenant.sandbox)[:3] == [
        "POST /actions/actions",
        "GET /actions/actions/{id}",
        "GET /actions/actions/{id}",
    ]
    # Nothing worse than an undeployed, unbound draft is left behind.
    assert "deployed_version" not in our_action(tenant.sandbox)
    assert bound(tenant.sandbox) == []
    tenant.sandbox.update_settings(action_build_error=None)
    planned, _, result = await plan_and_apply(tenant.sandbox, desired)
    assert [r.note for r in planned.plan.rows if r.kind == "action"] == [
        "the draft is not built: written again"
    ]
    assert result.report.ok and result.converged
    assert action_calls(tenant.sandbox)[:6] == [
        "PATCH /actions/actions/{id}",
        "GET /actions/actions/{id}",
        "GET /actions/actions/{id}",
        "POST /actions/actions/{id}/deploy",
        "PATCH /actions/triggers/post-login/bindings",
        "GET /actions/actions",
    ]
    assert [name for _, name in bound(tenant.sandbox)] == ["org-routing"]
