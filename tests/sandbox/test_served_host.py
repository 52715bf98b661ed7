"""A served sandbox answers only requests that name the loopback address and port it serves:
a web page whose domain an attacker points at 127.0.0.1 (DNS rebinding) sends that domain as
`Host`, and is refused, its controls included."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from reconciler.sandbox import Sandbox, World, serving

from .conftest import WORLD

pytestmark = pytest.mark.http


@pytest.fixture
def served() -> Iterator[tuple[Sandbox, str]]:
    sandbox = Sandbox(World.model_validate(WORLD))
    with serving(sandbox) as base:
        yield sandbox, base


def test_a_rebound_host_cannot_reset_the_sandbox_even_with_its_token(served):
    sandbox, base = served
    sandbox.store.create_organization("acme")
    token = sandbox.issue_token()
    port = urlsplit(base).port
    rebound = httpx.post(
        f"{base}/_sandbox/reset",
        params={"state": "1"},
        headers={"Authorization": f"Bearer {token}", "Host": f"rebind.evil.example:{port}"},
    )
    assert rebound.status_code == 403
    assert rebound.json()["message"] == (
        "Host not allowed: the sandbox answers its loopback address"
    )
    assert len(sandbox.store.state.organizations) == 1
    assert sandbox.calls == []


@pytest.mark.parametrize("path", ["/api/v2/organizations", "/oauth/token", "/_sandbox/calls"])
def test_every_path_checks_the_host(served, path):
    sandbox, base = served
    port = urlsplit(base).port
    for host in (f"rebind.evil.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}"):
        refused = httpx.get(f"{base}{path}", headers={"Host": host})
        assert refused.status_code == 403, host
    assert sandbox.calls == []


def test_the_address_it_serves_and_localhost_are_answered(served):
    sandbox, base = served
    port = urlsplit(base).port
    token = sandbox.issue_token()
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        answer = httpx.post(
            f"{base}/_sandbox/reset",
            headers={"Authorization": f"Bearer {token}", "Host": host},
        )
        assert answer.status_code == 204, host
