"""``POST /oauth/token`` (client credentials) and bearer token checks."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from .errors import ApiError
from .world import ManagementClientSpec

TOKEN_LIFETIME = 86400
AUDIENCE_SUFFIX = "/api/v2/"


@dataclass(frozen=True, slots=True)
class Grant:
    """What a token allows."""

    client_id: str
    scopes: frozenset[str]
    expires_at: float


class TokenIssuer:
    """Issues opaque access tokens and checks ``Authorization`` headers."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._grants: dict[str, Grant] = {}

    def issue(self, client_id: str, scopes: Iterable[str]) -> str:
        """A new token for ``client_id`` carrying ``scopes``."""
        token = "sbx_" + secrets.token_urlsafe(32)
        self._grants[token] = Grant(client_id, frozenset(scopes), self._clock() + TOKEN_LIFETIME)
        return token

    def check(self, authorization: str | None) -> Grant:
        """The grant behind a ``Bearer`` header, or 401."""
        if not authorization:
            raise ApiError(401, "Missing authentication")
        scheme, _, token = authorization.partition(" ")
        grant = self._grants.get(token.strip()) if scheme.lower() == "bearer" else None
        if grant is None:
            raise ApiError(401, "Invalid token")
        if grant.expires_at <= self._clock():
            raise ApiError(401, "Expired token")
        return grant


def _oauth_error(status: int, error: str, description: str) -> tuple[int, dict[str, Any]]:
    return status, {"error": error, "error_description": description}


def _form(body: bytes, content_type: str) -> dict[str, Any]:
    if "application/x-www-form-urlencoded" in content_type:
        return {k: v[0] for k, v in parse_qs(body.decode()).items()}
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def token_endpoint(
    issuer: TokenIssuer,
    client: ManagementClientSpec,
    all_scopes: frozenset[str],
    body: bytes,
    content_type: str,
) -> tuple[int, dict[str, Any]]:
    """Answer a client-credentials token request for the management client."""
    form = _form(body, content_type)
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(
            400, "unsupported_grant_type", f"Unsupported grant type: {form.get('grant_type')}"
        )
    if (
        form.get("client_id") != client.client_id
        or form.get("client_secret") != client.client_secret
    ):
        return _oauth_error(401, "access_denied", "Unauthorized")
    audience = str(form.get("audience") or "")
    if not audience.endswith(AUDIENCE_SUFFIX):
        return _oauth_error(403, "access_denied", f"Service not enabled within domain: {audience}")
    granted = all_scopes if client.scopes == "all" else frozenset(client.scopes)
    requested = str(form.get("scope") or "").split()
    missing = [s for s in requested if s not in granted]
    if missing:
        return _oauth_error(
            403, "access_denied", f"Client has not been granted scopes: {' '.join(missing)}"
        )
    scopes = sorted(requested or granted)
    return 200, {
        "access_token": issuer.issue(client.client_id, scopes),
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME,
        "scope": " ".join(scopes),
    }
