"""Credentials come from the environment variables tenant.yaml names; values never leak."""

import pytest

from reconciler.auth0.credentials import CredentialsError, client_credentials
from reconciler.model import Credentials


def test_missing_variables_are_named():
    with pytest.raises(CredentialsError) as caught:
        client_credentials(Credentials(), {"AUTH0_CLIENT_ID": "abc"})
    assert str(caught.value) == (
        "set AUTH0_CLIENT_SECRET (named in tenant.yaml credentials) "
        "or AUTH0_TOKEN to reach a real tenant"
    )


def test_values_are_read_from_the_named_variables():
    creds = Credentials(client_id_env="ID", client_secret_env="SECRET")
    assert client_credentials(creds, {"ID": "i", "SECRET": "s"}) == ("i", "s")
