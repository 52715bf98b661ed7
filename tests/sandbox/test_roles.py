"""Roles, permissions and role users through the official SDK, in-process."""

from __future__ import annotations

import pytest
from auth0.management import Auth0
from auth0.management.errors import BadRequestError, ConflictError, NotFoundError

from reconciler.sandbox import Sandbox

from .conftest import user_id

API = "https://api.pm.example"


def test_crud(api: Auth0) -> None:
    role = api.roles.create(name="admin", description="Admins")
    assert role.id.startswith("rol_") and role.type == "tenant" and role.owner_id is None
    assert api.roles.get(role.id).description == "Admins"
    assert api.roles.update(role.id, name="administrator").name == "administrator"
    api.roles.delete(role.id)
    with pytest.raises(NotFoundError) as error:
        api.roles.get(role.id)
    assert error.value.body["message"] == "The role does not exist."


def test_duplicate_names(api: Auth0, sandbox: Sandbox) -> None:
    api.roles.create(name="admin")
    with pytest.raises(ConflictError) as error:
        api.roles.create(name="admin")
    assert error.value.body["message"] == "A role with this name already exists."
    org = sandbox.store.create_organization("acme")
    owned = api.roles.create(name="admin", type="organization", owner_id=org.id)
    assert (owned.type, owned.owner_id) == ("organization", org.id)


def test_list_filters(api: Auth0, sandbox: Sandbox) -> None:
    acme = sandbox.store.create_organization("acme")
    beta = sandbox.store.create_organization("beta")
    api.roles.create(name="Admin")
    api.roles.create(name="viewer")
    api.roles.create(name="acme-admin", type="organization", owner_id=acme.id)
    api.roles.create(name="beta-admin", type="organization", owner_id=beta.id)
    assert [r.name for r in api.roles.list()] == ["Admin", "viewer", "acme-admin", "beta-admin"]
    assert [r.name for r in api.roles.list(name_filter="ADMIN")] == [
        "Admin",
        "acme-admin",
        "beta-admin",
    ]
    assert [r.name for r in api.roles.list(type="tenant")] == ["Admin", "viewer"]
    owned = api.roles.list(type="organization", owner_id=acme.id)
    assert [r.name for r in owned] == ["acme-admin"]
    with pytest.raises(BadRequestError) as error:
        api.roles.list(type="organization")
    assert error.value.body["errorCode"] == "invalid_query_string"


def test_organization_role_needs_owner(api: Auth0) -> None:
    with pytest.raises(BadRequestError) as error:
        api.roles.create(name="x", type="organization")
    assert error.value.body["message"] == "owner_id is required when type is organization."


def test_permissions(api: Auth0) -> None:
    role = api.roles.create(name="editor")
    api.roles.permissions.add(
        role.id,
        permissions=[
            {"resource_server_identifier": API, "permission_name": "projects:read"},
            {"resource_server_identifier": API, "permission_name": "projects:write"},
        ],
    )
    listed = list(api.roles.permissions.list(role.id))
    assert [(p.permission_name, p.resource_server_name) for p in listed] == [
        ("projects:read", "ProjectManager API"),
        ("projects:write", "ProjectManager API"),
    ]
    api.roles.permissions.delete(
        role.id,
        permissions=[{"resource_server_identifier": API, "permission_name": "projects:read"}],
    )
    assert [p.permission_name for p in api.roles.permissions.list(role.id)] == ["projects:write"]
    with pytest.raises(BadRequestError) as error:
        api.roles.permissions.add(
            role.id,
            permissions=[{"resource_server_identifier": API, "permission_name": "nope"}],
        )
    assert error.value.body["message"] == f"Permission nope is not defined by {API}."


def test_role_users(api: Auth0, sandbox: Sandbox) -> None:
    role = api.roles.create(name="support")
    alice, bob = user_id(sandbox, "alice@acme.com"), user_id(sandbox, "bob@acme.com")
    api.roles.users.assign(role.id, users=[alice, bob])
    assert [u.user_id for u in api.roles.users.list(role.id)] == [alice, bob]
    first = api.roles.users.list(role.id, take=1)
    assert first.has_next and [u.email for u in first.items or []] == ["alice@acme.com"]
    assert [r.name for r in api.users.roles.list(alice)] == ["support"]
    api.users.roles.delete(alice, roles=[role.id])
    assert [u.user_id for u in api.roles.users.list(role.id)] == [bob]
    api.users.roles.assign(alice, roles=[role.id])
    api.roles.delete(role.id)
    assert list(api.users.roles.list(alice)) == []
