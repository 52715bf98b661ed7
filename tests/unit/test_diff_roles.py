"""Tenant roles and their permissions."""

from reconciler.engine.plan import display_body
from reconciler.resources import diff
from tests.unit.states import desired, live_org, role, snapshot

API = "https://api.example"


def test_new_role_is_created_then_given_its_permissions():
    want = desired(roles={"admin": {"description": "Admin", "permissions": {API: ["a", "b"]}}})
    plan = diff(want, snapshot())
    assert [(op.method, op.path_text, display_body(op.body)) for op in plan.operations] == [
        ("POST", "/roles", {"name": "admin", "description": "Admin"}),
        (
            "POST",
            "/roles/{role:admin}/permissions",
            {
                "permissions": [
                    {"resource_server_identifier": API, "permission_name": "a"},
                    {"resource_server_identifier": API, "permission_name": "b"},
                ]
            },
        ),
    ]
    assert plan.summary.create == 1
    assert plan.summary.api_calls == 2


def test_permissions_added_and_removed_in_one_call_each():
    want = desired(roles={"admin": {"permissions": {API: ["a", "c"]}}})
    have = role("rol_1", "admin", (API, "a"), (API, "b"))
    plan = diff(want, snapshot(roles={"admin": have}))
    assert [(op.method, op.path_text) for op in plan.operations] == [
        ("POST", "/roles/rol_1/permissions"),
        ("DELETE", "/roles/rol_1/permissions"),
    ]
    assert plan.summary.update == 1


def test_role_description_change_is_one_patch():
    want = desired(roles={"admin": {"description": "New"}})
    plan = diff(want, snapshot(roles={"admin": role("rol_1", "admin")}))
    assert [(op.method, op.path_text, display_body(op.body)) for op in plan.operations] == [
        ("PATCH", "/roles/rol_1", {"description": "New"})
    ]


def test_role_permissions_absent_are_unmanaged():
    want = desired(roles={"admin": {}})
    have = role("rol_1", "admin", (API, "a"))
    assert diff(want, snapshot(roles={"admin": have})).operations == ()


def test_org_owned_role_no_longer_listed_is_deleted():
    want = desired({"name": "acme-corp", "roles": {}})
    old = role("rol_old", "old", owner="acme-corp")
    plan = diff(
        want,
        snapshot(live_org({"name": "acme-corp"}), org_roles={("acme-corp", "old"): old}),
    )
    assert [(op.method, op.path_text) for op in plan.operations] == [("DELETE", "/roles/rol_old")]
