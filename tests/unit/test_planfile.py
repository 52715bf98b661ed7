"""Saved plans round-trip every name Auth0 allows, and refuse edits, other targets and tenants."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reconciler.engine.identity import ObjectKey, SecretRef
from reconciler.engine.planfile import ABSENT, PlanFileError, read_plan_file
from reconciler.model.live import ActionVersion, LiveAction, LiveBinding, LivePostLogin, LiveRole
from reconciler.resources import diff
from reconciler.resources.fingerprints import stale_objects, write_plan_file
from tests.unit.states import desired, live_org, role, snapshot

API = "https://api.example"


def saved_role_plan(tmp_path: Path, name: str):
    want = desired(roles={name: {"description": "new", "permissions": {API: ["a"]}}})
    live = snapshot(roles={name: role("rol_1", name, (API, "b"))})
    plan = diff(want, live)
    path = tmp_path / "plan.json"
    write_plan_file(path, "test", "embedded sandbox", "files", plan, live)
    return path, plan, live


@pytest.mark.parametrize("name", ["billing/admin", "a:b", "{role:x}", "ünïcode admin", "x/y/z"])
def test_role_names_with_any_character_round_trip_with_a_real_fingerprint(tmp_path, name):
    path, plan, live = saved_role_plan(tmp_path, name)
    saved = read_plan_file(path)
    assert saved.plan.operations == plan.operations
    assert saved.plan.rows == plan.rows
    assert saved.fingerprints[ObjectKey.role(name)] != ABSENT
    assert stale_objects(saved, live) == []


def test_hand_edit_of_a_slash_named_role_makes_the_plan_stale(tmp_path):
    path, _, live = saved_role_plan(tmp_path, "billing/admin")
    live.roles["billing/admin"] = LiveRole("rol_1", "billing/admin", "edited", frozenset(), None)
    assert stale_objects(read_plan_file(path), live) == ["role billing/admin"]


def test_metadata_that_looks_like_a_reference_stays_data(tmp_path):
    want = desired({"name": "acme", "metadata": {"$ref": "not a reference"}})
    live = snapshot(live_org({"name": "acme", "metadata": {}}))
    plan = diff(want, live)
    path = tmp_path / "plan.json"
    write_plan_file(path, "test", "t", "files", plan, live)
    assert read_plan_file(path).plan.operations == plan.operations


def test_a_plan_edited_by_hand_is_refused(tmp_path):
    path, _, _ = saved_role_plan(tmp_path, "admin")
    document = json.loads(path.read_text())
    document["operations"][0]["path"] = ["users", "auth0|victim"]
    path.write_text(json.dumps(document))
    with pytest.raises(PlanFileError, match="changed after it was saved"):
        read_plan_file(path)


def test_a_plan_file_of_an_older_format_says_to_plan_again(tmp_path):
    path, _, _ = saved_role_plan(tmp_path, "admin")
    document = json.loads(path.read_text())
    document["format"] = "auth0-org-reconciler/plan@4"
    path.write_text(json.dumps(document))
    with pytest.raises(
        PlanFileError, match=r"older format \(auth0-org-reconciler/plan@4\).*plan again"
    ):
        read_plan_file(path)


def test_a_plan_holds_its_tenant_and_target(tmp_path):
    path, _, _ = saved_role_plan(tmp_path, "admin")
    saved = read_plan_file(path)
    assert (saved.tenant, saved.target) == ("test", "embedded sandbox")


def test_secrets_are_saved_as_the_names_of_their_variables_never_values(tmp_path, monkeypatch):
    monkeypatch.setenv("ORG_ROUTING_CLIENT_SECRET", "s3cr3t-value")
    want = desired(
        {"name": "acme", "routing": {"email_domains": ["acme.com"]}},
        tenant={"domain": "sandbox", "claims": {"namespace": "https://a.example"}, "action": {}},
    )
    live = snapshot()
    live.post_login = LivePostLogin(None, ())
    plan = diff(want, live)
    path = tmp_path / "plan.json"
    write_plan_file(path, "test", "t", "files", plan, live)
    text = path.read_text()
    assert "s3cr3t-value" not in text
    assert '"$secret": "ORG_ROUTING_CLIENT_SECRET"' in text
    saved = read_plan_file(path)
    assert saved.plan.operations == plan.operations
    create = next(op for op in saved.plan.operations if op.key.verb == "create" and op.org is None)
    assert create.body["secrets"][2] == {
        "name": "ORG_ROUTING_CLIENT_SECRET",
        "value": SecretRef("ORG_ROUTING_CLIENT_SECRET"),
    }
    assert saved.fingerprints[ObjectKey.action("org-routing")] == ABSENT


def test_metadata_that_looks_like_a_secret_stays_data(tmp_path):
    want = desired({"name": "acme", "metadata": {"$secret": "HOME"}})
    live = snapshot(live_org({"name": "acme", "metadata": {}}))
    plan = diff(want, live)
    path = tmp_path / "plan.json"
    write_plan_file(path, "test", "t", "files", plan, live)
    assert read_plan_file(path).plan.operations[0].body == {"metadata": {"$secret": "HOME"}}


def test_an_action_or_bindings_changed_since_the_plan_make_it_stale(tmp_path):
    want = desired(
        {
            "name": "acme",
            "members": [],
            "routing": {"attributes": [{"path": "name", "equals": "x"}]},
        },
        tenant={"domain": "sandbox", "claims": {"namespace": "https://a.example"}, "action": {}},
    )
    draft = ActionVersion("old code", "node22", frozenset(), frozenset())
    live = snapshot(live_org({"name": "acme", "members": []}))
    live.post_login = LivePostLogin(LiveAction("act_1", "org-routing", draft, draft), ())
    plan = diff(want, live)
    path = tmp_path / "plan.json"
    write_plan_file(path, "test", "t", "files", plan, live)
    saved = read_plan_file(path)
    assert stale_objects(saved, live) == []
    edited = replace(draft, code="edited by hand")
    live.post_login = LivePostLogin(LiveAction("act_1", "org-routing", edited, draft), ())
    assert stale_objects(saved, live) == ["action org-routing"]
    live.post_login = LivePostLogin(
        LiveAction("act_1", "org-routing", draft, draft), (LiveBinding("b", "act_x", "x"),)
    )
    assert stale_objects(saved, live) == ["trigger post-login"]
