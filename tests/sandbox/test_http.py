"""The official SDK, sync and async, against the sandbox served over real HTTP."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from auth0.management import AsyncAuth0, Auth0
from auth0.management.core import ApiError as SdkApiError
from auth0.management.errors import BadRequestError, ConflictError, NotFoundError

from reconciler.sandbox import Sandbox, SandboxSettings, World, serving

from .conftest import WORLD, done, items

pytestmark = pytest.mark.http
Api = Auth0 | AsyncAuth0
API = "https://api.pm.example"


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Sandbox, str, str]]:
    sandbox = Sandbox(World.model_validate(WORLD))
    with serving(sandbox) as base:
        token = httpx.post(
            f"{base}/oauth/token",
            json={
                "grant_type": "client_credentials",
                "client_id": "test-reconciler",
                "client_secret": "test-secret",
                "audience": f"{base}/api/v2/",
            },
        ).json()["access_token"]
        yield sandbox, base, token


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, served: tuple[Sandbox, str, str]) -> Api:
    _, base, token = served
    factory = Auth0 if request.param == "sync" else AsyncAuth0
    return factory(base_url=f"{base}/api/v2", token=token, max_retries=0)


def tag(api: Api) -> str:
    return "a" if isinstance(api, AsyncAuth0) else "s"


def seeded(served: tuple[Sandbox, str, str], kind: str, name: str) -> str:
    store = served[0].store
    if kind == "connection":
        found = store.connection_by_name(name)
        assert found is not None
        return str(found["id"])
    return str(store.users_by_email(name)[0]["user_id"])


async def test_organizations(api: Api, served: tuple[Sandbox, str, str]) -> None:
    name = f"acme-{tag(api)}"
    db = seeded(served, "connection", "Username-Password-Authentication")
    org = await done(
        api.organizations.create(
            name=name, display_name="Acme", enabled_connections=[{"connection_id": db}]
        )
    )
    assert org.enabled_connections[0].connection.name == "Username-Password-Authentication"
    assert (await done(api.organizations.get(org.id))).display_name == "Acme"
    assert (await done(api.organizations.get_by_name(name))).id == org.id
    updated = await done(api.organizations.update(org.id, metadata={"tier": "gold"}))
    assert updated.metadata == {"tier": "gold"}
    assert org.id in [o.id for o in await items(api.organizations.list(take=100))]
    with pytest.raises(ConflictError) as duplicate:
        await done(api.organizations.create(name=name))
    assert duplicate.value.body["message"] == "An organization with this name already exists."
    with pytest.raises(BadRequestError) as invalid:
        await done(api.organizations.create(name="Not Valid"))
    assert invalid.value.body["errorCode"] == "invalid_body"
    await done(api.organizations.delete(org.id))
    with pytest.raises(NotFoundError):
        await done(api.organizations.get(org.id))


async def test_members_and_roles(api: Api, served: tuple[Sandbox, str, str]) -> None:
    org = await done(api.organizations.create(name=f"members-{tag(api)}"))
    alice = seeded(served, "user", "alice@acme.com")
    bob = seeded(served, "user", "bob@acme.com")
    role = await done(api.roles.create(name=f"member-admin-{tag(api)}"))
    await done(api.organizations.members.create(org.id, members=[alice, bob]))
    await done(api.organizations.members.roles.assign(org.id, alice, roles=[role.id]))
    members = await items(api.organizations.members.list(org.id, fields="user_id,roles"))
    assert [(m.user_id, [r.id for r in m.roles or []]) for m in members] == [
        (alice, [role.id]),
        (bob, []),
    ]
    assert [r.id for r in await items(api.organizations.members.roles.list(org.id, alice))] == [
        role.id
    ]
    await done(api.organizations.members.roles.delete(org.id, alice, roles=[role.id]))
    await done(api.organizations.members.delete(org.id, members=[bob]))
    assert [m.user_id for m in await items(api.organizations.members.list(org.id))] == [alice]
    assert org.id in [o.id for o in await items(api.users.organizations.list(alice))]


async def test_organization_links(api: Api, served: tuple[Sandbox, str, str]) -> None:
    org = await done(api.organizations.create(name=f"links-{tag(api)}"))
    db = seeded(served, "connection", "Username-Password-Authentication")
    google = seeded(served, "connection", "google-oauth2")
    ec = api.organizations.enabled_connections
    await done(ec.add(org.id, connection_id=db, assign_membership_on_login=True))
    with pytest.raises(SdkApiError) as again:
        await done(ec.add(org.id, connection_id=db))
    assert again.value.status_code == 409
    assert (await done(ec.update(org.id, db, show_as_button=False))).show_as_button is False
    assert (await done(ec.get(org.id, db))).assign_membership_on_login is True
    assert [c.connection_id for c in await items(ec.list(org.id))] == [db]
    await done(ec.delete(org.id, db))
    conns = api.organizations.connections
    await done(conns.create(org.id, connection_id=google, is_enabled=True))
    assert (await done(conns.get(org.id, google))).is_enabled is True
    await done(conns.update(org.id, google, show_as_button=False))
    assert [c.connection_id for c in await items(conns.list(org.id))] == [google]
    await done(conns.delete(org.id, google))

    client = await done(api.clients.create(name=f"links-{tag(api)}", app_type="non_interactive"))
    grant = await done(
        api.client_grants.create(
            client_id=client.client_id, audience=API, scope=[], organization_usage="allow"
        )
    )
    await done(api.organizations.client_grants.create(org.id, grant_id=grant.id))
    assert [g.id for g in await items(api.organizations.client_grants.list(org.id))] == [grant.id]
    await done(api.organizations.client_grants.delete(org.id, grant.id))

    dd = api.organizations.discovery_domains
    domain = await done(dd.create(org.id, domain=f"{tag(api)}.acme.example"))
    assert (await done(dd.get(org.id, domain.id))).status == "pending"
    assert (await done(dd.get_by_name(org.id, domain.domain))).id == domain.id
    assert (await done(dd.update(org.id, domain.id, status="verified"))).status == "verified"
    assert [d.id for d in await items(dd.list(org.id))] == [domain.id]
    await done(dd.delete(org.id, domain.id))

    inv = api.organizations.invitations
    invitation = await done(
        inv.create(org.id, inviter={"name": "A"}, invitee={"email": "n@x.io"}, client_id="pm-spa")
    )
    assert (await done(inv.get(org.id, invitation.id))).invitee.email == "n@x.io"
    assert [i.id for i in await items(inv.list(org.id))] == [invitation.id]
    await done(inv.delete(org.id, invitation.id))
    with pytest.raises(NotFoundError):
        await done(inv.get(org.id, invitation.id))


async def test_roles_and_users(api: Api) -> None:
    t = tag(api)
    role = await done(api.roles.create(name=f"editor-{t}", description="Edits"))
    assert (await done(api.roles.get(role.id))).description == "Edits"
    assert (await done(api.roles.update(role.id, description="Writes"))).description == "Writes"
    assert [r.id for r in await items(api.roles.list(name_filter=f"editor-{t}"))] == [role.id]
    permission = {"resource_server_identifier": API, "permission_name": "projects:read"}
    await done(api.roles.permissions.add(role.id, permissions=[permission]))
    assert [p.permission_name for p in await items(api.roles.permissions.list(role.id))] == [
        "projects:read"
    ]
    await done(api.roles.permissions.delete(role.id, permissions=[permission]))

    user = await done(
        api.users.create(connection="Username-Password-Authentication", email=f"U-{t}@x.io")
    )
    assert user.email == f"u-{t}@x.io"
    assert [u.user_id for u in await done(api.users.list_users_by_email(email=f"u-{t}@x.io"))] == [
        user.user_id
    ]
    assert (await done(api.users.get(user.user_id))).user_id == user.user_id
    assert (await done(api.users.update(user.user_id, name="Uma"))).name == "Uma"
    assert user.user_id in [u.user_id for u in await items(api.users.list())]
    await done(api.roles.users.assign(role.id, users=[user.user_id]))
    assert [u.user_id for u in await items(api.roles.users.list(role.id))] == [user.user_id]
    await done(api.users.roles.delete(user.user_id, roles=[role.id]))
    await done(api.users.roles.assign(user.user_id, roles=[role.id]))
    assert [r.id for r in await items(api.users.roles.list(user.user_id))] == [role.id]
    await done(api.roles.delete(role.id))
    await done(api.users.delete(user.user_id))
    with pytest.raises(NotFoundError):
        await done(api.users.get(user.user_id))


async def test_catalog(api: Api) -> None:
    t = tag(api)
    connection = await done(api.connections.create(name=f"extra-{t}", strategy="auth0"))
    assert (await done(api.connections.get(connection.id))).name == f"extra-{t}"
    await done(api.connections.update(connection.id, display_name="Extra"))
    assert connection.id in [c.id for c in await items(api.connections.list())]
    await done(api.connections.delete(connection.id))

    client = await done(api.clients.create(name=f"app-{t}", app_type="non_interactive"))
    assert (await done(api.clients.get(client.client_id))).name == f"app-{t}"
    await done(api.clients.update(client.client_id, description="d"))
    assert client.client_id in [c.client_id for c in await items(api.clients.list())]

    server = await done(api.resource_servers.create(identifier=f"https://{t}.example", name="X"))
    assert (await done(api.resource_servers.get(server.id))).identifier == f"https://{t}.example"
    await done(api.resource_servers.update(server.id, name="Y"))
    assert server.id in [s.id for s in await items(api.resource_servers.list())]

    grant = await done(
        api.client_grants.create(client_id=client.client_id, audience=server.identifier, scope=[])
    )
    assert (await done(api.client_grants.get(grant.id))).client_id == client.client_id
    await done(api.client_grants.update(grant.id, scope=[]))
    assert grant.id in [g.id for g in await items(api.client_grants.list())]
    await done(api.client_grants.delete(grant.id))
    await done(api.resource_servers.delete(server.id))
    await done(api.clients.delete(client.client_id))

    logs = await items(api.logs.list(per_page=100))
    assert logs and logs[0].type == "sapi"
    assert (await done(api.logs.get(logs[0].log_id))).log_id == logs[0].log_id


async def test_actions(api: Api) -> None:
    t = tag(api)
    action = await done(
        api.actions.create(
            name=f"claims-{t}", supported_triggers=[{"id": "post-login", "version": "v3"}]
        )
    )
    assert (await done(api.actions.get(action.id))).name == f"claims-{t}"
    await done(api.actions.update(action.id, code="exports.onExecutePostLogin = async () => {};"))
    while (await done(api.actions.get(action.id))).status != "built":
        pass
    assert (await done(api.actions.deploy(action.id))).number == 1
    assert action.id in [a.id for a in await items(api.actions.list())]
    assert (await done(api.actions.triggers.list())).triggers
    bound = await done(
        api.actions.triggers.bindings.update_many(
            "post-login", bindings=[{"ref": {"type": "action_id", "value": action.id}}]
        )
    )
    assert [b.action.id for b in bound.bindings or []] == [action.id]
    assert [b.action.id for b in await items(api.actions.triggers.bindings.list("post-login"))] == [
        action.id
    ]
    await done(api.actions.delete(action.id, force=True))


def test_faults_over_real_http(served: tuple[Sandbox, str, str]) -> None:
    sandbox, base, token = served
    headers = {"authorization": f"Bearer {token}"}
    try:
        with httpx.Client(base_url=base, headers=headers) as http:
            sandbox.settings = SandboxSettings(drop_rate=1.0)
            with pytest.raises(httpx.RemoteProtocolError):
                http.post("/api/v2/organizations", json={"name": "dropped"})
            sandbox.settings = SandboxSettings(lost_response_rate=1.0)
            with pytest.raises(httpx.RemoteProtocolError):
                http.post("/api/v2/organizations", json={"name": "lost"})
            sandbox.settings = SandboxSettings()
            assert http.get("/api/v2/organizations/name/lost").status_code == 200
            assert http.get("/api/v2/organizations/name/dropped").status_code == 404
            calls = http.get("/_sandbox/calls", params={"api": "true"}).json()["calls"]
    finally:
        sandbox.settings = SandboxSettings()
    assert [c["fault"] for c in calls[-4:]] == ["drop", "lost_response", None, None]


def test_tls(tmp_path: Path) -> None:
    sandbox = Sandbox(World.model_validate(WORLD))
    with serving(sandbox, tls_dir=tmp_path) as base:
        assert base.startswith("https://127.0.0.1:")
        trust = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
        with httpx.Client(base_url=base, verify=trust) as http:
            api = Auth0(
                base_url=f"{base}/api/v2",
                token=sandbox.issue_token(),
                httpx_client=http,
                max_retries=0,
            )
            assert api.organizations.create(name="secure").name == "secure"
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{base}/api/v2/roles")
