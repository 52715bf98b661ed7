"""Organizations through the official SDK, in-process."""

from __future__ import annotations

import httpx
import pytest
from auth0.management import Auth0
from auth0.management.core import ApiError as SdkApiError
from auth0.management.errors import BadRequestError, ConflictError, NotFoundError

from reconciler.sandbox import Sandbox

from .conftest import connection_id


def test_create_get_update_delete(api: Auth0, sandbox: Sandbox) -> None:
    created = api.organizations.create(
        name="acme",
        display_name="Acme Corp",
        metadata={"tier": "gold"},
        branding={
            "logo_url": "https://acme.example/logo.png",
            "colors": {"primary": "#112233", "page_background": "#fff"},
        },
    )
    assert created.id.startswith("org_") and len(created.id) == 20
    fetched = api.organizations.get(created.id)
    assert fetched.name == "acme"
    assert fetched.display_name == "Acme Corp"
    assert fetched.metadata == {"tier": "gold"}
    assert fetched.branding.colors.primary == "#112233"
    assert fetched.third_party_client_access == "block"
    assert fetched.is_app_entitlement_active is False
    assert api.organizations.get_by_name("acme").id == created.id

    updated = api.organizations.update(created.id, display_name="ACME", metadata={"region": "eu"})
    assert updated.display_name == "ACME"
    assert updated.metadata == {"region": "eu"}

    api.organizations.delete(created.id)
    with pytest.raises(NotFoundError) as missing:
        api.organizations.get(created.id)
    assert missing.value.body == {
        "statusCode": 404,
        "error": "Not Found",
        "message": "No organization found by that id or name",
    }


def test_duplicate_name_conflicts(api: Auth0) -> None:
    api.organizations.create(name="acme")
    with pytest.raises(ConflictError) as error:
        api.organizations.create(name="acme")
    assert error.value.body["message"] == "An organization with this name already exists."
    other = api.organizations.create(name="other")
    with pytest.raises(SdkApiError) as renamed:  # the spec declares no 409 for PATCH
        api.organizations.update(other.id, name="acme")
    assert renamed.value.status_code == 409


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"name": "Acme Corp"},
            "Payload validation error: 'String does not match pattern ^[a-z0-9_-]+$: Acme Corp'"
            " on property name.",
        ),
        (
            {"name": "a" * 51},
            "Payload validation error: 'String is too long (51 chars), maximum 50'"
            " on property name.",
        ),
        (
            {"name": "acme", "display_name": ""},
            "Payload validation error: 'String is too short (0 chars), minimum 1'"
            " on property display_name.",
        ),
        (
            {"name": "acme", "metadata": {f"k{i}": "v" for i in range(26)}},
            "Payload validation error: 'Too many properties (26), maximum 25'"
            " on property metadata.",
        ),
        (
            {"name": "acme", "metadata": {"k": "v" * 256}},
            "Payload validation error: 'String is too long (256 chars), maximum 255'"
            " on property metadata.k.",
        ),
        (
            {"name": "acme", "branding": {"logo_url": "http://acme.example/logo.png"}},
            "Payload validation error: 'Object didn't pass validation for format "
            "strict-https-uri-or-null: http://acme.example/logo.png'"
            " on property branding.logo_url.",
        ),
        (
            {"name": "acme", "branding": {"colors": {"primary": "red", "page_background": "#fff"}}},
            "Payload validation error: 'String does not match pattern "
            "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$: red' on property branding.colors.primary.",
        ),
    ],
)
def test_validation_errors(api: Auth0, fields: dict[str, object], message: str) -> None:
    with pytest.raises(BadRequestError) as error:
        api.organizations.create(**fields)
    assert error.value.body == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": message,
        "errorCode": "invalid_body",
    }


def test_unknown_property_rejected(sandbox: Sandbox) -> None:
    client = sandbox.sync_client(headers={"authorization": f"Bearer {sandbox.issue_token()}"})
    response = client.post("/api/v2/organizations", json={"name": "acme", "colour": "red"})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Payload validation error: 'Additional properties not allowed: colour'."
    )


def test_create_with_enabled_connections(api: Auth0, sandbox: Sandbox) -> None:
    db = connection_id(sandbox, "Username-Password-Authentication")
    created = api.organizations.create(
        name="acme",
        enabled_connections=[{"connection_id": db, "assign_membership_on_login": True}],
    )
    assert [c.connection_id for c in created.enabled_connections or []] == [db]
    links = list(api.organizations.enabled_connections.list(created.id))
    assert links[0].assign_membership_on_login is True
    assert links[0].show_as_button is True
    assert links[0].connection.name == "Username-Password-Authentication"


def test_metadata_patch_replaces_the_whole_object_by_default(api: Auth0) -> None:
    org = api.organizations.create(name="acme", metadata={"a": "1", "b": "2"})
    updated = api.organizations.update(org.id, metadata={"b": None, "c": "3"})
    assert updated.metadata == {"c": "3"}
    assert api.organizations.get(org.id).metadata == {"c": "3"}


def test_metadata_patched_empty_reads_back_absent(
    api: Auth0, sandbox: Sandbox, http: httpx.Client
) -> None:
    org = api.organizations.create(name="acme", metadata={"a": "1"})
    api.organizations.update(org.id, metadata={})
    token = sandbox.issue_token()
    read = http.get(f"/api/v2/organizations/{org.id}", headers={"authorization": f"Bearer {token}"})
    assert read.json() == {
        "id": org.id,
        "name": "acme",
        "third_party_client_access": "block",
        "is_app_entitlement_active": False,
    }


def test_metadata_replace_lifts_the_old_keys_off_the_limit(api: Auth0) -> None:
    org = api.organizations.create(name="acme", metadata={f"k{i}": "v" for i in range(20)})
    updated = api.organizations.update(org.id, metadata={f"n{i}": "v" for i in range(6)})
    assert updated.metadata == {f"n{i}": "v" for i in range(6)}


def test_metadata_merge_setting_merges_and_null_deletes(api: Auth0, sandbox: Sandbox) -> None:
    sandbox.settings.metadata_patch = "merge"
    org = api.organizations.create(name="acme", metadata={"a": "1", "b": "2"})
    updated = api.organizations.update(org.id, metadata={"b": None, "c": "3"})
    assert updated.metadata == {"a": "1", "c": "3"}


def test_metadata_merge_setting_respects_limit(api: Auth0, sandbox: Sandbox) -> None:
    sandbox.settings.metadata_patch = "merge"
    org = api.organizations.create(name="acme", metadata={f"k{i}": "v" for i in range(20)})
    with pytest.raises(BadRequestError) as error:
        api.organizations.update(org.id, metadata={f"n{i}": "v" for i in range(6)})
    assert error.value.body["message"] == (
        "Payload validation error: 'Too many properties (26), maximum 25' on property metadata."
    )


def test_token_quota_and_branding_removal(api: Auth0) -> None:
    org = api.organizations.create(
        name="acme",
        token_quota={"client_credentials": {"per_day": 100, "enforce": True}},
        branding={"logo_url": "https://acme.example/l.png"},
    )
    assert org.token_quota.client_credentials.per_day == 100
    updated = api.organizations.update(org.id, branding=None, token_quota=None)
    assert updated.branding is None and updated.token_quota is None


def test_delete_removes_everything_that_hangs_off(api: Auth0, sandbox: Sandbox) -> None:
    store = sandbox.store
    org = store.create_organization("acme")
    alice = store.users_by_email("alice@acme.com")[0]["user_id"]
    store.add_members(org.id, [alice])
    owned = store.create_role("org-admin", type="organization", owner_id=org.id)
    store.assign_member_roles(org.id, alice, [owned.id])
    api.organizations.delete(org.id)
    assert org.id not in store.state.organizations
    assert owned.id not in store.state.roles
    assert alice in store.state.users
    assert api.users.organizations.list(alice).items == []


def test_undeclared_status_is_plain_api_error(api: Auth0) -> None:
    with pytest.raises(SdkApiError) as error:
        api.organizations.update("org_missing", display_name="x")
    assert error.value.status_code == 404
