"""Enterprise connections planned from small live states: what is compared, what a PATCH of
options carries, how secrets and certificates are shown, and saved plans."""

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reconciler.engine.errors import PlanErrors
from reconciler.engine.identity import ObjectKey, Ref, SecretRef
from reconciler.engine.plan import Phase, display_body
from reconciler.engine.planfile import read_plan_file
from reconciler.model.connections import EnterpriseConnection
from reconciler.model.live import LiveConnection, Snapshot
from reconciler.resources import diff
from reconciler.resources.fingerprints import stale_objects, write_plan_file
from reconciler.resources.scope import scope_of
from tests.unit.states import desired, live_org, snapshot

OKTA = {
    "strategy": "okta",
    "options": {
        "domain": "acme.okta.com",
        "client_id": "abc",
        "client_secret_env": "ACME_OKTA_SECRET",
        "domain_aliases": ["acme.example", "acme.io"],
    },
}
LIVE_OPTIONS = {
    "domain": "acme.okta.com",
    "client_id": "abc",
    "domain_aliases": ["acme.io", "acme.example"],
    "scope": "openid profile",  # set in Auth0, not in the files
}


def with_connections(**connections: dict[str, Any]) -> Any:
    want = desired({"name": "acme"})
    return replace(
        want,
        connections={n: EnterpriseConnection.model_validate(c) for n, c in connections.items()},
    )


def live_with(*connections: LiveConnection) -> Snapshot:
    live = snapshot(live_org({"name": "acme"}))
    live.connections.update({c.name: c for c in connections})
    return live


def okta(**options: Any) -> LiveConnection:
    return LiveConnection("con_okta", "acme-okta", "okta", options={**LIVE_OPTIONS, **options})


def test_options_as_auth0_has_them_are_no_change_and_aliases_compare_as_sets():
    assert diff(with_connections(**{"acme-okta": OKTA}), live_with(okta())).operations == ()


def test_a_changed_option_sends_the_whole_options_with_the_secret_from_its_variable():
    want = with_connections(**{"acme-okta": OKTA})
    plan = diff(want, live_with(okta(client_id="old")))
    (op,) = plan.operations
    assert (op.method, op.path_text, op.phase) == (
        "PATCH",
        "/connections/con_okta",
        Phase.APPLICATIONS,
    )
    assert op.body == {
        "options": {
            **LIVE_OPTIONS,
            "client_id": "abc",
            "domain_aliases": ["acme.example", "acme.io"],
            "client_secret": SecretRef("ACME_OKTA_SECRET"),
        }
    }
    (row,) = plan.rows
    assert [(f.field, f.before, f.after) for f in row.fields] == [
        ("options.client_id", "old", "abc")
    ]
    assert row.note == "client_secret is not compared: Auth0 never returns it"


def test_changing_options_of_a_connection_whose_secret_auth0_keeps_needs_its_variable():
    oidc = {
        "strategy": "oidc",
        "options": {"client_id": "abc", "discovery_url": "https://idp.acme.example/.well-known"},
    }
    back_channel = LiveConnection(
        "con_oidc",
        "acme-oidc",
        "oidc",
        options={
            "client_id": "abc",
            "discovery_url": "https://old.example",
            "type": "back_channel",
        },
    )
    with pytest.raises(PlanErrors, match=r"set options\.client_secret_env"):
        diff(with_connections(**{"acme-oidc": oidc}), live_with(back_channel))
    front_channel = replace(
        back_channel, options={**(back_channel.options or {}), "type": "front_channel"}
    )
    (op,) = diff(with_connections(**{"acme-oidc": oidc}), live_with(front_channel)).operations
    assert "client_secret" not in op.body["options"]


def test_fields_are_patched_alone_and_unmanaged_ones_left():
    want = with_connections(**{"acme-okta": {**OKTA, "display_name": "Acme"}})
    plan = diff(want, live_with(replace(okta(), display_name="Old", show_as_button=True)))
    assert [op.body for op in plan.operations] == [{"display_name": "Acme"}]


def test_a_new_connection_is_created_before_anything_links_to_it():
    want = desired(
        {
            "name": "acme",
            "enterprise_connections": {"acme-okta": {**OKTA, "link": {"show_as_button": False}}},
        }
    )
    live = live_with()
    live.organizations["acme"].connections = {}
    plan = diff(want, live)
    create, link = plan.operations
    assert (create.method, create.path_text, create.phase) == (
        "POST",
        "/connections",
        Phase.APPLICATIONS,
    )
    assert create.creates == ObjectKey.connection("acme-okta")
    assert display_body(create.body)["options"]["client_secret"] == "(secret from ACME_OKTA_SECRET)"
    assert (link.method, link.path_text) == (
        "POST",
        f"/organizations/{live.organizations['acme'].id}/enabled_connections",
    )
    assert link.body == {
        "connection_id": Ref(ObjectKey.connection("acme-okta")),
        "show_as_button": False,
    }
    assert link.depends_on == (create.key,)


def test_an_undeclared_connection_is_neither_read_nor_planned():
    want = with_connections(**{"acme-okta": OKTA})
    scope = scope_of(want)
    assert scope.enterprise_connections == frozenset({"acme-okta"})
    other = LiveConnection("con_x", "customer-saml", "samlp", options={"signInEndpoint": "x"})
    assert diff(want, live_with(okta(), other)).operations == ()


def test_a_saved_plan_is_stale_when_the_connection_changed(tmp_path: Path):
    want = with_connections(**{"acme-okta": OKTA})
    live = live_with(okta(client_id="old"))
    plan = diff(want, live)
    path = tmp_path / "plan.json"
    write_plan_file(path, "test", "t", "files", plan, live)
    saved = read_plan_file(path)
    assert saved.plan.operations == plan.operations
    assert "ACME_OKTA_SECRET" in path.read_text()
    assert stale_objects(saved, live) == []
    live.connections["acme-okta"] = okta(client_id="other")
    assert stale_objects(saved, live) == ["enterprise connection acme-okta"]


def test_absent_without_the_policy_is_an_error_naming_it():
    want = with_connections(**{"acme-okta": {**OKTA, "absent": True}})
    with pytest.raises(PlanErrors, match=r"policy\.prune_connections"):
        diff(want, live_with(okta()))
