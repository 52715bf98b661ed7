"""The post-login Action in plans: written only when what it runs differs from what is
deployed, deployed after a write, bound after the actions already bound to post-login."""

from typing import Any

from reconciler.engine.identity import ObjectKey, Ref, SecretRef
from reconciler.engine.plan import Action, FieldChange, Phase, Plan, Settle
from reconciler.model.live import (
    ActionVersion,
    LiveAction,
    LiveBinding,
    LiveDomain,
    LiveOrganization,
    LivePostLogin,
)
from reconciler.resources import diff
from reconciler.resources.post_login import managed_action, wanted_version
from reconciler.resources.scope import scope_of
from reconciler.routing import ActionDefinition
from tests.unit.states import desired, live_org, snapshot

TENANT = {"domain": "sandbox", "claims": {"namespace": "https://app.example"}, "action": {}}
ACME = {"name": "acme", "routing": {"email_domains": ["acme.com"]}}
SECRETS = ("ORG_ROUTING_CLIENT_ID", "ORG_ROUTING_CLIENT_SECRET", "ORG_ROUTING_DOMAIN")
OTHERS = (
    LiveBinding("bnd_1", "act_log", "log-logins", "log-logins"),
    LiveBinding("bnd_2", "act_mfa", "require-mfa", "require-mfa"),
)


def files(*orgs: dict[str, Any], tenant: dict[str, Any] | None = None):
    return desired(*(orgs or (ACME,)), tenant=tenant or TENANT)


def definition(*orgs: dict[str, Any]) -> ActionDefinition:
    found = managed_action(files(*orgs))
    assert found is not None
    return found


def deployed(*orgs: dict[str, Any], **changes: Any) -> ActionVersion:
    """The version the files describe, with some parts changed."""
    version = wanted_version(definition(*orgs))
    return ActionVersion(**{**version.__dict__, **changes})


def existing(org: dict[str, Any]) -> LiveOrganization:
    """The organization as the files describe it, so that only the Action differs."""
    domains = [d for d in org["routing"]["email_domains"] if not d.startswith("*.")]
    return live_org(org, domains=[LiveDomain(f"dom_{d}", d, "verified", True) for d in domains])


def plan_with(
    action: LiveAction | None,
    bindings: tuple[LiveBinding, ...] = OTHERS,
    orgs: tuple[dict[str, Any], ...] = (ACME,),
) -> Plan:
    live = snapshot(*map(existing, orgs))
    live.post_login = LivePostLogin(action, bindings)
    return diff(files(*orgs), live)


def ours(draft: ActionVersion, live: ActionVersion | None) -> LiveAction:
    return LiveAction("act_ours", "org-routing", draft, live)


def calls(plan: Plan) -> list[tuple[str, str]]:
    return [(op.method, op.path_text) for op in plan.operations]


def test_without_an_action_section_no_action_is_read_or_planned():
    want = desired(ACME, tenant={"domain": "sandbox", "claims": {"namespace": "https://a.b"}})
    assert managed_action(want) is None
    assert scope_of(want).action is None
    assert diff(want, snapshot(existing(ACME))).operations == ()


def test_without_routing_rules_the_action_is_not_managed():
    want = files({"name": "acme", "members": []})
    assert managed_action(want) is None
    assert scope_of(want).action is None


def test_absent_entries_alone_do_not_make_the_action_managed():
    want = files({"name": "acme", "members": [{"email": "mallory@acme.com", "absent": True}]})
    assert managed_action(want) is None
    assert scope_of(want).action is None


def test_an_organization_with_rules_makes_the_action_read_by_name():
    assert scope_of(files()).action == "org-routing"
    assert scope_of(files(), frozenset({"acme"})).action == "org-routing"


def test_a_fresh_tenant_gets_create_deploy_and_bind_after_the_other_bindings():
    plan = plan_with(None)
    assert calls(plan) == [
        ("POST", "/actions/actions"),
        ("POST", "/actions/actions/{action:org-routing}/deploy"),
        ("PATCH", "/actions/triggers/post-login/bindings"),
    ]
    create, deploy, bind = plan.operations
    assert {op.phase for op in plan.operations} == {Phase.ACTIONS}
    assert create.creates == ObjectKey.action("org-routing")
    assert create.settle is Settle.FIND_ACTION
    assert deploy.depends_on == (create.key,) and bind.depends_on == (deploy.key,)
    assert bind.body == {
        "bindings": [
            {"ref": {"type": "binding_id", "value": "bnd_1"}},
            {"ref": {"type": "binding_id", "value": "bnd_2"}},
            {
                "ref": {"type": "action_id", "value": Ref(ObjectKey.action("org-routing"))},
                "display_name": "org-routing",
            },
        ]
    }
    rows = [(r.action, r.kind, r.name) for r in plan.rows]
    assert rows == [
        (Action.CREATE, "action", "org-routing"),
        (Action.CREATE, "post-login binding", "org-routing"),
    ]
    assert plan.rows[1].fields == (
        FieldChange("order", None, ["log-logins", "require-mfa", "org-routing"]),
    )


def test_the_create_body_carries_secret_names_never_values(monkeypatch):
    monkeypatch.setenv("ORG_ROUTING_CLIENT_SECRET", "s3cr3t-value")
    create = plan_with(None).operations[0]
    assert create.body["secrets"] == [
        {"name": "ORG_ROUTING_DOMAIN", "value": SecretRef("ORG_ROUTING_DOMAIN")},
        {"name": "ORG_ROUTING_CLIENT_ID", "value": SecretRef("ORG_ROUTING_CLIENT_ID")},
        {"name": "ORG_ROUTING_CLIENT_SECRET", "value": SecretRef("ORG_ROUTING_CLIENT_SECRET")},
    ]
    assert create.body["dependencies"] == [{"name": "auth0", "version": "7.1.0"}]
    assert "s3cr3t-value" not in repr(plan_with(None))
    fields = {f.field: f.after for f in plan_with(None).rows[0].fields}
    assert fields["secrets"] == list(SECRETS)
    assert fields["routes"] == ["acme"]


def test_an_action_that_runs_what_the_files_say_and_is_bound_is_left_alone():
    version = deployed()
    bound = (*OTHERS, LiveBinding("bnd_3", "act_ours", "org-routing"))
    assert plan_with(ours(version, version), bound).operations == ()


def test_extra_secrets_on_the_action_are_not_a_change():
    version = deployed(secret_names=frozenset({*SECRETS, "OLD_SECRET"}))
    bound = (LiveBinding("bnd_3", "act_ours", "org-routing"),)
    assert plan_with(ours(version, version), bound).operations == ()


def test_a_rule_change_updates_and_deploys_and_leaves_the_bindings_alone():
    old = deployed()
    bound = (*OTHERS, LiveBinding("bnd_3", "act_ours", "org-routing"))
    changed = {**ACME, "routing": {"email_domains": ["acme.com", "*.acme.com"]}}
    plan = plan_with(ours(old, old), bound, (changed,))
    assert calls(plan) == [
        ("PATCH", "/actions/actions/act_ours"),
        ("POST", "/actions/actions/act_ours/deploy"),
    ]
    update, deploy = plan.operations
    assert set(update.body) == {"code", "secrets"}
    assert deploy.depends_on == (update.key,)
    (row,) = plan.rows
    assert (row.action, row.note) == (Action.UPDATE, None)
    assert row.fields == (
        FieldChange("routes.acme.emailDomains", ["acme.com"], ["acme.com", "*.acme.com"]),
    )


def test_a_draft_that_already_holds_the_change_is_only_deployed():
    old = deployed()
    changed = {**ACME, "routing": {"email_domains": ["acme.com"], "priority": 5}}
    draft = deployed(changed)
    plan = plan_with(ours(draft, old), (LiveBinding("b", "act_ours", None),), (changed,))
    assert calls(plan) == [("POST", "/actions/actions/act_ours/deploy")]
    assert plan.operations[0].depends_on == ()
    assert plan.rows[0].fields == (FieldChange("routes.acme.priority", 0, 5),)
    assert plan.rows[0].note == "the draft holds these changes already: deployed only"


def test_a_draft_that_holds_the_change_but_did_not_build_is_written_again_whole():
    old = deployed()
    changed = {**ACME, "routing": {"email_domains": ["acme.com"], "priority": 5}}
    draft = deployed(changed)
    unbuilt = LiveAction("act_ours", "org-routing", draft, old, draft_built=False)
    plan = plan_with(unbuilt, (LiveBinding("b", "act_ours", None),), (changed,))
    assert calls(plan) == [
        ("PATCH", "/actions/actions/act_ours"),
        ("POST", "/actions/actions/act_ours/deploy"),
    ]
    update, deploy = plan.operations
    assert update.body.keys() == {"code", "runtime", "dependencies", "secrets"}
    assert deploy.depends_on == (update.key,)
    assert plan.rows[0].note == "the draft is not built: written again"


def test_an_unbuilt_draft_is_left_alone_when_the_deployed_version_is_as_wanted():
    version = deployed()
    unbuilt = LiveAction("act_ours", "org-routing", version, version, draft_built=False)
    assert plan_with(unbuilt, (LiveBinding("b", "act_ours", None),)).operations == ()


def test_a_runtime_change_patches_only_the_runtime_and_the_secrets():
    old = deployed(runtime="node18")
    plan = plan_with(ours(old, old), (LiveBinding("b", "act_ours", None),))
    assert plan.operations[0].body.keys() == {"runtime", "secrets"}
    assert plan.rows[0].fields == (FieldChange("runtime", "node18", "node22"),)


def test_a_missing_secret_name_is_an_update():
    old = deployed(secret_names=frozenset({"ORG_ROUTING_DOMAIN", "ORG_ROUTING_CLIENT_ID"}))
    plan = plan_with(ours(old, old), (LiveBinding("b", "act_ours", None),))
    assert calls(plan)[0] == ("PATCH", "/actions/actions/act_ours")
    assert plan.rows[0].fields == (
        FieldChange("secrets", ["ORG_ROUTING_CLIENT_ID", "ORG_ROUTING_DOMAIN"], sorted(SECRETS)),
    )


def test_code_that_is_not_ours_is_shown_by_digest():
    old = deployed(code="exports.onExecutePostLogin = async () => {};")
    plan = plan_with(ours(old, old), (LiveBinding("b", "act_ours", None),))
    (change,) = plan.rows[0].fields
    assert change.field == "code"
    assert str(change.before).startswith("sha256:") and change.before != change.after


def test_an_action_never_deployed_is_deployed_then_bound():
    draft = deployed()
    plan = plan_with(ours(draft, None), ())
    assert calls(plan) == [
        ("POST", "/actions/actions/act_ours/deploy"),
        ("PATCH", "/actions/triggers/post-login/bindings"),
    ]
    deploy, bind = plan.operations
    assert bind.depends_on == (deploy.key,)
    assert plan.rows[0].note == "never deployed"
    assert bind.body["bindings"] == [
        {"ref": {"type": "action_id", "value": "act_ours"}, "display_name": "org-routing"}
    ]


def test_a_deployed_action_that_is_not_bound_is_only_bound():
    version = deployed()
    plan = plan_with(ours(version, version))
    assert calls(plan) == [("PATCH", "/actions/triggers/post-login/bindings")]
    assert plan.operations[0].depends_on == ()
    assert plan.fingerprinted == (ObjectKey.trigger("post-login"),)


def test_the_action_is_planned_with_any_selection_of_organizations():
    beta = {"name": "beta", "members": []}
    live = snapshot(live_org(beta))
    live.post_login = LivePostLogin(None, ())
    plan = diff(files(ACME, beta), live, only=frozenset({"beta"}))
    assert [op.key.kind for op in plan.operations] == ["action", "action", "post-login binding"]
