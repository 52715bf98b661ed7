"""Credentials come from the environment variables tenant.yaml names; values never leak."""

import pytest

from reconciler.auth0.credentials import (
    ClientCredentials,
    CredentialsError,
    Token,
    login_from_environment,
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
