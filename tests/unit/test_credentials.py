"""Credentials come from the environment variables tenant.yaml names; values never leak."""

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
