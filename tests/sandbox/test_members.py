"""Members and member roles through the official SDK, in-process."""

from __future__ import annotations

import httpx
import pytest
from auth0.management import Auth0
from auth0.management.core import ApiError as SdkApiError
from auth0.management.errors import BadRequestError, ConflictError, ForbiddenError

from reconciler.sandbox import Sandbox

from .conftest import sdk, user_id


@pytest.fixture
def org_id(sandbox: Sandbox) -> str:
    return sandbox.store.create_organization("acme").id


def test_add_list_remove(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    alice, bob = user_id(sandbox, "alice@acme.com"), user_id(sandbox, "bob@acme.com")
    api.organizations.members.create(org_id, members=[alice, bob])
    members = list(api.organizations.members.list(org_id))
    assert [(m.user_id, m.email, m.name) for m in members] == [
        (alice, "alice@acme.com", "Alice"),
        (bob, "bob@acme.com", "Bob"),
    ]
    assert members[0].picture and members[0].roles is None
    api.organizations.members.delete(org_id, members=[alice])
    assert [m.user_id for m in api.organizations.members.list(org_id)] == [bob]
    assert [o.name for o in api.users.organizations.list(bob)] == ["acme"]


def test_adding_unknown_users_is_rejected(api: Auth0, org_id: str) -> None:
    with pytest.raises(BadRequestError) as error:
        api.organizations.members.create(org_id, members=["auth0|nobody"])
    assert error.value.body["message"] == "One or more users do not exist: auth0|nobody"


def test_batch_maximum(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    ids = [sandbox.store.create_user(f"u{i}@x.io")["user_id"] for i in range(11)]
    with pytest.raises(BadRequestError) as error:
        api.organizations.members.create(org_id, members=ids)
    assert error.value.body == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Payload validation error: 'Array is too long (11), maximum 10'"
        " on property members.",
        "errorCode": "invalid_body",
    }
    sandbox.settings.member_batch_max = 20
    api.organizations.members.create(org_id, members=ids)
    sandbox.settings.member_batch_max = 5
    with pytest.raises(BadRequestError):
        api.organizations.members.delete(org_id, members=ids[:6])


def test_roles_inline_and_per_member(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    alice = user_id(sandbox, "alice@acme.com")
    sandbox.store.add_members(org_id, [alice])
    admin = api.roles.create(name="admin", description="Admins")
    viewer = api.roles.create(name="viewer")
    api.organizations.members.roles.assign(org_id, alice, roles=[admin.id, viewer.id])
    listed = list(api.organizations.members.list(org_id, fields="user_id,roles"))
    assert listed[0].user_id == alice and listed[0].email is None
    assert [(r.id, r.name) for r in listed[0].roles or []] == [
        (admin.id, "admin"),
        (viewer.id, "viewer"),
    ]
    roles = list(api.organizations.members.roles.list(org_id, alice))
    assert [(r.name, r.description) for r in roles] == [("admin", "Admins"), ("viewer", "")]
    api.organizations.members.roles.delete(org_id, alice, roles=[admin.id])
    assert [r.name for r in api.organizations.members.roles.list(org_id, alice)] == ["viewer"]
    api.roles.delete(viewer.id)
    assert list(api.organizations.members.roles.list(org_id, alice)) == []


def test_roles_field_needs_member_roles_scope(sandbox: Sandbox, http: httpx.Client) -> None:
    org = sandbox.store.create_organization("acme")
    limited = sdk(sandbox, http, ["read:organization_members"])
    assert list(limited.organizations.members.list(org.id, fields="user_id")) == []
    with pytest.raises(ForbiddenError) as error:
        limited.organizations.members.list(org.id, fields="user_id,roles")
    assert error.value.body == {
        "statusCode": 403,
        "error": "Forbidden",
        "message": "Insufficient scope, expected any of: read:organization_member_roles",
        "errorCode": "insufficient_scope",
    }


def test_exclude_fields(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    sandbox.store.add_members(org_id, [user_id(sandbox, "alice@acme.com")])
    member = next(
        iter(api.organizations.members.list(org_id, fields="email", include_fields=False))
    )
    assert member.email is None and member.name == "Alice"


def test_fifty_roles_per_member(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    alice = user_id(sandbox, "alice@acme.com")
    sandbox.store.add_members(org_id, [alice])
    roles = [sandbox.store.create_role(f"r{i}").id for i in range(51)]
    api.organizations.members.roles.assign(org_id, alice, roles=roles[:50])
    api.organizations.members.roles.assign(org_id, alice, roles=roles[:10])
    with pytest.raises(ConflictError) as error:
        api.organizations.members.roles.assign(org_id, alice, roles=roles[50:])
    assert error.value.body["message"] == "A member can have at most 50 roles in an organization."


def test_member_roles_of_non_member(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    role = sandbox.store.create_role("admin")
    with pytest.raises(SdkApiError) as error:
        api.organizations.members.roles.assign(
            org_id, user_id(sandbox, "bob@acme.com"), roles=[role.id]
        )
    assert error.value.status_code == 404
    assert error.value.body["message"] == "The user is not a member of the organization."


def test_organization_roles_stay_in_their_organization(
    api: Auth0, sandbox: Sandbox, org_id: str
) -> None:
    other = sandbox.store.create_organization("other")
    alice = user_id(sandbox, "alice@acme.com")
    sandbox.store.add_members(org_id, [alice])
    foreign = api.roles.create(name="admin", type="organization", owner_id=other.id)
    with pytest.raises(BadRequestError) as error:
        api.organizations.members.roles.assign(org_id, alice, roles=[foreign.id])
    assert error.value.body["message"] == f"The role {foreign.id} belongs to another organization."


def test_percent_encoded_user_ids(sandbox: Sandbox, http: httpx.Client, org_id: str) -> None:
    dana = "google-oauth2|1093"
    sandbox.store.add_members(org_id, [dana])
    role = sandbox.store.create_role("admin")
    headers = {"authorization": f"Bearer {sandbox.issue_token()}"}
    response = http.post(
        f"/api/v2/organizations/{org_id}/members/google-oauth2%7C1093/roles",
        json={"roles": [role.id]},
        headers=headers,
    )
    assert response.status_code == 204
    assert sandbox.store.member(org_id, dana).roles == [role.id]
    assert sandbox.calls[-1].path.endswith("/members/google-oauth2%7C1093/roles")


def test_removal_clears_roles_and_readd_starts_fresh(sandbox: Sandbox, org_id: str) -> None:
    store = sandbox.store
    alice = user_id(sandbox, "alice@acme.com")
    role = store.create_role("admin")
    store.add_members(org_id, [alice])
    store.assign_member_roles(org_id, alice, [role.id])
    store.remove_members(org_id, [alice])
    store.add_members(org_id, [alice])
    assert store.member(org_id, alice).roles == []
