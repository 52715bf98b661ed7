"""``/clients``: applications, with Auth0's checks of login URLs and organization settings."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..errors import bad_request, conflict, invalid_body
from ..pagination import any_page, ranked, read_paging
from ..records import JsonObject
from ..router import Context, Reply, RouteTable
from ..validation import NAME_WITHOUT_BRACKETS, Body, select_fields
from .client_grants import ORGANIZATION_USAGES, ClientGrantOps

APP_TYPES = frozenset(
    [
        "native",
        "spa",
        "regular_web",
        "non_interactive",
        "resource_server",
        "express_configuration",
        "rms",
        "box",
        "cloudbees",
        "concur",
        "dropbox",
        "mscrm",
        "echosign",
        "egnyte",
        "newrelic",
        "office365",
        "salesforce",
        "sentry",
        "sharepoint",
        "slack",
        "springcm",
        "zendesk",
        "zoom",
        "sso_integration",
        "oag",
    ]
)
ALL_GRANT_TYPES = ("authorization_code", "implicit", "refresh_token", "client_credentials")
DEFAULT_GRANT_TYPES: dict[str, tuple[str, ...]] = {
    "spa": ("authorization_code", "implicit", "refresh_token"),
    "native": ("authorization_code", "implicit", "refresh_token"),
    "express_configuration": ("authorization_code", "client_credentials"),
    "resource_server": (),
}
"""Grant types Auth0 gives a new application by type (every other type: ALL_GRANT_TYPES)."""
DEFAULT_REFRESH_TOKEN: JsonObject = {
    "rotation_type": "non-rotating",
    "expiration_type": "non-expiring",
    "leeway": 0,
    "token_lifetime": 2592000,
    "infinite_token_lifetime": True,
    "infinite_idle_token_lifetime": True,
    "idle_token_lifetime": 1296000,
}


def _certificate(client_id: str) -> str:
    """A stand-in for the signing certificate Auth0 issues each application."""
    body = base64.b64encode(f"sandbox signing key of {client_id}".encode()).decode()
    return f"-----BEGIN CERTIFICATE-----\r\n{body}\r\n-----END CERTIFICATE-----\r\n"


class ClientOps(ClientGrantOps):
    """Operations on applications; deleting one deletes its client grants."""

    def create_client(
        self,
        name: str,
        app_type: str | None = None,
        client_id: str | None = None,
        **fields: Any,
    ) -> JsonObject:
        """Create an application as Auth0 does: its defaults, and of the rest only what was
        given (no ``app_type``, ``callbacks``, ``organization_usage``... unless set);
        ``client_id`` is generated when omitted."""
        client_id = client_id or self.ids.alnum(32)
        if client_id in self.state.clients:
            raise conflict("A client with this client_id already exists.")
        client: JsonObject = {
            "client_id": client_id,
            "name": name,
            "client_secret": self.ids.alnum(64),
            "is_first_party": True,
            "is_token_endpoint_ip_header_trusted": False,
            "oidc_conformant": False,
            "jwt_configuration": {"secret_encoded": False, "lifetime_in_seconds": 36000},
            "signing_keys": [{"cert": _certificate(client_id)}],
            "sso_disabled": False,
            "cross_origin_authentication": False,
            "grant_types": list(DEFAULT_GRANT_TYPES.get(app_type or "", ALL_GRANT_TYPES)),
            "custom_login_page_on": True,
            "refresh_token": dict(DEFAULT_REFRESH_TOKEN),
        }
        if app_type is not None:
            client["app_type"] = app_type
        for key, value in fields.items():
            if key == "jwt_configuration" and isinstance(value, dict):
                client[key] = {**client[key], **value}
            elif value is not None and not (key == "initiate_login_uri" and value == ""):
                client[key] = value
        self.state.clients[client_id] = client
        return client

    def update_client(self, client_id: str, changes: Mapping[str, Any]) -> JsonObject:
        """Apply a PATCH to an application: null removes a key, and so does an empty
        ``initiate_login_uri`` (Auth0 reads it back absent); ``client_metadata`` is merged
        key by key, a null value removing its key."""
        client = self.client(client_id)
        for key, value in changes.items():
            if value is None or (key == "initiate_login_uri" and value == ""):
                client.pop(key, None)
            elif key == "client_metadata" and isinstance(value, dict):
                merged = {**client.get(key, {}), **value}
                client[key] = {k: v for k, v in merged.items() if v is not None}
            else:
                client[key] = value
        return client

    def delete_client(self, client_id: str) -> None:
        """Delete an application, its client grants and its organization associations."""
        self.client(client_id)
        del self.state.clients[client_id]
        for org in self.state.organizations.values():
            org.clients.pop(client_id, None)
        for connection in self.state.connections.values():
            enabled = connection.get("enabled_clients", [])
            if client_id in enabled:
                connection["enabled_clients"] = [c for c in enabled if c != client_id]
        for grant in [g for g in self.state.client_grants.values() if g["client_id"] == client_id]:
            self.delete_client_grant(grant["id"])


routes = RouteTable()


CLIENT_FIELDS = (
    "addons",
    "allowed_clients",
    "allowed_logout_urls",
    "allowed_origins",
    "app_type",
    "async_approval_notification_channels",
    "callbacks",
    "client_aliases",
    "client_authentication_methods",
    "client_metadata",
    "compliance_level",
    "cross_origin_authentication",
    "cross_origin_loc",
    "custom_login_page",
    "custom_login_page_on",
    "custom_login_page_preview",
    "default_organization",
    "description",
    "encryption_key",
    "express_configuration",
    "form_template",
    "grant_types",
    "initiate_login_uri",
    "is_first_party",
    "is_token_endpoint_ip_header_trusted",
    "jwt_configuration",
    "logo_uri",
    "mobile",
    "my_organization_configuration",
    "name",
    "native_social_login",
    "oidc_backchannel_logout",
    "oidc_conformant",
    "oidc_logout",
    "organization_discovery_methods",
    "organization_require_behavior",
    "organization_usage",
    "par_request_expiry",
    "redirection_policy",
    "refresh_token",
    "require_proof_of_possession",
    "require_pushed_authorization_requests",
    "session_transfer",
    "signed_request_object",
    "skip_non_verifiable_callback_uri_confirmation_prompt",
    "sso",
    "sso_disabled",
    "third_party_security_mode",
    "token_endpoint_auth_method",
    "token_exchange",
    "token_quota",
    "web_origins",
)
"""The properties a client create or update may carry (the spec's request bodies)."""
CLIENT_CREATE_FIELDS = (*CLIENT_FIELDS, "resource_server_identifier")
CLIENT_UPDATE_FIELDS = (*CLIENT_FIELDS, "client_secret")
CLIENT_FLAGS = (
    "cross_origin_authentication",
    "custom_login_page_on",
    "is_first_party",
    "is_token_endpoint_ip_header_trusted",
    "oidc_conformant",
    "require_proof_of_possession",
    "require_pushed_authorization_requests",
    "sso",
    "sso_disabled",
)
CLIENT_URL_LISTS = ("callbacks", "allowed_logout_urls")
ORGANIZATION_REQUIRE_BEHAVIORS = ("no_prompt", "pre_login_prompt", "post_login_prompt")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})


def _redirect_url_ok(url: str, native: bool) -> bool:
    """Callbacks and logout URLs: https, http only for localhost, custom schemes for native
    applications."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc:
        return True
    if parts.scheme == "http":
        return parts.hostname in LOCAL_HOSTS
    return native and bool(parts.scheme)


def _login_uri_ok(url: str) -> bool:
    """The application login URI: empty, or https and not localhost."""
    parts = urlsplit(url)
    return url == "" or (
        parts.scheme == "https" and bool(parts.netloc) and parts.hostname not in LOCAL_HOSTS
    )


def _client_fields(body: Body, current: JsonObject | None = None) -> dict[str, Any]:
    """The fields of a client create (``current`` None) or update, with the checks Auth0
    makes of the ones this project manages; other properties are taken as given."""
    fields = dict(body.data)
    nullable = current is not None
    if body.has("name"):
        body.string("name", min_len=1, pattern=NAME_WITHOUT_BRACKETS)
    if body.has("description"):
        body.string("description", max_len=140)
    if body.has("app_type"):
        body.enum("app_type", APP_TYPES)
    for flag in CLIENT_FLAGS:
        if body.has(flag):
            body.boolean(flag)
    if body.has("grant_types"):
        body.strings("grant_types", min_len=1)
    if body.has("organization_usage"):
        body.enum("organization_usage", ORGANIZATION_USAGES, nullable=nullable)
    if body.has("organization_require_behavior"):
        body.enum(
            "organization_require_behavior", ORGANIZATION_REQUIRE_BEHAVIORS, nullable=nullable
        )
    app_type = fields.get("app_type") or (current or {}).get("app_type")
    for key in CLIENT_URL_LISTS:
        for index, url in enumerate(body.strings(key) or []):
            if not _redirect_url_ok(url, app_type == "native"):
                raise invalid_body(
                    f"Object didn't pass validation for format callback-url: {url}",
                    f"{key}[{index}]",
                )
    if body.has("initiate_login_uri"):
        uri = body.string("initiate_login_uri") or ""
        if not _login_uri_ok(uri):
            raise invalid_body(
                "Object didn't pass validation for format "
                f"absolute-https-uri-with-placeholders-or-empty: {uri}",
                "initiate_login_uri",
            )
    merged = {**(current or {}), **fields}
    if merged.get("organization_require_behavior") == "post_login_prompt" and not merged.get(
        "oidc_conformant"
    ):
        raise bad_request(
            'organization_require_behavior "post_login_prompt" requires oidc_conformant: true'
        )
    return fields


@routes.get(
    "/clients",
    "read:clients read:client_keys read:client_credentials read:client_summary",
    "List clients",
)
def list_clients(ctx: Context) -> Reply:
    paging = read_paging(ctx.query)
    names, include = ctx.query.fields()
    app_types = {t for raw in ctx.query.strings("app_type") for t in raw.split(",") if t}
    first_party = ctx.query.boolean("is_first_party")
    is_global = ctx.query.boolean("is_global")
    clients = [
        c
        for c in ctx.store.state.clients.values()
        if (not app_types or c.get("app_type") in app_types)
        and (first_party is None or c.get("is_first_party") == first_party)
        and (is_global is None or bool(c.get("global")) == is_global)
    ]
    return Reply(
        200,
        any_page(
            ranked(clients),
            paging,
            "clients",
            lambda r: select_fields(r[1], names, include),
            lambda r: r[0],
        ),
    )


@routes.post("/clients", "create:clients", "Create a client")
def create_client(ctx: Context) -> Reply:
    body = Body(ctx.body(), CLIENT_CREATE_FIELDS, ("name",))
    fields = _client_fields(body)
    name = fields.pop("name")
    app_type = fields.pop("app_type", None)
    return Reply(201, ctx.store.create_client(name, app_type, **fields))


@routes.get(
    "/clients/{id}",
    "read:clients read:client_keys read:client_credentials read:client_summary",
    "Get a client",
)
def get_client(ctx: Context) -> Reply:
    names, include = ctx.query.fields()
    return Reply(200, select_fields(ctx.store.client(ctx.params["id"]), names, include))


@routes.patch(
    "/clients/{id}",
    "update:clients update:client_keys update:client_credentials",
    "Update a client",
)
def update_client(ctx: Context) -> Reply:
    current = ctx.store.client(ctx.params["id"])
    fields = _client_fields(Body(ctx.body(), CLIENT_UPDATE_FIELDS), current)
    return Reply(200, ctx.store.update_client(ctx.params["id"], fields))


@routes.delete("/clients/{id}", "delete:clients", "Delete a client")
def delete_client(ctx: Context) -> Reply:
    ctx.store.delete_client(ctx.params["id"])
    return Reply(204)
