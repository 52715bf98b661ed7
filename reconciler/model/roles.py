"""Roles: tenant-wide ones in roles.yaml and org-owned ones inside an organization file."""

from pydantic import Field, field_validator

from reconciler.model.common import ApiIdentifier, PermissionName, RoleName, Strict

MAX_PERMISSIONS_PER_ROLE = 1000
MAX_TENANT_ROLES = 1000
"""Roles a tenant can hold, its own and its organizations' (Auth0's entity limit)."""


class Role(Strict):
    """A role and the permissions it grants, per API identifier.

    `permissions` absent leaves the role's permissions unmanaged; `{}` manages them down to none.
    """

    description: str | None = Field(default=None, max_length=140)
    permissions: dict[ApiIdentifier, list[PermissionName]] | None = None

    @field_validator("permissions")
    @classmethod
    def _check_permissions(cls, value: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
        if value is None:
            return None
        total = sum(len(names) for names in value.values())
        if total > MAX_PERMISSIONS_PER_ROLE:
            raise ValueError(
                f"a role has at most {MAX_PERMISSIONS_PER_ROLE} permissions, found {total}"
            )
        for api, names in value.items():
            if len(set(names)) != len(names):
                raise ValueError(f"duplicate permission under {api}")
        return value

    def permission_pairs(self) -> frozenset[tuple[str, str]]:
        """The permissions as (API identifier, permission name) pairs."""
        return frozenset(
            (api, name) for api, names in (self.permissions or {}).items() for name in names
        )


class RolesFile(Strict):
    """The tenant-wide roles file: `roles: {name: Role}`."""

    roles: dict[RoleName, Role] = Field(default_factory=dict)
