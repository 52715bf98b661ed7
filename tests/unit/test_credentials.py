"""Credentials come from the environment variables tenant.yaml names; values never leak."""

import asyncio
import base64
import json

import httpx
import pytest

from reconciler.auth0.credentials import (
    ClientCredentials,
    CredentialsError,
    Token,
    fetch_token,
    login_from_environment,
    token_client,
)
from reconciler.model import Credentials


def test_missing_variables_are_named_with_the_target():
    with pytest.raises(CredentialsError) as caught:
        login_from_environment(Credentials(), "https://acme.eu.auth0.com", {"AUTH0_CLIENT_ID": "a"})
    assert str(caught.value) == (
        "set AUTH0_CLIENT_SECRET (named in tenant.yaml credentials) "
        "or AUTH0_TOKEN to reach https://acme.eu.auth0.com"
    )


def test_values_are_read_from_the_named_variables():
    creds = Credentials(client_id_env="ID", client_secret_env="SECRET")
    login = login_from_environment(creds, "t", {"ID": "i", "SECRET": "s"})
    assert login == ClientCredentials("i", "s")


def test_a_token_in_the_environment_wins():
    login = login_from_environment(Credentials(), "t", {"AUTH0_TOKEN": "tok", "ID": "i"})
    assert login == Token("tok")


def test_secrets_are_not_in_the_repr():
    assert "s3cret" not in repr(ClientCredentials("i", "s3cret"))
    assert "s3cret" not in repr(Token("s3cret"))


def jwt(claims: dict[str, object]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJSUzI1NiJ9.{payload}.signature"


def test_the_client_of_a_token_is_its_azp_or_the_subject_of_a_client_credentials_grant():
    assert token_client(jwt({"azp": "abc", "sub": "xyz@clients"})) == "abc"
    assert token_client(jwt({"sub": "xyz@clients"})) == "xyz"
    assert token_client(jwt({"sub": "auth0|123"})) is None
    assert token_client("opaque-token") is None
    assert token_client("a.%%%.c") is None


async def test_a_token_says_its_scopes_from_the_token_endpoint_or_its_claim():
    given = await fetch_token(httpx.AsyncClient(), "https://t", Token(jwt({"scope": "read:a b"})))
    assert given.scopes == frozenset({"read:a", "b"})
    assert (await fetch_token(httpx.AsyncClient(), "https://t", Token("opaque"))).scopes is None

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"access_token": "opaque-2", "scope": "read:roles"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    issued = await fetch_token(http, "https://t", ClientCredentials("i", "s"))
    assert (issued.token, issued.scopes) == ("opaque-2", frozenset({"read:roles"}))


def refused_with(status: int, login: ClientCredentials) -> str:
    body = {"error": "access_denied", "error_description": "Unauthorized"}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body)

    async def attempt() -> str:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
            with pytest.raises(CredentialsError) as caught:
                await fetch_token(http, "https://acme.eu.auth0.com", login)
        return str(caught.value)

    return asyncio.run(attempt())


def test_a_401_at_the_token_endpoint_names_the_variables_to_check():
    creds = Credentials(client_id_env="ACME_ID", client_secret_env="ACME_SECRET")
    login = login_from_environment(creds, "t", {"ACME_ID": "i", "ACME_SECRET": "wrong-secret"})
    message = refused_with(401, login)
    assert message.startswith("POST https://acme.eu.auth0.com/oauth/token was refused with 401")
    assert message.endswith(
        "; check that ACME_ID and ACME_SECRET (named in tenant.yaml credentials) hold the "
        "client id and secret of a machine-to-machine application of this tenant, or set "
        "AUTH0_TOKEN"
    )
    assert "wrong-secret" not in message
    assert "is not authorized for this tenant's Management API" in refused_with(403, login)


def test_credentials_not_read_from_the_environment_get_no_hint():
    message = refused_with(401, ClientCredentials("i", "s"))
    assert "check that" not in message
