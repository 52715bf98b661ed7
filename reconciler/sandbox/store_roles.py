"""Roles (tenant and organization-owned), their permissions and their tenant-level users."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .errors import bad_request, conflict
from .records import Role
from .store_base import StoreBase

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
