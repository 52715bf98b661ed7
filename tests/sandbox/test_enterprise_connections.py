"""Enterprise connections in the sandbox through the official SDK: the options each strategy
requires, secrets never returned, the options scopes, and the applications a connection is
enabled for."""

from __future__ import annotations

import base64

import httpx
import pytest
from auth0.management import Auth0
from auth0.management.errors import BadRequestError, ForbiddenError, NotFoundError

from reconciler.sandbox import Sandbox
from tests.sandbox.conftest import sdk

PEM = (
    "-----BEGIN CERTIFICATE-----\n"
    + base64.b64encode(b"\x30\x82\x01\x0a" + bytes(64)).decode()
    + "\n-----END CERTIFICATE-----\n"
)
SAML = {
    "signInEndpoint": "https://idp.acme.example/sso",
    "signingCert": base64.b64encode(PEM.encode()).decode(),
}
OKTA = {"domain": "acme.okta.com", "client_id": "abc", "client_secret": "s3cret-value"}


@pytest.mark.parametrize(
    ("strategy", "options", "message"),
    [
        ("samlp", {"signInEndpoint": "https://idp/sso"}, "requires the options"),
        ("samlp", {**SAML, "signInEndpoint": "http://idp/sso"}, "must be an https URL"),
        ("samlp", {**SAML, "signingCert": "bm90IGEgY2VydA=="}, "signingCert must be"),
        ("okta", {"domain": "acme.okta.com", "client_id": "abc"}, "requires the options"),
        ("oidc", {"client_id": "abc"}, "discovery_url or client_id, issuer"),
        ("waad", {"tenant_domain": "acme.example"}, "requires the options"),
        ("samlp", {**SAML, "domain_aliases": ["not a domain"]}, "domain_aliases must be"),
    ],
)
def test_each_strategy_refuses_the_options_auth0_refuses(
    api: Auth0, strategy: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message):
        api.connections.create(name="acme-sso", strategy=strategy, options=options)


def test_a_domain_alias_belongs_to_one_connection(api: Auth0) -> None:
    api.connections.create(
        name="acme-sso", strategy="samlp", options={**SAML, "domain_aliases": ["acme.example"]}
    )
    with pytest.raises(BadRequestError, match="already used by another connection"):
        api.connections.create(
            name="acme-okta", strategy="okta", options={**OKTA, "domain_aliases": ["acme.example"]}
        )


def test_a_secret_is_kept_and_never_returned(api: Auth0, sandbox: Sandbox) -> None:
    created = api.connections.create(name="acme-okta", strategy="okta", options=OKTA)
    assert created.options is not None and "client_secret" not in created.options
    assert "client_secret" not in (api.connections.get(created.id).options or {})
    listed = [c for c in api.connections.list(fields="name,options") if c.name == "acme-okta"]
    assert "client_secret" not in (listed[0].options or {})
    stored = sandbox.store.connection(created.id)
    assert stored["options"]["client_secret"] == "s3cret-value"


def test_options_are_replaced_whole_and_checked_against_the_strategy(api: Auth0) -> None:
    created = api.connections.create(name="acme-okta", strategy="okta", options=OKTA)
    with pytest.raises(BadRequestError, match="requires the options"):
        api.connections.update(created.id, options={"domain": "acme.okta.com", "client_id": "x"})
    api.connections.update(created.id, options={**OKTA, "client_id": "new"})
    assert api.connections.get(created.id).options == {
        "domain": "acme.okta.com",
        "client_id": "new",
    }


def test_options_need_the_options_scopes(sandbox: Sandbox, http: httpx.Client) -> None:
    everything = sdk(sandbox, http)
    created = everything.connections.create(name="acme-okta", strategy="okta", options=OKTA)
    plain = sdk(sandbox, http, ["read:connections", "update:connections"])
    assert plain.connections.get(created.id).options is None
    plain.connections.update(created.id, display_name="Acme")
    with pytest.raises(ForbiddenError, match="update:connections_options"):
        plain.connections.update(created.id, options=OKTA)


def test_enabled_clients_are_changed_in_batches_and_listed_by_checkpoint(
    api: Auth0, sandbox: Sandbox, http: httpx.Client
) -> None:
    created = api.connections.create(name="acme-sso", strategy="samlp", options=SAML)
    ids = [sandbox.store.create_client(f"App {i}")["client_id"] for i in range(3)]
    api.connections.clients.update(
        created.id, request=[{"client_id": i, "status": True} for i in ids]
    )
    api.connections.clients.update(created.id, request=[{"client_id": ids[0], "status": False}])
    pages = list(api.connections.clients.get(created.id, take=1))
    assert [c.client_id for c in pages] == ids[1:]
    with pytest.raises(NotFoundError):
        api.connections.clients.update(created.id, request=[{"client_id": "nope", "status": True}])
    with pytest.raises(BadRequestError, match="maximum 50"):
        api.connections.clients.update(
            created.id, request=[{"client_id": ids[0], "status": True}] * 51
        )
    with pytest.raises(BadRequestError, match="minimum 1"):
        api.connections.clients.update(created.id, request=[])
    sandbox.store.delete_client(ids[1])
    assert [c.client_id for c in api.connections.clients.get(created.id)] == [ids[2]]
