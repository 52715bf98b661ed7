"""Roles and their permissions: tenant-wide roles and organization-owned roles."""

from dataclasses import dataclass

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey, Ref
from reconciler.engine.kinds import Kind
from reconciler.engine.plan import JSON, Action, FieldChange, PathPart, Phase
from reconciler.model import Role
from reconciler.model.live import LiveRole


@dataclass(frozen=True)
class RoleTarget:
    """Where a role lives: the tenant (`org` None) or one organization with its id or ref."""

    org: str | None = None
    org_id: PathPart | None = None
    org_created_by: OpKey | None = None

    def key(self, name: str) -> ObjectKey:
        """The identity of a role of this name here."""
        return ObjectKey.role(name, self.org)

    @property
    def phase(self) -> Phase:
        """Tenant roles come before organizations; org-owned roles after them."""
        return Phase.ORG_ROLES if self.org else Phase.ROLES


def _pairs_body(pairs: set[tuple[str, str]] | frozenset[tuple[str, str]]) -> JSON:
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
    """Create or update one role and its permissions.

    Removing permissions waits for adding them (see the builder), so a failure between the
    two calls leaves the role granting the old and the new permissions, never less than the
    old.
    """
    op = OpKey(target.org, Kind.ROLE, name, "")
    if live is None:
        _create_role(builder, name, desired, target)
        return
    fields = []
    keys: list[OpKey] = []
    if desired.description is not None and desired.description != live.description:
        keys.append(
            builder.call(
                ENDPOINTS.update_role,
                _verb(op, "update"),
                target.phase,
                live.id,
                body={"description": desired.description},
            )
        )
        fields.append(FieldChange("description", live.description, desired.description))
    if desired.permissions is not None:
        have = set(live.permissions or ())
        want = set(desired.permission_pairs())
        if want - have:
            keys.append(
                builder.call(
                    ENDPOINTS.add_permissions,
                    _verb(op, "add permissions"),
                    target.phase,
                    live.id,
                    body=_pairs_body(want - have),
                )
            )
        if have - want:
            keys.append(
                builder.call(
                    ENDPOINTS.remove_permissions,
                    _verb(op, "remove permissions"),
                    target.phase,
                    live.id,
                    body=_pairs_body(have - want),
                )
            )
        if want != have:
            fields.append(FieldChange("permissions", _names(have), _names(want)))
    if fields:
        builder.touch(target.key(name))
        builder.row(
            target.org, Action.UPDATE, Kind.ROLE, name, tuple(fields), operations=tuple(keys)
        )


def _create_role(builder: PlanBuilder, name: str, desired: Role, target: RoleTarget) -> None:
    role = target.key(name)
    builder.touch(role)
    op = OpKey(target.org, Kind.ROLE, name, "")
    body: dict[str, JSON] = {"name": name}
    if desired.description is not None:
        body["description"] = desired.description
    if target.org is not None:
        body["type"] = "organization"
        body["owner_id"] = target.org_id
    create = builder.call(
        ENDPOINTS.create_role,
        create_role_key(role),
        target.phase,
        body=body,
        depends_on=(target.org_created_by,),
        creates=role,
    )
    keys = [create]
    pairs = desired.permission_pairs()
    fields = [FieldChange("description", None, desired.description)]
    if pairs:
        keys.append(
            builder.call(
                ENDPOINTS.add_permissions,
                _verb(op, "add permissions"),
                target.phase,
                Ref(role),
                body=_pairs_body(pairs),
                depends_on=(create,),
            )
        )
        fields.append(FieldChange("permissions", None, _names(pairs)))
    builder.row(target.org, Action.CREATE, Kind.ROLE, name, tuple(fields), operations=tuple(keys))


def create_role_key(role: ObjectKey) -> OpKey:
    """Key of the operation that creates a role."""
    return OpKey(role.org, Kind.ROLE, role.name, "create")


def delete_role(builder: PlanBuilder, name: str, live: LiveRole, org: str | None) -> None:
    """Delete a role that the files no longer list."""
    role = ObjectKey.role(name, org)
    builder.touch(role)
    key = builder.call(
        ENDPOINTS.delete_role, OpKey(org, Kind.ROLE, name, "delete"), Phase.ROLE_DELETES, live.id
    )
    builder.row(org, Action.DELETE, Kind.ROLE, name, operations=(key,))


def _verb(op: OpKey, verb: str) -> OpKey:
    return OpKey(op.org, op.kind, op.name, verb)


def _names(pairs: set[tuple[str, str]] | frozenset[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for api, name in sorted(pairs):
        grouped.setdefault(api, []).append(name)
    return grouped
