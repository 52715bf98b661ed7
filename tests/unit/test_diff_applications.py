"""Applications, client grants and API access planned from small live states."""

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reconciler.engine.errors import PlanErrors
from reconciler.engine.identity import ObjectKey
from reconciler.engine.plan import Phase, display_body
from reconciler.engine.planfile import ABSENT, read_plan_file
from reconciler.model import Application
from reconciler.model.desired import Desired, Location
from reconciler.model.live import LiveApplication, LiveClientGrant, Snapshot
from reconciler.resources import diff
from reconciler.resources.fingerprints import stale_objects, write_plan_file
from tests.unit.states import desired, live_org, snapshot

API = "https://api.example"
ACCESS = {"application": "Backend", "api": API, "scopes": ["read"]}
BACKEND = LiveApplication("cid_backend", "Backend", {"app_type": "non_interactive"})


def with_apps(want: Desired, **apps: dict[str, Any]) -> Desired:
    sources = dict(want.sources)
    for line, name in enumerate(apps, start=2):
        sources[("applications", name)] = Location("applications.yaml", line, 3)
    return replace(
        want,
        applications={name: Application.model_validate(spec) for name, spec in apps.items()},
        sources=sources,
    )


def live_with(*apps: LiveApplication, grants: tuple[LiveClientGrant, ...] = (), **orgs) -> Snapshot:
    live = snapshot(*orgs.values())
    live.applications = {app.client_id: app for app in apps}
    live.client_grants = {(g.client_id, g.audience): g for g in grants}
    live.apis = {API: frozenset({"read", "write"})}
    return live


def errors(want: Desired, live: Snapshot) -> list[str]:
    with pytest.raises(PlanErrors) as raised:
        diff(want, live)
    return [str(error) for error in raised.value.errors]


def test_only_the_fields_that_differ_are_patched():
    want = with_apps(desired(), Portal={"app_type": "spa", "callbacks": ["https://p/cb"]})
    live = live_with(LiveApplication("cid", "Portal", {"app_type": "spa", "callbacks": []}))
    plan = diff(want, live)
    assert [(op.method, op.path_text, op.body) for op in plan.operations] == [
        ("PATCH", "/clients/cid", {"callbacks": ["https://p/cb"]})
    ]
    assert plan.operations[0].phase is Phase.APPLICATIONS
    assert [(f.field, f.before, f.after) for f in plan.rows[0].fields] == [
        ("callbacks", [], ["https://p/cb"])
    ]


def test_an_application_name_that_auth0_has_twice_is_an_error_at_its_key():
    want = with_apps(desired(), Portal={"app_type": "spa"})
    twins = (LiveApplication("cid_b", "Portal"), LiveApplication("cid_a", "Portal"))
    assert errors(want, live_with(*twins)) == [
        "applications.yaml:2:3: 2 applications in Auth0 are named 'Portal' (cid_a, cid_b): the "
        "files match applications by name, so rename all but one"
    ]


def test_api_access_of_an_interactive_application_is_an_error_at_the_entry():
    want = desired({"name": "acme", "api_access": [{**ACCESS, "application": "Portal"}]})
    portal = LiveApplication("cid", "Portal", {"app_type": "spa"})
    assert errors(want, live_with(portal, acme=live_org({"name": "acme"}))) == [
        "organizations/acme.yaml:2:1: API access is for machine-to-machine applications "
        "(app_type non_interactive); 'Portal' is spa"
    ]


def test_a_grant_for_an_application_the_plan_creates_refers_to_its_id():
    want = with_apps(
        desired({"name": "acme", "api_access": [ACCESS]}), Backend={"app_type": "non_interactive"}
    )
    plan = diff(want, live_with(acme=live_org({"name": "acme"})))
    assert [(op.method, op.path_text, display_body(op.body)) for op in plan.operations] == [
        ("POST", "/clients", {"name": "Backend", "app_type": "non_interactive"}),
        (
            "POST",
            "/client-grants",
            {
                "client_id": "{app:Backend}",
                "audience": API,
                "scope": ["read"],
                "organization_usage": "allow",
            },
        ),
        (
            "POST",
            "/organizations/org_acme/client-grants",
            {"grant_id": f"{{grant:Backend -> {API}}}"},
        ),
    ]
    create_app, create_grant, associate = plan.operations
    assert create_grant.depends_on == (create_app.key,)
    assert associate.depends_on == (create_grant.key,)


def test_scopes_the_grant_already_has_are_not_checked_and_unknown_ones_are():
    want = desired({"name": "acme", "api_access": [{**ACCESS, "scopes": ["legacy", "raed"]}]})
    grant = LiveClientGrant("cgr_1", "cid_backend", API, ("legacy",), "allow")
    live = live_with(BACKEND, grants=(grant,), acme=live_org({"name": "acme"}))
    assert errors(want, live) == [
        f"organizations/acme.yaml:2:1: unknown scope 'raed': {API} defines read, write"
    ]


def test_an_associated_grant_with_its_scopes_is_no_change():
    want = desired({"name": "acme", "api_access": [ACCESS]})
    grant = LiveClientGrant("cgr_1", "cid_backend", API, ("read",), "require")
    acme = live_org({"name": "acme"})
    acme.client_grants = {"cgr_1": grant}
    live = live_with(BACKEND, grants=(grant,), acme=acme)
    live.apis = None
    assert diff(want, live).operations == ()


def test_a_saved_plan_is_stale_when_the_application_changed(tmp_path: Path):
    want = with_apps(desired(), Portal={"callbacks": ["https://p/cb"]})
    live = live_with(LiveApplication("cid", "Portal", {"callbacks": []}))
    plan = diff(want, live)
    path = tmp_path / "plan.json"
    write_plan_file(path, "test", "t", "files", plan, live)
    saved = read_plan_file(path)
    assert saved.fingerprints[ObjectKey.application("Portal")] != ABSENT
    assert stale_objects(saved, live) == []
    live.applications = {"cid": LiveApplication("cid", "Portal", {"callbacks": ["x"]})}
    assert stale_objects(saved, live) == ["application Portal"]


def test_client_grant_keys_round_trip_through_plan_files(tmp_path: Path):
    want = desired({"name": "acme", "api_access": [ACCESS]})
    live = live_with(BACKEND, acme=live_org({"name": "acme"}))
    plan = diff(want, live)
    path = tmp_path / "plan.json"
    write_plan_file(path, "test", "t", "files", plan, live)
    saved = read_plan_file(path)
    assert saved.plan.operations == plan.operations
    assert saved.fingerprints[ObjectKey.client_grant("Backend", API)] == ABSENT


def test_application_without_callbacks_in_auth0_plans_no_change_for_empty_list():
    want = with_apps(desired(), Portal={"callbacks": [], "allowed_logout_urls": []})
    assert diff(want, live_with(LiveApplication("cid", "Portal"))).operations == ()


def test_application_defaults_auth0_leaves_out_plan_no_change():
    spec = {
        "oidc_conformant": False,
        "organization_usage": "deny",
        "organization_require_behavior": "no_prompt",
    }
    want = with_apps(desired(), Portal=spec)
    assert diff(want, live_with(LiveApplication("cid", "Portal"))).operations == ()


def test_a_value_other_than_the_default_left_out_is_patched_from_the_default():
    want = with_apps(
        desired(), Portal={"callbacks": ["https://p/cb"], "organization_usage": "allow"}
    )
    plan = diff(want, live_with(LiveApplication("cid", "Portal")))
    assert [(op.method, op.path_text, op.body) for op in plan.operations] == [
        ("PATCH", "/clients/cid", {"callbacks": ["https://p/cb"], "organization_usage": "allow"})
    ]
    assert [(f.field, f.before, f.after) for f in plan.rows[0].fields] == [
        ("callbacks", [], ["https://p/cb"]),
        ("organization_usage", "deny", "allow"),
    ]


def test_an_application_type_auth0_has_none_of_is_set():
    want = with_apps(desired(), Portal={"app_type": "spa"})
    plan = diff(want, live_with(LiveApplication("cid", "Portal")))
    assert [op.body for op in plan.operations] == [{"app_type": "spa"}]
