"""Connections, clients, client grants, resource servers, logs and actions, in-process."""

from __future__ import annotations

import pytest
from auth0.management import Auth0
from auth0.management.errors import BadRequestError, ConflictError, NotFoundError

from reconciler.sandbox import Sandbox


def test_connections(api: Auth0, sandbox: Sandbox) -> None:
    names = [c.name for c in api.connections.list()]
    assert names == ["Username-Password-Authentication", "google-oauth2", "acme-azure-ad"]
    options = {"domain": "beta.okta.com", "client_id": "abc", "client_secret": "s3cret"}
    created = api.connections.create(name="beta-okta", strategy="okta", options=options)
    assert created.id.startswith("con_") and created.realms == ["beta-okta"]
    with pytest.raises(ConflictError):
        api.connections.create(name="beta-okta", strategy="okta", options=options)
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


def test_a_write_is_logged_as_auth0_logs_it_with_secrets_masked(
    api: Auth0, sandbox: Sandbox
) -> None:
    org = api.organizations.create(name="acme", metadata={"tier": "gold"})
    api.users.create(
        connection="Username-Password-Authentication", email="x@acme.com", password="s3cret-value"
    )
    created, user = sorted(api.logs.list(), key=lambda e: e.log_id)
    assert created.details == {
        "request": {
            "auth": {"credentials": {}, "strategy": "jwt", "user": {}},
            "body": {"name": "acme", "metadata": {"tier": "gold"}},
            "channel": "api",
            "ip": "127.0.0.1",
            "method": "post",
            "path": "/api/v2/organizations",
            "query": {},
            "userAgent": "",
        },
        "response": {
            "body": {
                "id": org.id,
                "name": "acme",
                "metadata": {"tier": "gold"},
                "third_party_client_access": "block",
                "is_app_entitlement_active": False,
            },
            "statusCode": 201,
        },
    }
    assert created.client_name == "Sandbox Management Client" and org.id
    assert user.details["request"]["body"] == {
        "connection": "Username-Password-Authentication",
        "email": "x@acme.com",
        "password": "*****",
    }
    assert "s3cret-value" not in str(sandbox.store.state.logs)


def test_checkpoint_reads_ignore_the_search_as_auth0_documents(sandbox: Sandbox) -> None:
    http = sandbox.sync_client(headers={"authorization": f"Bearer {sandbox.issue_token()}"})
    first = sandbox.store.add_log({"type": "s", "description": "Success Login"})
    sandbox.store.add_log({"type": "sapi", "client_id": "script"})
    sandbox.store.add_log({"type": "f", "description": "Failed Login"})
    page = http.get("/api/v2/logs", params={"from": first["log_id"], "q": "type:sapi"}).json()
    assert [e["type"] for e in page] == ["sapi", "f"]
    assert http.get("/api/v2/logs", params={"from": page[-1]["log_id"], "take": 5}).json() == []


def test_searching_the_log_by_type_and_client(sandbox: Sandbox) -> None:
    http = sandbox.sync_client(headers={"authorization": f"Bearer {sandbox.issue_token()}"})
    sandbox.store.add_log({"type": "s", "client_id": "app"})
    sandbox.store.add_log({"type": "sapi", "client_id": "script"})
    sandbox.store.add_log({"type": "sapi", "client_id": "other"})

    def search(**params: str) -> list[tuple[str, str]]:
        answer = http.get("/api/v2/logs", params={"sort": "date:1", **params}).json()
        return [(e["type"], e["client_id"]) for e in answer]

    assert search(q="type:sapi") == [("sapi", "script"), ("sapi", "other")]
    assert search(q='type:"sapi" AND client_id:other') == [("sapi", "other")]
    assert search(search="client_id:app") == [("s", "app")]
    refused = http.get("/api/v2/logs", params={"q": "description:Success"})
    assert refused.status_code == 400
    assert refused.json()["errorCode"] == "invalid_query_string"


def test_a_token_for_another_application_is_logged_as_that_application(
    sandbox: Sandbox,
) -> None:
    own = sandbox.sync_client(headers={"authorization": f"Bearer {sandbox.issue_token()}"})
    answer = own.post("/_sandbox/token", json={"client_id": "dashboard-script"})
    assert answer.status_code == 200
    other = sandbox.sync_client(
        headers={"authorization": f"Bearer {answer.json()['access_token']}"}
    )
    assert other.post("/api/v2/organizations", json={"name": "by-hand"}).status_code == 201
    assert [e["client_id"] for e in sandbox.store.state.logs] == ["dashboard-script"]
    assert own.post("/_sandbox/token", json={}).status_code == 400


def test_actions_deploy_and_bind(api: Auth0) -> None:
    trigger = {"id": "post-login", "version": "v3"}
    action = api.actions.create(name="add-org-claims", supported_triggers=[trigger], code="x")
    assert action.all_changes_deployed is False
    with pytest.raises(BadRequestError) as undeployed:
        api.actions.triggers.bindings.update_many(
            "post-login", bindings=[{"ref": {"type": "action_id", "value": action.id}}]
        )
    assert "must be deployed" in undeployed.value.body["message"]
    with pytest.raises(BadRequestError) as unbuilt:
        api.actions.deploy(action.id)
    assert "'built' state" in unbuilt.value.body["message"]
    assert [api.actions.get(action.id).status for _ in range(2)] == ["building", "built"]
    version = api.actions.deploy(action.id)
    assert version.number == 1 and version.deployed is False
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
