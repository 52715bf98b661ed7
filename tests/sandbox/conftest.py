"""Fixtures for the sandbox tests: a small world, a sandbox and SDK clients in-process."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from auth0.management import Auth0

from reconciler.sandbox import Sandbox, World

WORLD: dict[str, Any] = {
    "management_client": {
        "client_id": "test-reconciler",
        "client_secret": "test-secret",
        "scopes": "all",
    },
    "connections": [
        {"name": "Username-Password-Authentication", "strategy": "auth0"},
        {"name": "google-oauth2", "strategy": "google-oauth2"},
        {"name": "acme-azure-ad", "strategy": "waad"},
    ],
    "clients": [{"name": "ProjectManager", "app_type": "spa", "client_id": "pm-spa"}],
    "resource_servers": [
        {
            "name": "ProjectManager API",
            "identifier": "https://api.pm.example",
            "scopes": ["projects:read", "projects:write"],
        }
    ],
    "users": [
        {
            "email": "alice@acme.com",
            "name": "Alice",
            "connection": "Username-Password-Authentication",
        },
        {"email": "bob@acme.com", "name": "Bob", "connection": "Username-Password-Authentication"},
        {
            "user_id": "google-oauth2|1093",
            "email": "Dana@acme.com",
            "name": "Dana",
            "connection": "google-oauth2",
        },
    ],
}


@pytest.fixture
def world() -> World:
    return World.model_validate(WORLD)


@pytest.fixture
def sandbox(world: World) -> Sandbox:
    return Sandbox(world)


@pytest.fixture
def http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with sandbox.sync_client() as client:
        yield client


def sdk(sandbox: Sandbox, http: httpx.Client, scopes: list[str] | None = None) -> Auth0:
    """The official SDK on an in-process client, with a token carrying ``scopes``."""
    return Auth0(
        base_url=f"{sandbox.base_url}/api/v2",
        token=sandbox.issue_token(scopes),
        httpx_client=http,
        max_retries=0,
    )


@pytest.fixture
def api(sandbox: Sandbox, http: httpx.Client) -> Auth0:
    return sdk(sandbox, http)


def user_id(sandbox: Sandbox, email: str) -> str:
    """The id of a seeded user."""
    return str(sandbox.store.users_by_email(email)[0]["user_id"])


def connection_id(sandbox: Sandbox, name: str) -> str:
    """The id of a seeded connection."""
    found = sandbox.store.connection_by_name(name)
    assert found is not None
    return str(found["id"])


async def done(result: Any) -> Any:
    """The result of a sync SDK call, or of an async one once awaited."""
    return await result if inspect.isawaitable(result) else result


async def items(result: Any) -> list[Any]:
    """Every item of a sync or async pager."""
    pager = await done(result)
    if hasattr(pager, "__aiter__"):
        return [item async for item in pager]
    return list(pager)
