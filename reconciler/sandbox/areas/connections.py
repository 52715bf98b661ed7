"""``/connections``: the tenant's connections, with the options Auth0 requires of each
enterprise strategy, secrets that are never returned, and options read and written only
with the options scopes."""

from __future__ import annotations

import base64
import binascii
import copy
import re
from collections.abc import Mapping
from typing import Any

from ..errors import bad_request, conflict, invalid_body
from ..pagination import any_page, ranked, read_paging
from ..records import JsonObject
from ..router import Context, Reply, RouteTable, insufficient_scope
from ..store_base import StoreBase
from ..validation import Body, select_fields

CONNECTION_NAME = re.compile(r"^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$")
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
DATABASE_OPTIONS: JsonObject = {
    "mfa": {"active": True, "return_enroll_settings": True},
    "passwordPolicy": "good",
    "brute_force_protection": True,
    "strategy_version": 2,
    "authentication_methods": {
        "password": {"enabled": True, "api_behavior": "required", "signup_behavior": "allow"},
        "passkey": {"enabled": False},
    },
    "passkey_options": {
        "challenge_ui": "both",
        "progressive_enrollment_enabled": True,
        "local_enrollment_enabled": True,
    },
}
"""The options Auth0 gives a new database connection."""
OKTA_OPTIONS: JsonObject = {
    "attribute_map": {"mapping_mode": "basic_profile"},
    "connection_settings": {"pkce": "auto"},
    "schema_version": "oidc-V4",
    "type": "back_channel",
}
"""The options Auth0 adds to a new Okta connection."""
KEPT_DATABASE_OPTIONS = ("authentication_methods", "passkey_options")
"""Options of a database connection that an update replacing ``options`` does not drop."""
OTP_METHODS = {"email_otp": {"enabled": False}, "phone_otp": {"enabled": False}}
"""Authentication methods Auth0 adds once any are set."""
LISTED_CONNECTION_FIELDS = frozenset(
    {"id", "name", "strategy", *CONNECTION_FIELDS} - {"enabled_clients"}
)
READ_OPTIONS = "read:connections_options"
UPDATE_OPTIONS = "update:connections_options"
OPTION_SCOPES = frozenset({READ_OPTIONS, UPDATE_OPTIONS})
"""Scopes no route requires: without them, responses leave `options` out and a write that
carries options is refused."""
ENTERPRISE_OPTIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "samlp": (("signInEndpoint", "signingCert"), ("metadataUrl",)),
    "pingfederate": (("pingFederateBaseUrl", "signingCert"),),
    "adfs": (("adfs_server",), ("fedMetadataXml",)),
    "okta": (("domain", "client_id", "client_secret"), ("issuer", "client_id", "client_secret")),
    "oidc": (("client_id", "discovery_url"), ("client_id", "issuer")),
    "waad": (("tenant_domain", "client_id", "client_secret"),),
    "google-apps": (("domain", "client_id", "client_secret"),),
}
"""Enterprise strategy -> the alternative sets of options a connection of it needs (an Okta
connection with its issuer and endpoints but no domain is accepted, as recorded)."""
HTTPS_OPTIONS = frozenset(
    {"signInEndpoint", "signOutEndpoint", "metadataUrl", "pingFederateBaseUrl", "discovery_url"}
)
SECRET_OPTIONS = frozenset({"client_secret"})
"""Options written but never returned."""
_DOMAIN = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def check_options(strategy: str, options: Mapping[str, Any], others: list[JsonObject]) -> None:
    """400 for options an enterprise strategy refuses: a required one missing, a URL that is
    not https, a signing certificate that is not base64 PEM or DER, a domain alias that is
    not a domain or that another connection (of ``others``) already has."""
    aliases = options.get("domain_aliases")
    if aliases is not None:
        if not isinstance(aliases, list) or not all(
            isinstance(a, str) and _DOMAIN.match(a) for a in aliases
        ):
            raise invalid_body("domain_aliases must be an array of domain names", "options")
        taken = {a for other in others for a in other.get("options", {}).get("domain_aliases", [])}
        clash = sorted(taken.intersection(aliases))
        if clash:
            raise bad_request(f"The domain alias {clash[0]} is already used by another connection")
    needs = ENTERPRISE_OPTIONS.get(strategy)
    if needs is None:
        return
    if not any(all(options.get(key) for key in need) for need in needs):
        choices = " or ".join(", ".join(need) for need in needs)
        raise invalid_body(f"A {strategy} connection requires the options {choices}", "options")
    for key in sorted(HTTPS_OPTIONS.intersection(options)):
        value = options[key]
        if not isinstance(value, str) or not value.startswith("https://"):
            raise invalid_body(f"{key} must be an https URL", f"options.{key}")
    if "signingCert" in options and not _certificate(options["signingCert"]):
        raise invalid_body("signingCert must be a base64-encoded PEM or DER certificate")


def _certificate(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        decoded = base64.b64decode(value, validate=True)
    except binascii.Error:
        return False
    if decoded.startswith(b"-----BEGIN CERTIFICATE-----"):
        return b"-----END CERTIFICATE-----" in decoded
    return decoded.startswith(b"\x30")


def shown(connection: JsonObject, scopes: frozenset[str]) -> JsonObject:
    """A connection as responses carry it: never its secrets, options only with the scope."""
    if READ_OPTIONS not in scopes:
        return {k: v for k, v in connection.items() if k != "options"}
    options = {k: v for k, v in connection.get("options", {}).items() if k not in SECRET_OPTIONS}
    return {**connection, "options": options}


class ConnectionOps(StoreBase):
    """Operations on connections."""

    def create_connection(self, name: str, strategy: str, **fields: Any) -> JsonObject:
        """Create a connection with Auth0's defaults (for database and Okta connections, their
        options, the given ones merged in); names are unique."""
        if self.connection_by_name(name) is not None:
            raise conflict("A connection with the same name already exists", "connection_conflict")
        connection: JsonObject = {
            "id": self.ids.prefixed("con_"),
            "name": name,
            "strategy": strategy,
            "options": {},
            "enabled_clients": [],
            "is_domain_connection": False,
            "realms": [name],
            "authentication": {"active": True},
            "connected_accounts": {"active": False},
        }
        if strategy == "okta":
            connection["show_as_button"] = False
        connection.update({k: v for k, v in fields.items() if v is not None})
        connection["options"] = _default_options(strategy, connection["options"])
        self.state.connections[connection["id"]] = connection
        return connection

    def update_connection(self, connection_id: str, changes: Mapping[str, Any]) -> JsonObject:
        """Apply a PATCH: ``options`` is replaced as a whole, as Auth0 does, but for a
        database connection's authentication methods and passkey options."""
        connection = self.connection(connection_id)
        for key, value in changes.items():
            if value is None:
                connection.pop(key, None)
            elif key == "options" and connection["strategy"] == "auth0":
                kept = {k: connection["options"][k] for k in KEPT_DATABASE_OPTIONS}
                connection[key] = kept | value
            else:
                connection[key] = value
        return connection

    def delete_connection(self, connection_id: str) -> str:
        """Delete a connection, its users and its links to organizations; the time of the
        deletion (Auth0 completes it in the background)."""
        connection = self.connection(connection_id)
        del self.state.connections[connection_id]
        for org in self.state.organizations.values():
            org.connections.pop(connection_id, None)
        doomed = [
            u["user_id"]
            for u in self.state.users.values()
            if u["identities"][0]["connection"] == connection["name"]
        ]
        for user_id in doomed:
            self._forget_user(user_id)
        return self.timestamp()


def _default_options(strategy: str, given: JsonObject) -> JsonObject:
    """A new connection's options: Auth0's defaults for its strategy, with ``given`` over
    them (authentication methods merged method by method)."""
    if strategy == "okta":
        return copy.deepcopy(OKTA_OPTIONS) | given
    if strategy != "auth0":
        return given
    options = copy.deepcopy(DATABASE_OPTIONS)
    methods = options["authentication_methods"]
    for method, settings in given.get("authentication_methods", {}).items():
        methods[method] = {**methods.get(method, {}), **settings}
    if "authentication_methods" in given:
        methods |= {k: v for k, v in copy.deepcopy(OTP_METHODS).items() if k not in methods}
    return options | {k: v for k, v in given.items() if k != "authentication_methods"}


routes = RouteTable()


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
        return select_fields(shown(listed, ctx.scopes), names, include)

    return Reply(200, any_page(ranked(connections), paging, "connections", render, lambda r: r[0]))


@routes.post("/connections", "create:connections", "Create a connection")
def create_connection(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("name", "strategy", *CONNECTION_FIELDS), ("name", "strategy"))
    name = body.string("name", max_len=128, pattern=CONNECTION_NAME) or ""
    strategy = body.enum("strategy", STRATEGIES) or ""
    changes = _connection_changes(body)
    existing = list(ctx.store.state.connections.values())
    check_options(strategy, changes.get("options") or {}, existing)
    connection = ctx.store.create_connection(name, strategy, **changes)
    return Reply(201, shown(connection, ctx.scopes))


@routes.get("/connections/{id}", "read:connections", "Get a connection")
def get_connection(ctx: Context) -> Reply:
    names, include = ctx.query.fields()
    connection = shown(ctx.store.connection(ctx.params["id"]), ctx.scopes)
    return Reply(200, select_fields(connection, names, include))


@routes.patch("/connections/{id}", "update:connections", "Update a connection")
def update_connection(ctx: Context) -> Reply:
    body = Body(ctx.body(), CONNECTION_FIELDS)
    if not body.data:
        raise invalid_body("Too few properties defined (0), minimum 1")
    changes = _connection_changes(body)
    if "options" in changes:
        if UPDATE_OPTIONS not in ctx.scopes:
            raise insufficient_scope([UPDATE_OPTIONS])
        connection = ctx.store.connection(ctx.params["id"])
        others = [c for c in ctx.store.state.connections.values() if c is not connection]
        check_options(connection["strategy"], changes["options"] or {}, others)
    return Reply(200, shown(ctx.store.update_connection(ctx.params["id"], changes), ctx.scopes))


@routes.delete("/connections/{id}", "delete:connections", "Delete a connection")
def delete_connection(ctx: Context) -> Reply:
    return Reply(202, {"deleted_at": ctx.store.delete_connection(ctx.params["id"])})
