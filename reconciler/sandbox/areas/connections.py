"""``/connections``: the tenant's connections."""

from __future__ import annotations

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
LISTED_CONNECTION_FIELDS = frozenset(
    {"id", "name", "strategy", *CONNECTION_FIELDS} - {"enabled_clients"}
)


class ConnectionOps(StoreBase):
    """Operations on connections."""

    def create_connection(self, name: str, strategy: str, **fields: Any) -> JsonObject:
        """Create a connection; names are unique."""
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
        }
        connection.update({k: v for k, v in fields.items() if v is not None})
        self.state.connections[connection["id"]] = connection
        return connection

    def update_connection(self, connection_id: str, changes: Mapping[str, Any]) -> JsonObject:
        """Apply a PATCH (``options`` is replaced as a whole, as Auth0 does)."""
        connection = self.connection(connection_id)
        for key, value in changes.items():
            if value is None:
                connection.pop(key, None)
            else:
                connection[key] = value
        return connection

    def delete_connection(self, connection_id: str) -> None:
        """Delete a connection, its users and its links to organizations."""
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
    ctx.store.delete_connection(ctx.params["id"])
    return Reply(204)
