"""Enabled connections, the newer connections view, client grants, discovery domains and
invitations of an organization, in-process."""

from __future__ import annotations

import re

import pytest
from auth0.management import Auth0
from auth0.management.core import ApiError as SdkApiError
from auth0.management.errors import BadRequestError, ConflictError, NotFoundError

from reconciler.sandbox import Sandbox

from .conftest import connection_id


@pytest.fixture
def org_id(sandbox: Sandbox) -> str:
    return sandbox.store.create_organization("acme").id


def test_enabled_connections(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    db = connection_id(sandbox, "Username-Password-Authentication")
    added = api.organizations.enabled_connections.add(
        org_id, connection_id=db, assign_membership_on_login=True, show_as_button=False
    )
    assert added.connection_id == db and added.connection.strategy == "auth0"
    assert sandbox.api_calls()[-1].status == 201
    with pytest.raises(SdkApiError) as again:  # 409 is not declared for this operation
        api.organizations.enabled_connections.add(org_id, connection_id=db)
    assert again.value.status_code == 409
    assert again.value.body["message"] == "The connection is already enabled for this organization."
    changed = api.organizations.enabled_connections.update(org_id, db, is_signup_enabled=True)
    assert (changed.is_signup_enabled, changed.show_as_button) == (True, False)
    got = api.organizations.enabled_connections.get(org_id, db)
    assert got.assign_membership_on_login is True
    api.organizations.enabled_connections.delete(org_id, db)
    assert list(api.organizations.enabled_connections.list(org_id)) == []
    with pytest.raises(SdkApiError) as gone:
        api.organizations.enabled_connections.get(org_id, db)
    assert gone.value.status_code == 404


def test_unknown_connection(api: Auth0, org_id: str) -> None:
    with pytest.raises(BadRequestError) as error:
        api.organizations.enabled_connections.add(org_id, connection_id="con_missing")
    assert error.value.body["message"] == "The connection con_missing does not exist."


def test_at_most_ten_connections(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    ids = [sandbox.store.create_connection(f"c{i}", "auth0")["id"] for i in range(11)]
    for cid in ids[:10]:
        api.organizations.enabled_connections.add(org_id, connection_id=cid)
    with pytest.raises(BadRequestError) as error:
        api.organizations.enabled_connections.add(org_id, connection_id=ids[10])
    assert error.value.body["message"] == (
        "An organization can have at most 10 enabled connections."
    )
    with pytest.raises(BadRequestError):
        api.organizations.create(
            name="many", enabled_connections=[{"connection_id": c} for c in ids]
        )


def test_connections_view(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    db = connection_id(sandbox, "Username-Password-Authentication")
    google = connection_id(sandbox, "google-oauth2")
    api.organizations.enabled_connections.add(org_id, connection_id=db)
    created = api.organizations.connections.create(
        org_id, connection_id=google, is_enabled=False, organization_access_level="readonly"
    )
    assert created.is_enabled is False and created.organization_access_level == "readonly"
    listed = list(api.organizations.connections.list(org_id))
    in_order = sorted([(db, True), (google, False)], key=lambda c: c[0].lower())
    assert [(c.connection_id, c.is_enabled) for c in listed] == in_order
    only_enabled = list(api.organizations.connections.list(org_id, is_enabled=True))
    assert [c.connection_id for c in only_enabled] == [db]
    assert [c.connection_id for c in api.organizations.enabled_connections.list(org_id)] == [db]
    api.organizations.connections.update(org_id, google, is_enabled=True)
    assert len(list(api.organizations.enabled_connections.list(org_id))) == 2
    assert api.organizations.connections.get(org_id, google).organization_access_level == "readonly"
    with pytest.raises(ConflictError):
        api.organizations.connections.create(org_id, connection_id=db)
    api.organizations.connections.delete(org_id, google)
    api.organizations.connections.delete(org_id, google)  # gone already: 204, as in Auth0
    assert [c.connection_id for c in api.organizations.connections.list(org_id)] == [db]


def test_client_grants(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    grant = api.client_grants.create(
        client_id="pm-spa",
        audience="https://api.pm.example",
        scope=["projects:read"],
        organization_usage="allow",
    )
    associated = api.organizations.client_grants.create(org_id, grant_id=grant.id)
    assert associated.grant_id == grant.id and associated.audience == "https://api.pm.example"
    listed = list(api.organizations.client_grants.list(org_id, client_id="pm-spa"))
    assert [g.id for g in listed] == [grant.id]
    with pytest.raises(ConflictError):
        api.organizations.client_grants.create(org_id, grant_id=grant.id)
    api.organizations.client_grants.delete(org_id, grant.id)
    assert list(api.organizations.client_grants.list(org_id)) == []
    with pytest.raises(NotFoundError):
        api.organizations.client_grants.create(org_id, grant_id="cgr_missing")


def test_discovery_domains(api: Auth0, org_id: str) -> None:
    created = api.organizations.discovery_domains.create(org_id, domain="acme.com")
    assert re.fullmatch(r"ord_[A-Za-z0-9]{22}", created.id)
    assert (created.status, created.use_for_organization_discovery) == ("pending", True)
    assert created.verification_host == f"_ss-verification.{org_id}.acme.com"
    assert re.fullmatch(r"[0-9a-f]{32}", created.verification_txt)
    assert api.organizations.discovery_domains.get_by_name(org_id, "acme.com").id == created.id
    updated = api.organizations.discovery_domains.update(
        org_id, created.id, status="verified", use_for_organization_discovery=False
    )
    assert (updated.status, updated.use_for_organization_discovery) == ("verified", False)
    with pytest.raises(ConflictError):
        api.organizations.discovery_domains.create(org_id, domain="ACME.com")
    with pytest.raises(BadRequestError):
        api.organizations.discovery_domains.create(org_id, domain="not a domain")
    assert [d.domain for d in api.organizations.discovery_domains.list(org_id)] == ["acme.com"]
    api.organizations.discovery_domains.delete(org_id, created.id)
    with pytest.raises(NotFoundError):
        api.organizations.discovery_domains.get(org_id, created.id)


def test_discovery_domains_page_by_checkpoint(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    for i in range(5):
        sandbox.store.add_discovery_domain(org_id, f"d{i}.example.com")
    first = api.organizations.discovery_domains.list(org_id, take=3)
    assert len(first.items or []) == 3 and first.has_next
    rest = first.next_page()
    assert rest is not None and [d.domain for d in rest.items or []] == [
        "d3.example.com",
        "d4.example.com",
    ]
    assert rest.has_next is False


def test_invitations(api: Auth0, sandbox: Sandbox, org_id: str) -> None:
    db = connection_id(sandbox, "Username-Password-Authentication")
    sandbox.store.enable_connection(org_id, db)
    role = sandbox.store.create_role("member")
    invitation = api.organizations.invitations.create(
        org_id,
        inviter={"name": "Admin"},
        invitee={"email": "new@acme.com"},
        client_id="pm-spa",
        connection_id=db,
        roles=[role.id],
        ttl_sec=3600,
    )
    assert invitation.id.startswith("uinv_")
    assert invitation.invitee.email == "new@acme.com"
    assert invitation.invitation_url.startswith("https://")
    got = api.organizations.invitations.get(org_id, invitation.id, fields="id,invitee")
    assert got.inviter is None and got.invitee.email == "new@acme.com"
    listed = list(api.organizations.invitations.list(org_id))
    assert [i.id for i in listed] == [invitation.id]
    api.organizations.invitations.delete(org_id, invitation.id)
    with pytest.raises(NotFoundError):
        api.organizations.invitations.get(org_id, invitation.id)


def test_invitation_needs_an_existing_client(api: Auth0, org_id: str) -> None:
    with pytest.raises(BadRequestError) as error:
        api.organizations.invitations.create(
            org_id, inviter={"name": "A"}, invitee={"email": "x@y.z"}, client_id="nope"
        )
    assert error.value.body["message"] == "The client nope does not exist."


@pytest.mark.parametrize(
    ("connection", "assign"),
    [("Username-Password-Authentication", False), ("google-oauth2", True)],
)
def test_signup_is_refused_unless_a_database_connection_assigns_membership(
    api: Auth0, sandbox: Sandbox, org_id: str, connection: str, assign: bool
) -> None:
    conn = connection_id(sandbox, connection)
    links = api.organizations.enabled_connections
    refused = (
        "Only database connections with assign_membership_on_login = true support "
        "is_signup_enabled = true."
    )
    with pytest.raises(BadRequestError) as on_add:
        links.add(
            org_id, connection_id=conn, assign_membership_on_login=assign, is_signup_enabled=True
        )
    assert on_add.value.body["message"] == refused
    links.add(org_id, connection_id=conn, assign_membership_on_login=assign)
    with pytest.raises(BadRequestError) as on_update:
        links.update(org_id, conn, is_signup_enabled=True)
    assert on_update.value.body["message"] == refused
    assert links.get(org_id, conn).is_signup_enabled is False
