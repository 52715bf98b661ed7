"""``/users``: users, look-up by email, a user's organizations and tenant roles."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from ..errors import bad_request, conflict, invalid_body, invalid_query
from ..pagination import offset_page, read_offset
from ..records import JsonObject
from ..render import render_org, render_role
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase
from ..validation import Body, select_fields
from .user_search import matcher

SOCIAL_STRATEGIES = frozenset(
    {"google-oauth2", "github", "facebook", "twitter", "linkedin", "apple", "windowslive"}
)
METADATA_FIELDS = ("app_metadata", "user_metadata")


def provider_of(strategy: str) -> str:
    """The provider part of user ids for a connection strategy."""
    return "auth0" if strategy == "auth0" else strategy


def _picture(email: str) -> str:
    digest = hashlib.md5(email.encode(), usedforsecurity=False).hexdigest()
    return f"https://s.gravatar.com/avatar/{digest}?s=480&r=pg&d=mp"


def _merge_metadata(current: JsonObject | None, patch: JsonObject | None) -> JsonObject:
    """Metadata after a PATCH: merged at top level, a null deleting its key; an empty
    object empties it."""
    if not patch:
        return {}
    merged = {**(current or {}), **patch}
    return {k: v for k, v in merged.items() if v is not None}


class UserOps(StoreBase):
    """Operations on users."""

    def create_user(
        self,
        email: str | None,
        name: str | None = None,
        connection: str = "Username-Password-Authentication",
        user_id: str | None = None,
        **profile: Any,
    ) -> JsonObject:
        """Create a user in a connection (by name). ``user_id`` is the full id
        (``auth0|...``); generated when omitted. Database emails are stored lowercased."""
        conn = self.connection_by_name(connection)
        if conn is None:
            raise bad_request("The connection does not exist.", "inexistent_connection")
        strategy = conn["strategy"]
        if strategy == "auth0":
            if not email:
                raise invalid_body("Missing required property: email")
            email = email.lower()
            if any(
                self.state.users[u]["identities"][0]["connection"] == connection
                for u in self._user_ids_by_email.get(email, [])
            ):
                raise conflict("The user already exists.", "auth0_idp_error")
        provider = provider_of(strategy)
        if user_id is None:
            user_id = f"{provider}|{self.ids.hex(24)}"
        if user_id in self.state.users:
            raise conflict("The user already exists.", "auth0_idp_error")
        now = self.timestamp()
        user: JsonObject = {"user_id": user_id}
        if email:
            user["email"] = email
            user["email_verified"] = False
        display = name or email or user_id
        user["name"] = display
        user["nickname"] = (email or display).split("@")[0]
        user["picture"] = _picture(email or user_id)
        user["identities"] = [
            {
                "connection": connection,
                "provider": provider,
                "user_id": user_id.split("|", 1)[-1],
                "isSocial": strategy in SOCIAL_STRATEGIES,
            }
        ]
        user["created_at"] = now
        user["updated_at"] = now
        for key, value in profile.items():
            if value is not None:
                user[key] = value
        self.state.users[user_id] = user
        self._index_email(user)
        return user

    def update_user(self, user_id: str, changes: Mapping[str, Any]) -> JsonObject:
        """Apply a PATCH: metadata merges at top level (``None`` deletes a key, ``{}``
        empties it; empty app metadata is left out), other fields are set, ``None``
        unsets."""
        user = self.user(user_id)
        self._unindex_email(user)
        try:
            for key, value in changes.items():
                if key in METADATA_FIELDS:
                    user[key] = _merge_metadata(user.get(key), value)
                    if key == "app_metadata" and not user[key]:
                        del user[key]  # Auth0 leaves out empty app metadata
                elif key == "email" and value is not None:
                    database = user["identities"][0]["provider"] == "auth0"
                    user["email"] = value.lower() if database else value
                elif value is None:
                    user.pop(key, None)
                else:
                    user[key] = value
        finally:
            self._index_email(user)
        user["updated_at"] = self.timestamp()
        return user

    def delete_user(self, user_id: str) -> None:
        """Delete a user with their memberships and role assignments."""
        self.user(user_id)
        self._forget_user(user_id)

    def users_by_email(self, email: str) -> list[JsonObject]:
        """Users with exactly this email (case-sensitive, as Auth0 matches)."""
        return [self.state.users[u] for u in self._user_ids_by_email.get(email, [])]


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
    matches = matcher(ctx.query.string("q") or "")
    users = [u for u in users if matches(u)]
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


@routes.post("/users", "create:users", "Create a User")
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


@routes.delete("/users/{id}", "delete:users delete:current_user", "Delete a User")
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
