"""Saved plans round-trip every name Auth0 allows, and refuse edits, other targets and tenants."""

import json
from pathlib import Path

import pytest

from reconciler.engine import diff
from reconciler.engine.identity import ObjectKey
from reconciler.engine.planfile import (
    ABSENT,
    PlanFileError,
    read_plan_file,
    stale_objects,
    write_plan_file,
)
from reconciler.model.live import LiveRole
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


def test_a_plan_holds_its_tenant_and_target(tmp_path):
    path, _, _ = saved_role_plan(tmp_path, "admin")
    saved = read_plan_file(path)
    assert (saved.tenant, saved.target) == ("test", "embedded sandbox")
