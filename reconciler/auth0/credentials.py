"""Access tokens: from AUTH0_TOKEN, or by client credentials named in tenant.yaml."""

import base64
import binascii
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from reconciler.auth0.errors import describe_response
from reconciler.model import Credentials
from reconciler.model.tenant import TOKEN_ENV
from reconciler.safe_text import hold_secret


class CredentialsError(Exception):
    """No usable credentials; the message names variables, never their values."""


@dataclass(frozen=True)
class ClientCredentials:
    """A client id and secret to exchange for a token; the secret is never shown."""

    client_id: str
    client_secret: str = field(repr=False)
    variables: tuple[str, str] | None = field(default=None, compare=False)
    """The environment variables they were read from (named in a refusal's hint)."""

    def __post_init__(self) -> None:
        hold_secret(self.client_secret)


@dataclass(frozen=True)
class Token:
    """A ready Management API token; never shown."""

    value: str = field(repr=False)

    def __post_init__(self) -> None:
        hold_secret(self.value)


Login = ClientCredentials | Token


@dataclass(frozen=True)
class Issued:
    """A bearer token and the scopes it carries (None: the token does not say)."""

    token: str = field(repr=False)
    scopes: frozenset[str] | None


async def fetch_token(http: httpx.AsyncClient, origin: str, login: Login) -> Issued:
    """The bearer token: given, or exchanged for client credentials (a secret from then on),
    with its scopes: the token endpoint's `scope`, else the token's own `scope` claim."""
    if isinstance(login, Token):
        return Issued(login.value, _scopes(_claims(login.value).get("scope")))
    call = f"POST {origin}/oauth/token"
    response = await http.post(
        f"{origin}/oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": login.client_id,
            "client_secret": login.client_secret,
            "audience": f"{origin}/api/v2/",
        },
    )
    if response.status_code != 200:
        hint = _hint(login, response.status_code)
        raise CredentialsError(f"{call} was refused with {describe_response(response)}{hint}")
    try:
        answer = response.json()
    except RecursionError:
        raise CredentialsError(f"{call}: the answer is JSON nested too deeply") from None
    except ValueError:
        raise CredentialsError(f"{call}: the answer is not JSON") from None
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise CredentialsError(f"{call} returned no access_token")
    hold_secret(token)
    scopes = _scopes(answer.get("scope"))
    return Issued(token, scopes if scopes is not None else _scopes(_claims(token).get("scope")))


def _scopes(value: object) -> frozenset[str] | None:
    """Space-separated scopes, as Auth0 writes them; None for anything else."""
    return frozenset(value.split()) if isinstance(value, str) else None


def login_from_environment(
    credentials: Credentials, target_label: str, environ: Mapping[str, str] | None = None
) -> Login:
    """AUTH0_TOKEN, else the client id and secret from the variables tenant.yaml names."""
    env = os.environ if environ is None else environ
    if env.get(TOKEN_ENV):
        return Token(env[TOKEN_ENV])
    missing = [
        name
        for name in (credentials.client_id_env, credentials.client_secret_env)
        if not env.get(name)
    ]
    if missing:
        raise CredentialsError(
            f"set {' and '.join(missing)} (named in tenant.yaml credentials) "
            f"or {TOKEN_ENV} to reach {target_label}"
        )
    names = (credentials.client_id_env, credentials.client_secret_env)
    return ClientCredentials(env[names[0]], env[names[1]], names)


def _hint(login: ClientCredentials, status: int) -> str:
    """What to check when Auth0 refuses client credentials read from the environment."""
    if login.variables is None or status not in (401, 403):
        return ""
    client_id, secret = login.variables
    if status == 401:
        return (
            f"; check that {client_id} and {secret} (named in tenant.yaml credentials) hold "
            "the client id and secret of a machine-to-machine application of this tenant, "
            f"or set {TOKEN_ENV}"
        )
    return (
        f"; the application of {client_id} (named in tenant.yaml credentials) is not "
        "authorized for this tenant's Management API: authorize it, with the scopes the "
        "command needs"
    )


def token_client(token: str) -> str | None:
    """The client id an access token (a JWT) was issued to: its `azp` claim, or `sub` of a
    client-credentials token (`<client_id>@clients`); None for any other token. Read, not
    verified: it only tells the session's own writes apart in the tenant log."""
    claims = _claims(token)
    azp, sub = claims.get("azp"), claims.get("sub")
    if isinstance(azp, str) and azp:
        return azp
    if isinstance(sub, str) and sub.endswith("@clients"):
        return sub.removesuffix("@clients") or None
    return None


def _claims(token: str) -> dict[str, object]:
    """The claims of a JWT, read and not verified; empty for any other token."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, binascii.Error):
        return {}
    return claims if isinstance(claims, dict) else {}
