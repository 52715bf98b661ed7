"""Access tokens: from AUTH0_TOKEN, or by client credentials named in tenant.yaml."""

import os
from collections.abc import Mapping

import httpx

from reconciler.model import Credentials

TOKEN_ENV = "AUTH0_TOKEN"


class CredentialsError(Exception):
    """No usable credentials; the message names variables, never their values."""


async def fetch_token(
    http: httpx.AsyncClient,
    origin: str,
    client_id: str,
    client_secret: str,
) -> str:
    """Exchange client credentials for a Management API token."""
    response = await http.post(
        f"{origin}/oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "audience": f"{origin}/api/v2/",
        },
    )
    if response.status_code != 200:
        raise CredentialsError(
            f"POST {origin}/oauth/token was refused with {response.status_code}: "
            f"{_error_text(response)}"
        )
    token = response.json().get("access_token")
    if not isinstance(token, str):
        raise CredentialsError(f"POST {origin}/oauth/token returned no access_token")
    return token


def client_credentials(
    credentials: Credentials, environ: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """The client id and secret from the environment variables the tenant file names."""
    env = os.environ if environ is None else environ
    missing = [
        name
        for name in (credentials.client_id_env, credentials.client_secret_env)
        if not env.get(name)
    ]
    if missing:
        raise CredentialsError(
            f"set {' and '.join(missing)} (named in tenant.yaml credentials) "
            f"or {TOKEN_ENV} to reach a real tenant"
        )
    return env[credentials.client_id_env], env[credentials.client_secret_env]


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase
    if isinstance(body, dict):
        return str(body.get("error_description") or body.get("message") or body.get("error"))
    return response.reason_phrase
