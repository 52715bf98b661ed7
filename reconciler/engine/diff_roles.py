"""Roles and their permissions: tenant-wide roles and organization-owned roles."""

from dataclasses import dataclass

from reconciler.engine.builder import PlanBuilder, ref
from reconciler.engine.plan import JSON, Action, FieldChange, Phase
from reconciler.model import Role
from reconciler.model.live import LiveRole


@dataclass(frozen=True)
class RoleTarget:
    """Where a role lives: the tenant (`org` None) or one organization with its id or ref."""

    org: str | None = None
    org_id: str | None = None
    org_created_by: str | None = None

    def label(self, name: str) -> str:
        """The reference name of a role, `admin` or `acme-corp/admin`."""
        return name if self.org is None else f"{self.org}/{name}"


def _pairs_body(pairs: set[tuple[str, str]]) -> JSON:
    return {
        "permissions": [
            {"resource_server_identifier": api, "permission_name": name}
            for api, name in sorted(pairs)
        ]
    }


def diff_role(
    builder: PlanBuilder,
    name: str,
    desired: Role,
    live: LiveRole | None,
    target: RoleTarget,
) -> None:
    """Create or update one role and its permissions."""
    label = target.label(name)
    kind = "role"
    if live is None:
        body: dict[str, JSON] = {"name": name}
        if desired.description is not None:
            body["description"] = desired.description
        if target.org is not None:
            body["type"] = "organization"
            body["owner_id"] = target.org_id
        create = builder.call(
            f"role:{label}/create",
            Phase.ORG_ROLES if target.org else Phase.ROLES,
            "POST",
            "/roles",
            body,
            org=target.org,
            depends_on=(target.org_created_by,),
            creates=f"role:{label}",
        )
        pairs = desired.permission_pairs()
        fields = [FieldChange("description", None, desired.description)]
        if pairs:
            builder.call(
                f"role:{label}/permissions/add",
                Phase.ORG_ROLES if target.org else Phase.ROLES,
                "POST",
                f"/roles/{ref('role', label)}/permissions",
                _pairs_body(set(pairs)),
                org=target.org,
                depends_on=(create,),
            )
            fields.append(FieldChange("permissions", None, _names(pairs)))
        builder.touch("role", label)
        builder.row(target.org, Action.CREATE, kind, name, tuple(fields))
        return

    phase = Phase.ORG_ROLES if target.org else Phase.ROLES
    fields = []
    if desired.description is not None and desired.description != live.description:
        builder.call(
            f"role:{label}/update",
            phase,
            "PATCH",
            f"/roles/{live.id}",
            {"description": desired.description},
            org=target.org,
        )
        fields.append(FieldChange("description", live.description, desired.description))
    if desired.permissions is not None:
        have = set(live.permissions or ())
        want = set(desired.permission_pairs())
        if want - have:
            builder.call(
                f"role:{label}/permissions/add",
                phase,
                "POST",
                f"/roles/{live.id}/permissions",
                _pairs_body(want - have),
                org=target.org,
            )
        if have - want:
            builder.call(
                f"role:{label}/permissions/remove",
                phase,
                "DELETE",
                f"/roles/{live.id}/permissions",
                _pairs_body(have - want),
                org=target.org,
            )
        if want != have:
            fields.append(FieldChange("permissions", _names(have), _names(want)))
    if fields:
        builder.touch("role", label)
        builder.row(target.org, Action.UPDATE, kind, name, tuple(fields))


def delete_role(builder: PlanBuilder, name: str, live: LiveRole, org: str | None) -> None:
    """Delete a role that the files no longer list."""
    label = name if org is None else f"{org}/{name}"
    builder.touch("role", label)
    builder.call(f"role:{label}/delete", Phase.ROLE_DELETES, "DELETE", f"/roles/{live.id}", org=org)
    builder.row(org, Action.DELETE, "role", name)


def _names(pairs: set[tuple[str, str]] | frozenset[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for api, name in sorted(pairs):
        grouped.setdefault(api, []).append(name)
    return grouped
