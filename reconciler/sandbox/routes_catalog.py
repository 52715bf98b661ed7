"""Connections, clients, client grants, resource servers and logs."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from .errors import bad_request, invalid_body, invalid_query
from .pagination import any_page, offset_page, read_offset, read_paging
from .records import JsonObject
from .router import Context, Reply, RouteTable
from .validation import Body, select_fields

routes = RouteTable()

CONNECTION_NAME = re.compile(r"^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$")
NAME_WITHOUT_BRACKETS = re.compile(r"^[^<>]+$")
STRATEGIES = frozenset(
    [
        "ad",
        "adfs",
        "amazon",
        "apple",
        "dropbox",
        "bitbucket",
        "auth0-oidc",
        "auth0",
        "baidu",
        "bitly",
        "box",
        "custom",
        "daccount",
        "dwolla",
        "email",
        "evernote-sandbox",
        "evernote",
        "exact",
        "facebook",
        "fitbit",
        "github",
        "google-apps",
        "google-oauth2",
        "instagram",
        "ip",
        "line",
        "linkedin",
        "oauth1",
        "oauth2",
        "office365",
        "oidc",
        "okta",
        "paypal",
        "paypal-sandbox",
        "pingfederate",
        "planningcenter",
        "salesforce-community",
        "salesforce-sandbox",
        "salesforce",
        "samlp",
        "sharepoint",
        "shopify",
        "shop",
        "sms",
        "soundcloud",
        "thirtysevensignals",
        "twitter",
        "untappd",
        "vkontakte",
        "waad",
        "weibo",
        "windowslive",
        "wordpress",
        "yahoo",
        "yandex",
    ]
)
CONNECTION_FIELDS = (
    "display_name",
    "options",
    "enabled_clients",
    "is_domain_connection",
    "metadata",
    "realms",
    "show_as_button",
    "authentication",
    "connected_accounts",
)
LISTED_CONNECTION_FIELDS = frozenset(
    {"id", "name", "strategy", *CONNECTION_FIELDS} - {"enabled_clients"}
)
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
ORGANIZATION_USAGES = ("deny", "allow", "require")
GRANT_FIELDS = (
    "allow_all_scopes",
    "allow_any_organization",
    "authorization_details_types",
    "default_for",
    "organization_usage",
    "scope",
    "subject_type",
)
RESOURCE_SERVER_FIELDS = (
    "allow_offline_access",
    "allow_online_access",
    "authorization_details",
    "authorization_policy",
    "consent_policy",
    "enforce_policies",
    "name",
    "proof_of_possession",
    "scopes",
    "signing_alg",
    "signing_secret",
    "skip_consent_for_verifiable_first_party_clients",
    "subject_type_authorization",
    "token_dialect",
    "token_encryption",
    "token_lifetime",
)
LOG_SORTS = ("date:1", "date:-1")
LOG_SEARCH_FIELDS = ("type", "client_id", "user_id")


def _ranked(records: list[JsonObject]) -> list[tuple[int, JsonObject]]:
    return list(enumerate(records, start=1))


# -- connections ------------------------------------------------------------------------


def _connection_changes(body: Body) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key in CONNECTION_FIELDS:
        if not body.has(key):
            continue
        if key == "display_name":
            changes[key] = body.string(key, max_len=128)
        elif key in ("is_domain_connection", "show_as_button"):
            changes[key] = body.boolean(key)
        elif key in ("enabled_clients", "realms"):
            changes[key] = body.strings(key, nullable=key == "enabled_clients")
        else:
            changes[key] = body.object(key)
    return changes


@routes.get("/connections", "read:connections", "List connections")
def list_connections(ctx: Context) -> Reply:
    paging = read_paging(ctx.query)
    names, include = ctx.query.fields()
    strategies = {s for raw in ctx.query.strings("strategy") for s in raw.split(",") if s}
    name = ctx.query.string("name")
    connections = [
        c
        for c in ctx.store.state.connections.values()
        if (not strategies or c["strategy"] in strategies) and (name is None or c["name"] == name)
    ]

    def render(item: tuple[int, JsonObject]) -> JsonObject:
        listed = {k: v for k, v in item[1].items() if k in LISTED_CONNECTION_FIELDS}
        return select_fields(listed, names, include)

    return Reply(200, any_page(_ranked(connections), paging, "connections", render, lambda r: r[0]))


@routes.post("/connections", "create:connections", "Create a connection")
def create_connection(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("name", "strategy", *CONNECTION_FIELDS), ("name", "strategy"))
    name = body.string("name", max_len=128, pattern=CONNECTION_NAME) or ""
    strategy = body.enum("strategy", STRATEGIES) or ""
    connection = ctx.store.create_connection(name, strategy, **_connection_changes(body))
    return Reply(201, connection)


@routes.get("/connections/{id}", "read:connections", "Get a connection")
def get_connection(ctx: Context) -> Reply:
    names, include = ctx.query.fields()
    return Reply(200, select_fields(ctx.store.connection(ctx.params["id"]), names, include))


@routes.patch("/connections/{id}", "update:connections", "Update a connection")
def update_connection(ctx: Context) -> Reply:
    body = Body(ctx.body(), CONNECTION_FIELDS)
    if not body.data:
        raise invalid_body("Too few properties defined (0), minimum 1")
    return Reply(200, ctx.store.update_connection(ctx.params["id"], _connection_changes(body)))


@routes.delete("/connections/{id}", "delete:connections", "Delete a connection")
def delete_connection(ctx: Context) -> Reply:
    ctx.store.delete_connection(ctx.params["id"])
    return Reply(204)


# -- clients ----------------------------------------------------------------------------

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
            _ranked(clients),
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
    app_type = fields.pop("app_type", None) or "regular_web"
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


# -- client grants ----------------------------------------------------------------------


def _grant_changes(body: Body, nullable: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key in GRANT_FIELDS:
        if not body.has(key):
            continue
        if key in ("allow_all_scopes", "allow_any_organization"):
            changes[key] = body.boolean(key, nullable=nullable)
        elif key == "organization_usage":
            changes[key] = body.enum(key, ORGANIZATION_USAGES, nullable=nullable)
        elif key in ("scope", "authorization_details_types"):
            changes[key] = body.strings(key, min_len=1, nullable=nullable)
        else:
            changes[key] = body.string(key)
    return changes


@routes.get("/client-grants", "read:client_grants", "List client grants")
def list_client_grants(ctx: Context) -> Reply:
    paging = read_paging(ctx.query)
    audience = ctx.query.string("audience")
    client_id = ctx.query.string("client_id")
    any_org = ctx.query.boolean("allow_any_organization")
    grants = [
        g
        for g in ctx.store.state.client_grants.values()
        if (audience is None or g["audience"] == audience)
        and (client_id is None or g["client_id"] == client_id)
        and (any_org is None or bool(g.get("allow_any_organization")) == any_org)
    ]
    return Reply(
        200, any_page(_ranked(grants), paging, "client_grants", lambda r: r[1], lambda r: r[0])
    )


@routes.post("/client-grants", "create:client_grants", "Create a client grant")
def create_client_grant(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("client_id", "audience", *GRANT_FIELDS), ("audience",))
    client_id = body.string("client_id")
    if client_id is None:
        raise bad_request("client_id is required.")
    audience = body.string("audience", min_len=1) or ""
    changes = _grant_changes(body, nullable=False)
    scope = changes.pop("scope", None) or []
    return Reply(201, ctx.store.create_client_grant(client_id, audience, scope, **changes))


@routes.get("/client-grants/{id}", "read:client_grants", "Get a client grant")
def get_client_grant(ctx: Context) -> Reply:
    return Reply(200, ctx.store.client_grant(ctx.params["id"]))


@routes.patch("/client-grants/{id}", "update:client_grants", "Update a client grant")
def update_client_grant(ctx: Context) -> Reply:
    allowed = (
        "allow_all_scopes",
        "allow_any_organization",
        "authorization_details_types",
        "organization_usage",
        "scope",
    )
    body = Body(ctx.body(), allowed)
    if not body.data:
        raise invalid_body("Too few properties defined (0), minimum 1")
    return Reply(
        200, ctx.store.update_client_grant(ctx.params["id"], _grant_changes(body, nullable=True))
    )


@routes.delete("/client-grants/{id}", "delete:client_grants", "Delete a client grant")
def delete_client_grant(ctx: Context) -> Reply:
    ctx.store.delete_client_grant(ctx.params["id"])
    return Reply(204)


# -- resource servers -------------------------------------------------------------------


def _resource_server_fields(body: Body) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in RESOURCE_SERVER_FIELDS:
        if not body.has(key):
            continue
        if key == "name":
            fields[key] = body.string(key, max_len=200, pattern=NAME_WITHOUT_BRACKETS)
        elif key == "scopes":
            scopes = body.objects(key, ("value", "description"), ("value",)) or []
            fields[key] = [
                {"value": s.string("value", min_len=1, max_len=280)}
                | ({"description": s.string("description")} if s.has("description") else {})
                for s in scopes
            ]
        elif key == "token_lifetime":
            fields[key] = body.integer(key, minimum=0, maximum=2592000)
        else:
            fields[key] = body.data[key]
    return fields


@routes.get("/resource-servers", "read:resource_servers", "List resource servers")
def list_resource_servers(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    identifiers = set(ctx.query.strings("identifiers"))
    servers = [
        s
        for s in ctx.store.state.resource_servers.values()
        if not identifiers or s["identifier"] in identifiers
    ]
    return Reply(200, offset_page(servers, paging, "resource_servers", lambda s: s))


@routes.post("/resource-servers", "create:resource_servers", "Create a resource server")
def create_resource_server(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("identifier", *RESOURCE_SERVER_FIELDS), ("identifier",))
    identifier = body.string("identifier", min_len=1, max_len=600) or ""
    fields = _resource_server_fields(body)
    name = fields.pop("name", None) or identifier
    scopes = fields.pop("scopes", [])
    return Reply(201, ctx.store.create_resource_server(name, identifier, scopes, **fields))


@routes.get("/resource-servers/{id}", "read:resource_servers", "Get a resource server")
def get_resource_server(ctx: Context) -> Reply:
    return Reply(200, ctx.store.resource_server(ctx.params["id"]))


@routes.patch("/resource-servers/{id}", "update:resource_servers", "Update a resource server")
def update_resource_server(ctx: Context) -> Reply:
    fields = _resource_server_fields(Body(ctx.body(), RESOURCE_SERVER_FIELDS))
    return Reply(201, ctx.store.update_resource_server(ctx.params["id"], fields))


@routes.delete("/resource-servers/{id}", "delete:resource_servers", "Delete a resource server")
def delete_resource_server(ctx: Context) -> Reply:
    ctx.store.delete_resource_server(ctx.params["id"])
    return Reply(204)


# -- logs -------------------------------------------------------------------------------


@routes.get("/logs", "read:logs read:logs_users", "Search log events")
def list_logs(ctx: Context) -> Reply:
    """Checkpoint mode (`from`, `take`) answers a bare array of the events after `from` and,
    as Auth0 documents, ignores every other parameter, the search included. Search mode pages
    by offset and filters with `q` (the SDK sends it as `search`): `field:value` clauses of
    `type`, `client_id` or `user_id`, joined by spaces or `AND`, values exact (quotes
    optional)."""
    logs = ctx.store.state.logs
    after = ctx.query.string("from")
    if after is not None:
        take = ctx.query.integer("take", 1, 100) or 50
        return Reply(200, [e for e in logs if e["log_id"] > after][:take])
    names, include = ctx.query.fields()
    paging = read_offset(ctx.query)
    clauses = _log_query(ctx.query.string("q") or ctx.query.string("search") or "")
    ordered = [e for e in logs if all(e.get(f) == v for f, v in clauses.items())]
    if ctx.query.enum("sort", LOG_SORTS) != "date:1":
        ordered.reverse()
    return Reply(
        200,
        offset_page(
            ordered, paging, "logs", lambda e: select_fields(e, names, include), with_length=True
        ),
    )


def _log_query(search: str) -> dict[str, str]:
    """`type:sapi AND client_id:"abc"` -> {"type": "sapi", "client_id": "abc"}; 400 for
    anything else."""
    clauses: dict[str, str] = {}
    for term in search.split():
        if term == "AND":
            continue
        field, _, wanted = term.partition(":")
        if field not in LOG_SEARCH_FIELDS or not wanted.strip('"'):
            raise invalid_query(f"Unsupported search clause: {term}", "q")
        clauses[field] = wanted.strip('"')
    return clauses


@routes.get("/logs/{id}", "read:logs read:logs_users", "Get a log event")
def get_log(ctx: Context) -> Reply:
    return Reply(200, ctx.store.log_event(ctx.params["id"]))
