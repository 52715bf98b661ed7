"""``/users``: users, look-up by email, a user's organizations and tenant roles."""

from __future__ import annotations

import re
from typing import Any

from .errors import invalid_query
from .pagination import offset_page, read_offset
from .records import JsonObject
from .render import render_org, render_role
from .router import Context, Reply, RouteTable
from .store_users import provider_of
from .validation import Body, select_fields

routes = RouteTable()

PROFILE_STRINGS: dict[str, int] = {
    "given_name": 150,
    "family_name": 150,
    "name": 300,
    "nickname": 300,
    "username": 128,
    "picture": 2048,
}
FLAGS = ("blocked", "email_verified", "phone_verified")
IGNORED_ON_WRITE = ("password", "verify_email", "verify_phone_number", "client_id", "connection")
PHONE = re.compile(r"^\+[0-9]{1,15}$")
USER_ID = re.compile(r"^\S*$")
TERM = re.compile(r'(\w+):(?:"([^"]*)"|(\S+))')


def _profile(body: Body, nullable: bool) -> dict[str, Any]:
    profile: dict[str, Any] = {}
    for key, max_len in PROFILE_STRINGS.items():
        if body.has(key):
            profile[key] = body.string(key, min_len=1, max_len=max_len, nullable=nullable)
    if body.has("phone_number"):
        profile["phone_number"] = body.string("phone_number", pattern=PHONE, nullable=nullable)
    for flag in FLAGS:
        if body.has(flag):
            profile[flag] = body.boolean(flag)
    for key in ("app_metadata", "user_metadata"):
        if body.has(key):
            profile[key] = body.object(key)
    return profile


def _user_view(ctx: Context, user: JsonObject) -> JsonObject:
    names, include = ctx.query.fields()
    return select_fields(user, names, include)


@routes.get("/users", "read:users read:user_idp_tokens", "List or search users")
def list_users(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    users = list(ctx.store.state.users.values())
    connection = ctx.query.string("connection")
    if connection:
        users = [u for u in users if u["identities"][0]["connection"] == connection]
    for key, quoted, bare in TERM.findall(ctx.query.string("q") or ""):
        value = quoted if quoted else bare
        if key in ("identities.connection", "connection"):
            users = [u for u in users if u["identities"][0]["connection"] == value]
        else:
            users = [u for u in users if str(u.get(key, "")) == value]
    sort = ctx.query.string("sort")
    if sort:
        field, _, order = sort.partition(":")
        users.sort(key=lambda u: str(u.get(field, "")), reverse=order == "-1")
    names, include = ctx.query.fields()
    return Reply(
        200,
        offset_page(
            users, paging, "users", lambda u: select_fields(u, names, include), with_length=True
        ),
    )


@routes.post("/users", "create:users", "Create a user")
def create_user(ctx: Context) -> Reply:
    body = Body(
        ctx.body(),
        (
            "connection",
            "email",
            "user_id",
            *PROFILE_STRINGS,
            "phone_number",
            *FLAGS,
            "app_metadata",
            "user_metadata",
            *IGNORED_ON_WRITE,
        ),
        ("connection",),
    )
    connection = body.string("connection", min_len=1) or ""
    email = body.email("email")
    user_id = body.string("user_id", max_len=255, pattern=USER_ID)
    body.string("password", min_len=1)
    profile = _profile(body, nullable=False)
    name = profile.pop("name", None)
    if user_id is not None:
        known = ctx.store.connection_by_name(connection)
        if known is not None:
            user_id = f"{provider_of(known['strategy'])}|{user_id}"
    user = ctx.store.create_user(email, name, connection, user_id, **profile)
    return Reply(201, user)


@routes.get("/users-by-email", "read:users", "Find users by email")
def users_by_email(ctx: Context) -> Reply:
    email = ctx.query.string("email")
    if email is None:
        raise invalid_query("Missing required property: email")
    return Reply(200, [_user_view(ctx, u) for u in ctx.store.users_by_email(email)])


@routes.get("/users/{id}", "read:users read:current_user read:user_idp_tokens", "Get a user")
def get_user(ctx: Context) -> Reply:
    return Reply(200, _user_view(ctx, ctx.store.user(ctx.params["id"])))


@routes.patch(
    "/users/{id}",
    "update:users update:users_app_metadata update:current_user_metadata",
    "Update a user",
)
def update_user(ctx: Context) -> Reply:
    body = Body(ctx.body(), None)
    changes = _profile(body, nullable=True)
    if body.has("email"):
        changes["email"] = body.email("email", nullable=True)
    return Reply(200, ctx.store.update_user(ctx.params["id"], changes))


@routes.delete("/users/{id}", "delete:users delete:current_user", "Delete a user")
def delete_user(ctx: Context) -> Reply:
    ctx.store.delete_user(ctx.params["id"])
    return Reply(204)


@routes.get("/users/{id}/organizations", "read:organizations", "List a user's organizations")
def list_user_organizations(ctx: Context) -> Reply:
    paging = read_offset(ctx.query, max_page=1000)
    ctx.store.user(ctx.params["id"])
    orgs = ctx.store.user_organizations(ctx.params["id"])
    return Reply(200, offset_page(orgs, paging, "organizations", render_org))


@routes.get("/users/{id}/roles", "read:users read:roles read:role_members", "List a user's roles")
def list_user_roles(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    ctx.store.user(ctx.params["id"])
    roles = [
        ctx.store.state.roles[r]
        for r in ctx.store.state.user_roles.get(ctx.params["id"], [])
        if r in ctx.store.state.roles
    ]
    return Reply(200, offset_page(roles, paging, "roles", render_role))


def _role_ids(ctx: Context) -> list[str]:
    body = Body(ctx.body(), ("roles",), ("roles",))
    return body.strings("roles", min_items=1, min_len=1) or []


@routes.post("/users/{id}/roles", "update:users create:role_members", "Assign roles to a user")
def assign_user_roles(ctx: Context) -> Reply:
    ctx.store.assign_user_roles(ctx.params["id"], _role_ids(ctx))
    return Reply(204)


@routes.delete("/users/{id}/roles", "update:users delete:role_members", "Remove roles from a user")
def remove_user_roles(ctx: Context) -> Reply:
    ctx.store.remove_user_roles(ctx.params["id"], _role_ids(ctx))
    return Reply(204)
