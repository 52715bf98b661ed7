"""Connections, clients, client grants, resource servers, logs and actions, in-process."""

from __future__ import annotations

import pytest
from auth0.management import Auth0
from auth0.management.errors import BadRequestError, ConflictError, NotFoundError

from reconciler.sandbox import Sandbox


def test_connections(api: Auth0, sandbox: Sandbox) -> None:
    names = [c.name for c in api.connections.list()]
    assert names == ["Username-Password-Authentication", "google-oauth2", "acme-azure-ad"]
    created = api.connections.create(name="beta-okta", strategy="okta")
    assert created.id.startswith("con_") and created.realms == ["beta-okta"]
    with pytest.raises(ConflictError):
        api.connections.create(name="beta-okta", strategy="okta")
    assert [c.name for c in api.connections.list(strategy=["okta"])] == ["beta-okta"]
    assert [c.id for c in api.connections.list(name="beta-okta")] == [created.id]
    updated = api.connections.update(created.id, display_name="Beta")
    assert updated.display_name == "Beta"
    assert api.connections.get(created.id).enabled_clients == []
    api.connections.delete(created.id)
    with pytest.raises(NotFoundError):
        api.connections.get(created.id)


def test_connection_delete_cascades(api: Auth0, sandbox: Sandbox) -> None:
    google = sandbox.store.connection_by_name("google-oauth2")
    assert google is not None
    org = sandbox.store.create_organization("acme")
    sandbox.store.enable_connection(org.id, google["id"])
    api.connections.delete(google["id"])
    assert list(api.organizations.enabled_connections.list(org.id)) == []
    assert api.users.list_users_by_email(email="Dana@acme.com") == []


def test_connections_checkpoint(api: Auth0) -> None:
    first = api.connections.list(take=2)
    assert [c.name for c in first.items or []] == [
        "Username-Password-Authentication",
        "google-oauth2",
    ]
    assert first.has_next
    second = first.next_page()
    assert second is not None and [c.name for c in second.items or []] == ["acme-azure-ad"]
    assert not second.has_next


def test_clients(api: Auth0) -> None:
    names = {c.name for c in api.clients.list()}
    assert names == {"Sandbox Management Client", "ProjectManager"}
    created = api.clients.create(name="Portal", app_type="regular_web", callbacks=["https://p/cb"])
    assert len(created.client_id) == 32 and created.callbacks == ["https://p/cb"]
    assert api.clients.get(created.client_id).name == "Portal"
    assert api.clients.update(created.client_id, description="Customer portal").description == (
        "Customer portal"
    )
    spas = list(api.clients.list(app_type="spa"))
    assert [c.client_id for c in spas] == ["pm-spa"]
    api.clients.delete(created.client_id)
    with pytest.raises(NotFoundError):
        api.clients.get(created.client_id)


def test_client_grants(api: Auth0) -> None:
    grant = api.client_grants.create(
        client_id="pm-spa", audience="https://api.pm.example", scope=["projects:read"]
    )
    assert grant.id.startswith("cgr_")
    with pytest.raises(ConflictError):
        api.client_grants.create(client_id="pm-spa", audience="https://api.pm.example")
    with pytest.raises(NotFoundError):
        api.client_grants.create(client_id="pm-spa", audience="https://nope")
    assert [g.id for g in api.client_grants.list(client_id="pm-spa")] == [grant.id]
    updated = api.client_grants.update(grant.id, scope=["projects:read", "projects:write"])
    assert updated.scope == ["projects:read", "projects:write"]
    assert api.client_grants.get(grant.id).audience == "https://api.pm.example"
    api.client_grants.delete(grant.id)
    assert list(api.client_grants.list()) == []


def test_resource_servers(api: Auth0) -> None:
    listed = list(api.resource_servers.list())
    assert [s.identifier for s in listed] == ["https://api.pm.example"]
    created = api.resource_servers.create(
        identifier="https://billing.example",
        name="Billing",
        scopes=[{"value": "invoices:read", "description": "Read invoices"}],
    )
    assert created.scopes[0].value == "invoices:read"
    with pytest.raises(ConflictError):
        api.resource_servers.create(identifier="https://billing.example")
    assert api.resource_servers.get(created.id).name == "Billing"
    assert api.resource_servers.update(created.id, name="Billing API").name == "Billing API"
    api.resource_servers.delete(created.id)
    assert len(list(api.resource_servers.list())) == 1


def test_logs_record_writes(api: Auth0, sandbox: Sandbox) -> None:
    org = api.organizations.create(name="acme")
    api.organizations.update(org.id, display_name="Acme")
    logs = list(api.logs.list())
    assert [log.description for log in logs] == ["Update an organization", "Create an organization"]
    assert logs[0].type == "sapi" and logs[0].client_id == "test-reconciler"
    assert api.logs.get(logs[1].log_id).details["request"]["path"] == "/api/v2/organizations"
    http = sandbox.sync_client(headers={"authorization": f"Bearer {sandbox.issue_token()}"})
    after = http.get("/api/v2/logs", params={"from": logs[1].log_id, "take": 10}).json()
    assert [e["log_id"] for e in after] == [logs[0].log_id]


def test_actions_deploy_and_bind(api: Auth0) -> None:
    trigger = {"id": "post-login", "version": "v3"}
    action = api.actions.create(name="add-org-claims", supported_triggers=[trigger], code="x")
    assert action.all_changes_deployed is False
    with pytest.raises(BadRequestError) as undeployed:
        api.actions.triggers.bindings.update_many(
            "post-login", bindings=[{"ref": {"type": "action_id", "value": action.id}}]
        )
    assert "must be deployed" in undeployed.value.body["message"]
    version = api.actions.deploy(action.id)
    assert version.number == 1 and version.deployed is True
    assert api.actions.get(action.id).all_changes_deployed is True
    bound = api.actions.triggers.bindings.update_many(
        "post-login",
        bindings=[{"ref": {"type": "action_name", "value": "add-org-claims"}, "display_name": "A"}],
    )
    assert [b.action.name for b in bound.bindings or []] == ["add-org-claims"]
    assert [b.display_name for b in api.actions.triggers.bindings.list("post-login")] == ["A"]
    assert "post-login" in [t.id for t in api.actions.triggers.list().triggers or []]
    updated = api.actions.update(action.id, code="y")
    assert updated.all_changes_deployed is False
    assert [a.name for a in api.actions.list(trigger_id="post-login")] == ["add-org-claims"]
    with pytest.raises(BadRequestError):
        api.actions.delete(action.id)
    api.actions.delete(action.id, force=True)
    assert list(api.actions.triggers.bindings.list("post-login")) == []
