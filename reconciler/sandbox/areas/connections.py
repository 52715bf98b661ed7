"""``/connections``: the tenant's connections."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from ..errors import conflict, invalid_body
from ..pagination import any_page, ranked, read_paging
from ..records import JsonObject
from ..router import Context, Reply, RouteTable
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
        return select_fields(listed, names, include)

    return Reply(200, any_page(ranked(connections), paging, "connections", render, lambda r: r[0]))


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
    return Reply(202, {"deleted_at": ctx.store.delete_connection(ctx.params["id"])})
