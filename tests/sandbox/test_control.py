"""The call log and the ``/_sandbox`` controls."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from auth0.management import Auth0

from reconciler.sandbox import Sandbox


def test_call_log_entries(api: Auth0, sandbox: Sandbox, http: httpx.Client) -> None:
    http.post("/oauth/token", json={})
    org = api.organizations.create(name="acme")
    list(api.organizations.members.list(org.id, take=100))
    calls = sandbox.api_calls()
    assert [(c.method, c.path, c.query, c.status) for c in calls] == [
        ("POST", "/api/v2/organizations", "", 201),
        ("GET", f"/api/v2/organizations/{org.id}/members", "include_totals=true&take=100", 200),
    ]
    assert all(c.duration_ms >= 0 and c.fault is None for c in calls)
    assert sandbox.calls[0].path == "/oauth/token" and not sandbox.calls[0].is_api
    sandbox.reset_calls()
    assert sandbox.calls == []


@pytest.fixture
def control(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """An in-process client holding a token of the sandbox, as the controls require."""
    token = sandbox.issue_token()
    with sandbox.sync_client(headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def test_controls_without_a_token_are_refused(sandbox: Sandbox, http: httpx.Client) -> None:
    sandbox.store.create_organization("acme")
    refused = http.post("/_sandbox/reset", params={"state": "1"})
    assert refused.status_code == 401
    assert len(sandbox.store.state.organizations) == 1


def test_a_cross_site_request_is_refused_even_with_a_token(
    sandbox: Sandbox, control: httpx.Client
) -> None:
    sandbox.store.create_organization("acme")
    forged = control.post(
        "/_sandbox/reset", params={"state": "1"}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    assert forged.json()["message"] == "Cross-site request refused"
    assert len(sandbox.store.state.organizations) == 1


def test_calls_over_http(sandbox: Sandbox, control: httpx.Client) -> None:
    http = control
    http.get("/api/v2/roles")
    http.get("/_sandbox/settings")
    everything = http.get("/_sandbox/calls").json()["calls"]
    assert [c["path"] for c in everything] == ["/api/v2/roles", "/_sandbox/settings"]
    assert set(everything[0]) == {
        "method",
        "path",
        "query",
        "status",
        "duration_ms",
        "fault",
        "at",
    }
    api_only = http.get("/_sandbox/calls", params={"api": "true"}).json()["calls"]
    assert [c["path"] for c in api_only] == ["/api/v2/roles"]


def test_reset_over_http(sandbox: Sandbox, control: httpx.Client) -> None:
    http = control
    sandbox.store.create_organization("acme")
    http.get("/api/v2/roles")
    assert http.post("/_sandbox/reset").status_code == 204
    assert sandbox.api_calls() == []
    assert len(sandbox.store.state.organizations) == 1
    assert http.post("/_sandbox/reset", params={"state": "1"}).status_code == 204
    assert sandbox.store.state.organizations == {}
    assert len(sandbox.store.state.users) == 3


def test_settings_over_http(sandbox: Sandbox, control: httpx.Client) -> None:
    http = control
    assert http.get("/_sandbox/settings").json()["member_batch_max"] == 10
    changed = http.patch("/_sandbox/settings", json={"member_batch_max": 50, "latency_ms": 1})
    assert changed.status_code == 200 and changed.json()["member_batch_max"] == 50
    assert sandbox.settings.member_batch_max == 50
    refused = http.patch("/_sandbox/settings", json={"drop_rate": 3})
    assert refused.status_code == 400 and refused.json()["errorCode"] == "invalid_body"
    assert http.patch("/_sandbox/settings", json={"nope": 1}).status_code == 400
    assert sandbox.settings.drop_rate == 0


def test_a_reset_empties_the_log_and_its_ids_go_on(sandbox: Sandbox, control: httpx.Client) -> None:
    assert control.post("/api/v2/organizations", json={"name": "acme"}).status_code == 201
    (before,) = sandbox.store.state.logs
    assert control.post("/_sandbox/reset", params={"state": "1"}).status_code == 204
    assert sandbox.store.state.logs == []
    assert control.get(f"/api/v2/logs/{before['log_id']}").status_code == 404
    assert control.post("/api/v2/organizations", json={"name": "beta"}).status_code == 201
    (after,) = sandbox.store.state.logs
    assert after["log_id"] > before["log_id"]
