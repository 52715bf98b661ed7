"""``/roles``: roles, their permissions and their users."""

from __future__ import annotations

from typing import Any

from .errors import ApiError
from .pagination import any_page, offset_page, read_offset, read_paging
from .records import JsonObject
from .render import render_role, summary_user
from .router import Context, Reply, RouteTable
from .validation import Body

routes = RouteTable()

ROLE_TYPES = ("tenant", "organization")
PERMISSION_FIELDS = ("resource_server_identifier", "permission_name")


@routes.get("/roles", "read:roles", "List roles")
def list_roles(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    name_filter = (ctx.query.string("name_filter") or "").lower()
    role_type = ctx.query.enum("type", ROLE_TYPES)
    owner_id = ctx.query.string("owner_id")
    if role_type == "organization" and not owner_id:
        raise ApiError(
            400, "owner_id is required when type is organization", "invalid_query_string"
        )
    roles = [
        role
        for role in ctx.store.state.roles.values()
        if name_filter in role.name.lower()
        and (role_type is None or role.type == role_type)
        and (owner_id is None or role.owner_id == owner_id)
    ]
    return Reply(200, offset_page(roles, paging, "roles", render_role))


@routes.post("/roles", "create:roles", "Create a role")
def create_role(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("name", "description", "type", "owner_id"), ("name",))
    role = ctx.store.create_role(
        body.string("name", min_len=1) or "",
        body.string("description"),
        type=body.enum("type", ROLE_TYPES) or "tenant",
        owner_id=body.string("owner_id", min_len=1),
    )
    return Reply(200, render_role(role))


@routes.get("/roles/{id}", "read:roles", "Get a role")
def get_role(ctx: Context) -> Reply:
    return Reply(200, render_role(ctx.store.role(ctx.params["id"])))


@routes.patch("/roles/{id}", "update:roles", "Update a role")
def update_role(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("name", "description"))
    changes: dict[str, Any] = {}
    if body.has("name"):
        changes["name"] = body.string("name", min_len=1)
    if body.has("description"):
        changes["description"] = body.string("description")
    return Reply(200, render_role(ctx.store.update_role(ctx.params["id"], changes)))


@routes.delete("/roles/{id}", "delete:roles", "Delete a role")
def delete_role(ctx: Context) -> Reply:
    ctx.store.delete_role(ctx.params["id"])
    return Reply(200)


@routes.get("/roles/{id}/permissions", "read:roles", "List permissions of a role")
def list_role_permissions(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    role = ctx.store.role(ctx.params["id"])

    def render(permission: tuple[str, str]) -> JsonObject:
        identifier, name = permission
        body = {"resource_server_identifier": identifier, "permission_name": name}
        server = ctx.store.resource_server_by_identifier(identifier)
        if server is not None:
            body["resource_server_name"] = server["name"]
            for scope in server.get("scopes", []):
                if scope["value"] == name and scope.get("description"):
                    body["description"] = scope["description"]
        return body

    return Reply(200, offset_page(role.permissions, paging, "permissions", render))


def _permissions(ctx: Context) -> list[tuple[str, str]]:
    body = Body(ctx.body(), ("permissions",), ("permissions",))
    items = body.objects("permissions", PERMISSION_FIELDS, PERMISSION_FIELDS, min_items=1) or []
    return [
        (item.string("resource_server_identifier") or "", item.string("permission_name") or "")
        for item in items
    ]


@routes.post("/roles/{id}/permissions", "update:roles", "Add permissions to a role")
def add_role_permissions(ctx: Context) -> Reply:
    ctx.store.add_role_permissions(ctx.params["id"], _permissions(ctx))
    return Reply(201)


@routes.delete("/roles/{id}/permissions", "update:roles", "Remove permissions from a role")
def remove_role_permissions(ctx: Context) -> Reply:
    ctx.store.remove_role_permissions(ctx.params["id"], _permissions(ctx))
    return Reply(200)


@routes.get("/roles/{id}/users", "read:users read:roles read:role_members", "List users of a role")
def list_role_users(ctx: Context) -> Reply:
    paging = read_paging(ctx.query)
    users = ctx.store.state.users
    ranked = list(enumerate(ctx.store.role_user_ids(ctx.params["id"]), start=1))
    return Reply(
        200,
        any_page(ranked, paging, "users", lambda r: summary_user(users[r[1]]), lambda r: r[0]),
    )


@routes.post("/roles/{id}/users", "update:roles create:role_members", "Assign users to a role")
def assign_role_users(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("users",), ("users",))
    ctx.store.assign_role_users(ctx.params["id"], body.strings("users", min_len=1) or [])
    return Reply(200)
