"""``/oauth/token``, bearer tokens, scopes and unknown paths."""

from __future__ import annotations

import httpx
import pytest
from auth0.management import Auth0
from auth0.management.errors import ForbiddenError, UnauthorizedError

from reconciler.sandbox import Sandbox, World

from .conftest import WORLD

CREDENTIALS = {
    "grant_type": "client_credentials",
    "client_id": "test-reconciler",
    "client_secret": "test-secret",
    "audience": "https://anything.example/api/v2/",
}


def test_client_credentials(sandbox: Sandbox, http: httpx.Client) -> None:
    response = http.post("/oauth/token", json=CREDENTIALS)
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 86400
    assert "read:organizations" in token["scope"].split()
    api = Auth0(
        base_url=f"{sandbox.base_url}/api/v2",
        token=token["access_token"],
        httpx_client=http,
        max_retries=0,
    )
    assert list(api.organizations.list()) == []


def test_form_encoded_and_narrowed_scope(http: httpx.Client) -> None:
    response = http.post("/oauth/token", data={**CREDENTIALS, "scope": "read:roles"})
    assert response.json()["scope"] == "read:roles"


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "access_denied"),
        ({"client_id": "someone"}, 401, "access_denied"),
        ({"audience": "https://anything.example/"}, 403, "access_denied"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"scope": "read:everything"}, 403, "access_denied"),
    ],
)
def test_token_refusals(
    http: httpx.Client, change: dict[str, str], status: int, error: str
) -> None:
    response = http.post("/oauth/token", json={**CREDENTIALS, **change})
    assert response.status_code == status
    assert response.json()["error"] == error


def test_listed_scopes_are_what_the_token_carries(world: World) -> None:
    narrow = World.model_validate(
        {**WORLD, "management_client": {**WORLD["management_client"], "scopes": ["read:roles"]}}
    )
    sandbox = Sandbox(narrow)
    with sandbox.sync_client() as http:
        token = http.post("/oauth/token", json=CREDENTIALS).json()
        assert token["scope"] == "read:roles"
        api = Auth0(
            base_url=f"{sandbox.base_url}/api/v2",
            token=token["access_token"],
            httpx_client=http,
            max_retries=0,
        )
        assert list(api.roles.list()) == []
        with pytest.raises(ForbiddenError) as error:
            api.organizations.get_by_name("acme")
    assert error.value.body == {
        "statusCode": 403,
        "error": "Forbidden",
        "message": "Insufficient scope, expected any of: read:organizations",
        "errorCode": "insufficient_scope",
    }


def test_missing_and_invalid_tokens(sandbox: Sandbox, http: httpx.Client) -> None:
    missing = http.get("/api/v2/organizations")
    assert missing.status_code == 401
    assert missing.json() == {
        "statusCode": 401,
        "error": "Unauthorized",
        "message": "Missing authentication",
    }
    assert "x-ratelimit-limit" in missing.headers
    api = Auth0(
        base_url=f"{sandbox.base_url}/api/v2", token="forged", httpx_client=http, max_retries=0
    )
    with pytest.raises(UnauthorizedError) as error:
        api.organizations.list()
    assert error.value.body["message"] == "Invalid token"


def test_expired_token(world: World) -> None:
    now = [1_700_000_000.0]
    sandbox = Sandbox(world, clock=lambda: now[0])
    token = sandbox.issue_token()
    with sandbox.sync_client(headers={"authorization": f"Bearer {token}"}) as http:
        assert http.get("/api/v2/roles").status_code == 200
        now[0] += 86400
        expired = http.get("/api/v2/roles")
    assert expired.status_code == 401 and expired.json()["message"] == "Expired token"


def test_unknown_paths(sandbox: Sandbox, http: httpx.Client) -> None:
    headers = {"authorization": f"Bearer {sandbox.issue_token()}"}
    for method, path in [
        ("GET", "/api/v2/tenants/settings"),
        ("PUT", "/api/v2/organizations"),
        ("GET", "/api/v2/organizations/org_1/members/x/permissions"),
        ("GET", "/elsewhere"),
    ]:
        response = http.request(method, path, headers=headers)
        assert response.status_code == 404
        assert response.json() == {"statusCode": 404, "error": "Not Found", "message": "Not Found"}


def test_invalid_json(sandbox: Sandbox, http: httpx.Client) -> None:
    response = http.post(
        "/api/v2/organizations",
        content=b"{not json",
        headers={
            "authorization": f"Bearer {sandbox.issue_token()}",
            "content-type": "application/json",
        },
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid request payload JSON format"
