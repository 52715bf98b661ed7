"""Users through the official SDK, in-process."""

from __future__ import annotations

import pytest
from auth0.management import Auth0
from auth0.management.errors import BadRequestError, ConflictError, NotFoundError

from reconciler.sandbox import Sandbox

from .conftest import user_id


def test_create_get_update_delete(api: Auth0, sandbox: Sandbox) -> None:
    user = api.users.create(
        connection="Username-Password-Authentication",
        email="Carol@Beta.io",
        password="S3cret!pass",
        name="Carol",
        user_metadata={"team": "blue"},
    )
    assert user.user_id.startswith("auth0|") and len(user.user_id) == len("auth0|") + 24
    assert user.email == "carol@beta.io"
    assert user.identities[0].connection == "Username-Password-Authentication"
    fetched = api.users.get(user.user_id, fields="user_id,email")
    assert fetched.email == "carol@beta.io" and fetched.name is None
    updated = api.users.update(user.user_id, user_metadata={"team": None, "floor": "2"})
    assert updated.user_metadata == {"floor": "2"}
    api.users.delete(user.user_id)
    with pytest.raises(NotFoundError) as error:
        api.users.get(user.user_id)
    assert error.value.body["errorCode"] == "inexistent_user"


def test_users_by_email_is_exact_and_lowercased_for_databases(api: Auth0) -> None:
    assert [u.name for u in api.users.list_users_by_email(email="alice@acme.com")] == ["Alice"]
    assert api.users.list_users_by_email(email="Alice@acme.com") == []
    assert [u.name for u in api.users.list_users_by_email(email="Dana@acme.com")] == ["Dana"]
    assert api.users.list_users_by_email(email="dana@acme.com") == []


def test_duplicate_user(api: Auth0) -> None:
    with pytest.raises(ConflictError) as error:
        api.users.create(connection="Username-Password-Authentication", email="ALICE@acme.com")
    assert error.value.body == {
        "statusCode": 409,
        "error": "Conflict",
        "message": "The user already exists.",
        "errorCode": "auth0_idp_error",
    }


def test_unknown_connection(api: Auth0) -> None:
    with pytest.raises(BadRequestError) as error:
        api.users.create(connection="nope", email="x@y.z")
    assert error.value.body["errorCode"] == "inexistent_connection"


def test_given_user_id_gets_the_provider_prefix(api: Auth0) -> None:
    user = api.users.create(
        connection="Username-Password-Authentication", email="e@x.io", user_id="abc123"
    )
    assert user.user_id == "auth0|abc123"


def test_list_and_search(api: Auth0, sandbox: Sandbox) -> None:
    assert len(list(api.users.list())) == 3
    found = list(api.users.list(q='email:"bob@acme.com"'))
    assert [u.name for u in found] == ["Bob"]
    google = list(api.users.list(connection="google-oauth2"))
    assert [u.user_id for u in google] == ["google-oauth2|1093"]


def test_search_by_user_ids_joined_with_or_finds_each(api: Auth0, sandbox: Sandbox) -> None:
    bob = user_id(sandbox, "bob@acme.com")
    query = f'user_id:"{bob}" OR user_id:"google-oauth2|1093" OR user_id:"auth0|nobody"'
    found = list(api.users.list(q=query, search_engine="v3", fields="user_id"))
    assert sorted(u.user_id for u in found) == sorted([bob, "google-oauth2|1093"])


def test_search_groups_a_fields_values_and_ands_terms(api: Auth0, sandbox: Sandbox) -> None:
    bob = user_id(sandbox, "bob@acme.com")
    grouped = f'user_id:("{bob}" OR "google-oauth2|1093") AND email:"BOB@acme.com"'
    assert [u.user_id for u in api.users.list(q=grouped)] == [bob]
    spaced = f'(email:bob@acme.com OR email:nobody@acme.com) user_id:"{bob}"'
    assert [u.user_id for u in api.users.list(q=spaced)] == [bob]


def test_a_query_it_cannot_read_is_refused(api: Auth0) -> None:
    for query in ('user_id:"unclosed', "(email:a@b.c", "justaword", "email:a@b.c )"):
        with pytest.raises(BadRequestError) as error:
            list(api.users.list(q=query))
        assert error.value.body["errorCode"] == "invalid_query_string", query


def test_user_deletion_ends_memberships(api: Auth0, sandbox: Sandbox) -> None:
    org = sandbox.store.create_organization("acme")
    bob = sandbox.store.users_by_email("bob@acme.com")[0]["user_id"]
    sandbox.store.add_members(org.id, [bob])
    api.users.delete(bob)
    assert list(api.organizations.members.list(org.id)) == []
