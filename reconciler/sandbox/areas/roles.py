"""``/roles``: roles (tenant and organization-owned), their permissions and their users."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import ApiError, bad_request, conflict
from ..pagination import any_page, offset_page, read_offset, read_paging
from ..records import JsonObject, Role
from ..render import render_role, summary_user
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase
from ..validation import Body

MAX_ROLES = 1000
MAX_ROLE_PERMISSIONS = 1000


class RoleOps(StoreBase):
    """Operations on roles."""

    def create_role(
        self,
        name: str,
        description: str | None = None,
        *,
        type: str = "tenant",
        owner_id: str | None = None,
    ) -> Role:
        """Create a role; ``type="organization"`` needs the owning organization's id."""
        if type == "organization":
            if owner_id is None:
                raise bad_request("owner_id is required when type is organization.")
            if owner_id not in self.state.organizations:
                raise bad_request(f"The organization {owner_id} does not exist.")
        elif owner_id is not None:
            raise bad_request("owner_id is only allowed when type is organization.")
        if len(self.state.roles) >= MAX_ROLES:
            raise bad_request(f"A tenant can have at most {MAX_ROLES} roles.")
        self._check_name_free(name, owner_id)
        role = Role(
            id=self.ids.prefixed("rol_"),
            seq=self.next_seq(),
            name=name,
            description=description,
            type=type,
            owner_id=owner_id,
        )
        self.state.roles[role.id] = role
        return role

    def _check_name_free(self, name: str, owner_id: str | None, role_id: str = "") -> None:
        for other in self.state.roles.values():
            if other.name == name and other.owner_id == owner_id and other.id != role_id:
                raise conflict("A role with this name already exists.")

    def update_role(self, role_id: str, changes: Mapping[str, Any]) -> Role:
        """Rename a role or change its description."""
        role = self.role(role_id)
        if "name" in changes:
            self._check_name_free(changes["name"], role.owner_id, role.id)
            role.name = changes["name"]
        if "description" in changes:
            role.description = changes["description"]
        return role

    def delete_role(self, role_id: str) -> None:
        """Delete a role and every assignment of it, to members and to users."""
        self.role(role_id)
        del self.state.roles[role_id]
        for org in self.state.organizations.values():
            for member in org.members.values():
                if role_id in member.roles:
                    member.roles.remove(role_id)
        for roles in self.state.user_roles.values():
            if role_id in roles:
                roles.remove(role_id)

    def add_role_permissions(self, role_id: str, permissions: Sequence[tuple[str, str]]) -> None:
        """Grant permissions (``(resource_server_identifier, permission_name)`` pairs)."""
        role = self.role(role_id)
        for identifier, name in permissions:
            server = self.resource_server_by_identifier(identifier)
            if server is None:
                raise bad_request(f"Resource server {identifier} does not exist.")
            if all(scope["value"] != name for scope in server.get("scopes", [])):
                raise bad_request(f"Permission {name} is not defined by {identifier}.")
        new = [p for p in dict.fromkeys(permissions) if p not in role.permissions]
        if len(role.permissions) + len(new) > MAX_ROLE_PERMISSIONS:
            raise bad_request(f"A role can have at most {MAX_ROLE_PERMISSIONS} permissions.")
        role.permissions.extend(new)

    def remove_role_permissions(self, role_id: str, permissions: Iterable[tuple[str, str]]) -> None:
        """Revoke permissions; those the role does not have are ignored."""
        role = self.role(role_id)
        drop = set(permissions)
        role.permissions[:] = [p for p in role.permissions if p not in drop]

    def role_user_ids(self, role_id: str) -> list[str]:
        """Users that have the role at tenant level."""
        self.role(role_id)
        return [user_id for user_id, roles in self.state.user_roles.items() if role_id in roles]

    def assign_user_roles(self, user_id: str, role_ids: Sequence[str]) -> None:
        """Give a user tenant-level roles (organization roles are assigned to members)."""
        self.user(user_id)
        for role_id in role_ids:
            role = self.state.roles.get(role_id)
            if role is None:
                raise bad_request(f"The role {role_id} does not exist.")
            if role.owner_id is not None:
                raise bad_request(f"The role {role_id} belongs to an organization.")
        roles = self.state.user_roles.setdefault(user_id, [])
        roles.extend(r for r in dict.fromkeys(role_ids) if r not in roles)

    def remove_user_roles(self, user_id: str, role_ids: Iterable[str]) -> None:
        """Take tenant-level roles away from a user."""
        self.user(user_id)
        drop = set(role_ids)
        roles = self.state.user_roles.get(user_id, [])
        roles[:] = [r for r in roles if r not in drop]

    def assign_role_users(self, role_id: str, user_ids: Sequence[str]) -> None:
        """Give a tenant-level role to several users."""
        self.role(role_id)
        missing = [u for u in user_ids if u not in self.state.users]
        if missing:
            raise bad_request(f"One or more users do not exist: {', '.join(missing)}")
        for user_id in user_ids:
            self.assign_user_roles(user_id, [role_id])


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
    return Reply(200, render_role(role, written=True))


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
    return Reply(200, render_role(ctx.store.update_role(ctx.params["id"], changes), written=True))


@routes.delete("/roles/{id}", "delete:roles", "Delete a role")
def delete_role(ctx: Context) -> Reply:
    ctx.store.delete_role(ctx.params["id"])
    return Reply(200, {})


@routes.get("/roles/{id}/permissions", "read:roles", "List permissions of a role")
def list_role_permissions(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    role = ctx.store.role(ctx.params["id"])

    def render(permission: tuple[str, str]) -> JsonObject:
        identifier, name = permission
        body = {"resource_server_identifier": identifier, "permission_name": name}
        server = ctx.store.resource_server_by_identifier(identifier)
        if server is not None and "name" in server:
            body["resource_server_name"] = server["name"]
            for scope in server.get("scopes", []):
                if scope["value"] == name and scope.get("description"):
                    body["description"] = scope["description"]
        return body

    permissions = sorted(role.permissions)  # Auth0 lists them by API, then by name
    return Reply(200, offset_page(permissions, paging, "permissions", render))


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
    return Reply(201, {})


@routes.delete("/roles/{id}/permissions", "update:roles", "Remove permissions from a role")
def remove_role_permissions(ctx: Context) -> Reply:
    ctx.store.remove_role_permissions(ctx.params["id"], _permissions(ctx))
    return Reply(204)


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
