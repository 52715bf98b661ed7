"""``/organizations/{id}/enabled_connections`` and ``/organizations/{id}/connections``: two
views of an organization's links to connections."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..errors import bad_request, conflict, not_found
from ..pagination import offset_page, read_offset
from ..records import LINK_FLAGS, JsonObject, Organization, OrgConnection
from ..render import render_link
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase
from ..validation import Body

MAX_ORG_CONNECTIONS = 10
ACCESS_LEVELS = ("none", "readonly", "limited", "full")
READ = "read:organization_connections"
CREATE = "create:organization_connections"
UPDATE = "update:organization_connections"
DELETE = "delete:organization_connections"
SIGNUP_REFUSED = (
    "Only database connections with assign_membership_on_login = true support "
    "is_signup_enabled = true."
)


class OrgConnectionOps(StoreBase):
    """Operations on an organization's connection links."""

    def _linkable_connection(self, link: OrgConnection) -> JsonObject:
        """The connection a link is for; 400 when it does not exist, or when the link enables
        signup where Auth0 does not allow it."""
        connection = self.state.connections.get(link.connection_id)
        if connection is None:
            raise bad_request(f"The connection {link.connection_id} does not exist.")
        signup_allowed = connection.get("strategy") == "auth0" and link.assign_membership_on_login
        if link.is_signup_enabled and not signup_allowed:
            raise bad_request(SIGNUP_REFUSED)
        return connection

    def _check_room(self, org: Organization) -> None:
        enabled = sum(1 for link in org.connections.values() if link.is_enabled)
        if enabled >= MAX_ORG_CONNECTIONS:
            raise bad_request(
                f"An organization can have at most {MAX_ORG_CONNECTIONS} enabled connections."
            )

    def enable_connection(
        self,
        org_id: str,
        connection_id: str,
        *,
        assign_membership_on_login: bool = False,
        show_as_button: bool = True,
        is_signup_enabled: bool = False,
    ) -> OrgConnection:
        """Enable a connection (``enabled_connections`` view); 409 if already enabled."""
        org = self.organization(org_id)
        link = OrgConnection(
            connection_id, assign_membership_on_login, show_as_button, is_signup_enabled
        )
        self._linkable_connection(link)
        existing = org.connections.get(connection_id)
        if existing is not None and existing.is_enabled:
            raise conflict("The connection is already enabled for this organization.")
        self._check_room(org)
        org.connections[connection_id] = link
        return link

    def link_connection(self, org_id: str, link: OrgConnection) -> OrgConnection:
        """Link a connection (``connections`` view, which can hold disabled links)."""
        org = self.organization(org_id)
        self._linkable_connection(link)
        if link.connection_id in org.connections:
            raise conflict("The connection is already associated with this organization.")
        if link.is_enabled:
            self._check_room(org)
        org.connections[link.connection_id] = link
        return link

    def org_connections(self, org_id: str, enabled_only: bool) -> list[OrgConnection]:
        """Links of an organization in Auth0's order: by connection id, ignoring case."""
        links = sorted(
            self.organization(org_id).connections.values(), key=lambda k: k.connection_id.lower()
        )
        return [link for link in links if link.is_enabled or not enabled_only]

    def org_connection(self, org_id: str, connection_id: str, enabled_only: bool) -> OrgConnection:
        """One link, or 404."""
        link = self.organization(org_id).connections.get(connection_id)
        if link is None or (enabled_only and not link.is_enabled):
            raise not_found("The connection is not enabled for this organization.")
        return link

    def update_org_connection(
        self, org_id: str, connection_id: str, changes: Mapping[str, Any], enabled_only: bool
    ) -> OrgConnection:
        """Change the flags of a link."""
        link = self.org_connection(org_id, connection_id, enabled_only)
        if changes.get("is_enabled") and not link.is_enabled:
            self._check_room(self.organization(org_id))
        applied = {k: v for k, v in changes.items() if not (k == "is_enabled" and v is None)}
        self._linkable_connection(replace(link, **applied))
        for key, value in applied.items():
            setattr(link, key, value)
        return link

    def unlink_connection(self, org_id: str, connection_id: str, enabled_only: bool) -> None:
        """Remove a link; through the newer view (not ``enabled_only``) a link already gone
        is no error, as Auth0 answers 204."""
        if enabled_only or connection_id in self.organization(org_id).connections:
            self.org_connection(org_id, connection_id, enabled_only)
            del self.organization(org_id).connections[connection_id]


routes = RouteTable()


# -- enabled connections (the classic view) ----------------------------------------------


@routes.get("/organizations/{id}/enabled_connections", READ, "List enabled connections")
def list_enabled_connections(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    links = ctx.store.org_connections(ctx.params["id"], enabled_only=True)
    return Reply(
        200,
        offset_page(links, paging, "enabled_connections", lambda k: render_link(ctx.store, k)),
    )


@routes.post("/organizations/{id}/enabled_connections", CREATE, "Enable a connection")
def add_enabled_connection(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("connection_id", *LINK_FLAGS), ("connection_id",))
    flags = {flag: bool(body.boolean(flag)) for flag in LINK_FLAGS if body.has(flag)}
    connection = body.string("connection_id", min_len=1) or ""
    link = ctx.store.enable_connection(ctx.params["id"], connection, **flags)
    return Reply(201, render_link(ctx.store, link))


@routes.get(
    "/organizations/{id}/enabled_connections/{connectionId}", READ, "Get an enabled connection"
)
def get_enabled_connection(ctx: Context) -> Reply:
    link = ctx.store.org_connection(ctx.params["id"], ctx.params["connectionId"], True)
    return Reply(200, render_link(ctx.store, link))


@routes.patch(
    "/organizations/{id}/enabled_connections/{connectionId}",
    UPDATE,
    "Update an enabled connection",
)
def update_enabled_connection(ctx: Context) -> Reply:
    body = Body(ctx.body(), LINK_FLAGS)
    changes = {flag: body.boolean(flag) for flag in LINK_FLAGS if body.has(flag)}
    link = ctx.store.update_org_connection(
        ctx.params["id"], ctx.params["connectionId"], changes, enabled_only=True
    )
    return Reply(200, render_link(ctx.store, link))


@routes.delete(
    "/organizations/{id}/enabled_connections/{connectionId}", DELETE, "Disable a connection"
)
def delete_enabled_connection(ctx: Context) -> Reply:
    ctx.store.unlink_connection(ctx.params["id"], ctx.params["connectionId"], enabled_only=True)
    return Reply(204)


# -- connections (the newer view of the same links) --------------------------------------

_ALL_FIELDS = (
    *LINK_FLAGS,
    "is_enabled",
    "organization_access_level",
    "organization_connection_name",
)


def _link_changes(body: Body) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for flag in LINK_FLAGS:
        if body.has(flag):
            changes[flag] = body.boolean(flag)
    if body.has("is_enabled"):
        changes["is_enabled"] = body.boolean("is_enabled", nullable=True)
    if body.has("organization_access_level"):
        changes["organization_access_level"] = body.enum(
            "organization_access_level", ACCESS_LEVELS, nullable=True
        )
    if body.has("organization_connection_name"):
        changes["organization_connection_name"] = body.string(
            "organization_connection_name", min_len=1, max_len=50, nullable=True
        )
    return changes


@routes.get("/organizations/{id}/connections", READ, "List connections of an organization")
def list_org_connections(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    is_enabled = ctx.query.boolean("is_enabled")
    links = ctx.store.org_connections(ctx.params["id"], enabled_only=False)
    if is_enabled is not None:
        links = [link for link in links if link.is_enabled == is_enabled]
    return Reply(
        200, offset_page(links, paging, "connections", lambda k: render_link(ctx.store, k, True))
    )


@routes.post("/organizations/{id}/connections", CREATE, "Add a connection to an organization")
def add_org_connection(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("connection_id", *_ALL_FIELDS), ("connection_id",))
    link = OrgConnection(body.string("connection_id", min_len=1, max_len=50) or "")
    for key, value in _link_changes(body).items():
        if value is not None:
            setattr(link, key, value)
    link = ctx.store.link_connection(ctx.params["id"], link)
    return Reply(201, render_link(ctx.store, link, True))


@routes.get(
    "/organizations/{id}/connections/{connection_id}", READ, "Get a connection of an organization"
)
def get_org_connection(ctx: Context) -> Reply:
    link = ctx.store.org_connection(ctx.params["id"], ctx.params["connection_id"], False)
    return Reply(200, render_link(ctx.store, link, True))


@routes.patch(
    "/organizations/{id}/connections/{connection_id}",
    UPDATE,
    "Update a connection of an organization",
)
def update_org_connection(ctx: Context) -> Reply:
    changes = _link_changes(Body(ctx.body(), _ALL_FIELDS))
    link = ctx.store.update_org_connection(
        ctx.params["id"], ctx.params["connection_id"], changes, enabled_only=False
    )
    return Reply(200, render_link(ctx.store, link, True))


@routes.delete(
    "/organizations/{id}/connections/{connection_id}",
    DELETE,
    "Remove a connection from an organization",
)
def delete_org_connection(ctx: Context) -> Reply:
    ctx.store.unlink_connection(ctx.params["id"], ctx.params["connection_id"], enabled_only=False)
    return Reply(204)
