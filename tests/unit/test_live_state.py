"""The snapshot of live state as JSON: every kind of value the model holds round-trips, and a
document that is not one written by this version is refused, saying where."""

import json
from typing import Any

import pytest

from reconciler.drift.live_state import live_document, live_from
from reconciler.model.live import (
    ActionVersion,
    LiveAction,
    LiveApplication,
    LiveBinding,
    LiveClientGrant,
    LiveConnection,
    LiveDomain,
    LiveEnabledConnection,
    LiveInvitation,
    LiveMember,
    LiveOrganization,
    LivePostLogin,
    LiveRole,
    LiveSsoProfile,
    Snapshot,
)

GRANT = LiveClientGrant("cgr_1", "app_1", "https://api.example", ("read", "write"), "allow")
VERSION = ActionVersion(
    "exports.onExecutePostLogin = 1", "node22", frozenset({("jose", "5")}), frozenset({"KEY"})
)
SNAPSHOT = Snapshot(
    organizations={
        "acme": LiveOrganization(
            "org_1",
            "acme",
            display_name="Acme",
            branding={"colors": {"primary": "#000000"}},
            metadata={"tier": "gold"},
            members=(LiveMember("auth0|1", "a@acme.example", "A", (("rol_1", "admin"),)),),
            connections={"db": LiveEnabledConnection("con_1", "db", True, False, True)},
            domains={"acme.example": LiveDomain("dom_1", "acme.example", "pending", True, "txt")},
            invitations={"b@acme.example": LiveInvitation("inv_1", "b@acme.example", ("rol_1",))},
            client_grants={"cgr_1": GRANT},
            applications={"app_1": True},
        )
    },
    other_organizations={"stray": "org_2"},
    organizations_listed=2,
    roles={"admin": LiveRole("rol_1", "admin", None, frozenset({("https://api.example", "read")}))},
    org_roles={("acme", "lead"): LiveRole("rol_2", "lead", "Lead", None, "acme")},
    roles_listed=2,
    connections={
        "sso": LiveConnection(
            "con_2",
            "sso",
            "samlp",
            "SSO",
            True,
            False,
            {"domain_aliases": ["a"]},
            frozenset({"app_1"}),
        )
    },
    users_by_email={"c@acme.example": None, "a@acme.example": "auth0|1"},
    users_by_id={"auth0|2": False},
    apis={"https://api.example": frozenset({"read", "write"})},
    clients={"app_1": True},
    applications={"app_1": LiveApplication("app_1", "App", {"app_type": "spa"})},
    client_grants={("app_1", "https://api.example"): GRANT},
    sso_profiles={"Self": LiveSsoProfile("ssp_1", "Self", {"allowed_strategies": ["okta"]})},
    post_login=LivePostLogin(
        LiveAction("act_1", "routing", VERSION, None, draft_built=False),
        (LiveBinding("bnd_1", "act_1", "routing", None),),
    ),
    read_calls=12,
)


def test_every_kind_of_value_round_trips_through_json_but_the_count_of_calls():
    document = json.loads(json.dumps(live_document(SNAPSHOT)))
    back = live_from(document)
    assert back.read_calls == 0
    back.read_calls = SNAPSHOT.read_calls
    assert back == SNAPSHOT
    assert "read_calls" not in document


def test_sets_are_written_in_order():
    first = live_document(SNAPSHOT)
    again = live_document(live_from(json.loads(json.dumps(first))))
    assert json.dumps(first) == json.dumps(again)


def broken(change: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(live_document(SNAPSHOT)))
    change(document)
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "live is not a Snapshot of this version"),
        (broken(lambda d: d.pop("roles")), "live is not a Snapshot of this version"),
        (broken(lambda d: d.update(extra=1)), "live is not a Snapshot of this version"),
        (
            broken(lambda d: d["organizations"]["acme"].update(display_name=7)),
            "live.organizations.acme.display_name: expected str, got int",
        ),
        (
            broken(lambda d: d.update(organizations_listed=True)),
            "live.organizations_listed: expected a number, got a boolean",
        ),
        (
            broken(lambda d: d["org_roles"][0].pop()),
            "live.org_roles: expected a [key, value] pair",
        ),
        (
            broken(lambda d: d["organizations"]["acme"]["members"][0]["roles"][0].pop()),
            "live.organizations.acme.members.roles: expected 2 values, got 1",
        ),
        (broken(lambda d: d.update(apis="all")), "live.apis: expected dict, got str"),
    ],
)
def test_a_document_of_another_shape_is_refused_saying_where(document: Any, message: str):
    with pytest.raises(ValueError) as raised:
        live_from(document)
    assert str(raised.value) == message
