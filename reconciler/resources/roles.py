"""Roles and their permissions: tenant-wide roles (roles.yaml) and organization-owned roles.
Roles are listed when anything names one; permissions are read only of the roles whose
permissions the files manage."""

import asyncio
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey, Ref
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import JSON, Action, FieldChange, PathPart, Phase
from reconciler.engine.planfile import ABSENT, digest_of
from reconciler.model import Role
from reconciler.model.live import LiveRole, Snapshot
from reconciler.model.roles import MAX_TENANT_ROLES
from reconciler.resources.importing import OrgImport, imported_role
from reconciler.resources.reads import PAGE, Reads
from reconciler.resources.resource import Planning, Reading, Resource, Stage
from reconciler.resources.scope import Scope


@dataclass(frozen=True)
class RoleTarget:
    """Where a role lives: the tenant (`org` None) or one organization with its id or ref."""

    org: str | None = None
    org_id: PathPart | None = None
    org_created_by: OpKey | None = None

    def key(self, name: str) -> ObjectKey:
        """The identity of a role of this name here."""
        return ObjectKey.role(name, self.org)

    def op(self, name: str, step: Step) -> OpKey:
        """The key of an operation on the role of this name here."""
        return OpKey(self.org, Kind.ROLE, name, step)

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
    if live is None:
        _create_role(builder, name, desired, target)
        return
    fields = []
    keys: list[OpKey] = []
    if desired.description is not None and desired.description != live.description:
        keys.append(
            builder.call(
                ENDPOINTS.update_role,
                target.op(name, Step.UPDATE),
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
                    target.op(name, Step.ADD_PERMISSIONS),
                    target.phase,
                    live.id,
                    body=_pairs_body(want - have),
                )
            )
        if have - want:
            keys.append(
                builder.call(
                    ENDPOINTS.remove_permissions,
                    target.op(name, Step.REMOVE_PERMISSIONS),
                    target.phase,
                    live.id,
                    body=_pairs_body(have - want),
                )
            )
        if want != have:
            fields.append(FieldChange("permissions", _names(have), _names(want)))
    if fields:
        builder.fingerprint(target.key(name))
        builder.row(
            target.org, Action.UPDATE, Kind.ROLE, name, tuple(fields), operations=tuple(keys)
        )


def _create_role(builder: PlanBuilder, name: str, desired: Role, target: RoleTarget) -> None:
    role = target.key(name)
    builder.fingerprint(role)
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
                target.op(name, Step.ADD_PERMISSIONS),
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
    return OpKey(role.org, Kind.ROLE, role.name, Step.CREATE)


def delete_role(builder: PlanBuilder, name: str, live: LiveRole, org: str | None) -> None:
    """Delete a role that the files no longer list."""
    role = ObjectKey.role(name, org)
    builder.fingerprint(role)
    key = builder.call(
        ENDPOINTS.delete_role, OpKey(org, Kind.ROLE, name, Step.DELETE), Phase.ROLE_DELETES, live.id
    )
    builder.row(org, Action.DELETE, Kind.ROLE, name, operations=(key,))


def _names(pairs: set[tuple[str, str]] | frozenset[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for api, name in sorted(pairs):
        grouped.setdefault(api, []).append(name)
    return grouped


@dataclass(frozen=True)
class RoleIds:
    """Desired roles of a member as ids (or references) and the operations creating them."""

    ids: dict[PathPart, str]
    """role id or reference -> role name"""
    created_by: tuple[OpKey, ...]

    def sorted_ids(self) -> list[PathPart]:
        """The ids in a stable order, as request bodies carry them."""
        return sorted(self.ids, key=str)


def resolve_roles(ctx: OrgContext, builder: PlanBuilder, names: list[str], index: int) -> RoleIds:
    """Role names as the org sees them: an org-owned role shadows a tenant role."""
    ids: dict[PathPart, str] = {}
    created_by: list[OpKey] = []
    own = ctx.desired.roles or {}
    for position, name in enumerate(names):
        owner = ctx.name if name in own else None
        if owner is not None:
            live = ctx.snapshot.org_roles.get((ctx.name, name))
        elif name in ctx.desired_state.roles:
            live = ctx.snapshot.roles.get(name)
        else:
            builder.error(
                f"unknown role {name!r}: define it in roles.yaml or in this organization's roles",
                ctx.where("members", index, "roles", position),
            )
            continue
        if live is not None:
            ids[live.id] = name
        else:
            key = ObjectKey.role(name, owner)
            ids[Ref(key)] = name
            created_by.append(create_role_key(key))
    return RoleIds(ids, tuple(created_by))


def permission_pairs(items: list[Any]) -> frozenset[tuple[str, str]]:
    """The (API identifier, permission name) pairs of a role's permissions."""
    return frozenset(
        (p.resource_server_identifier, p.permission_name)
        for p in items
        if p.resource_server_identifier and p.permission_name
    )


def roles_to_keep(
    scope: Scope, roles: Iterable[Any], org_names: Mapping[str, str]
) -> list[tuple[Any, str | None, bool]]:
    """(role, owning organization's name, permissions managed) of the tenant's roles that the
    snapshot holds: tenant roles and the roles of organizations read."""
    kept = []
    for role in roles:
        owner = org_names.get(role.owner_id) if role.type == "organization" else None
        if role.type == "organization" and owner is None:
            continue
        managed = (owner, role.name) in scope.org_roles if owner else role.name in scope.roles
        kept.append((role, owner, managed))
    return kept


async def role_permissions(
    api: Reads, role_id: str, owner: str | None = None
) -> frozenset[tuple[str, str]]:
    """The (API identifier, permission name) pairs a role grants; `owner` labels errors."""
    permissions = api.client.roles.permissions
    items = await api.pages(
        ENDPOINTS.list_permissions,
        lambda page: permissions.list(role_id, page=page, per_page=PAGE),
        role_id,
        org=owner,
    )
    return permission_pairs(items)


async def _read_roles(reading: Reading) -> None:
    """The tenant's roles that the snapshot holds, with the permissions of managed ones."""
    api, snapshot = reading.api, reading.snapshot
    client = api.client.roles
    roles = await api.pages(
        ENDPOINTS.list_roles, lambda page: client.list(page=page, per_page=PAGE)
    )
    snapshot.roles_listed = len(roles)
    kept = roles_to_keep(reading.scope, roles, reading.org_names)
    for role, owner, _ in kept:
        _store_role(snapshot, LiveRole(role.id, role.name, role.description, None, owner))

    async def permissions(role: Any, owner: str | None) -> None:
        pairs = await role_permissions(api, role.id, owner)
        _store_role(snapshot, LiveRole(role.id, role.name, role.description, pairs, owner))

    await asyncio.gather(*(permissions(role, owner) for role, owner, managed in kept if managed))


def _store_role(snapshot: Snapshot, role: LiveRole) -> None:
    if role.owner is None:
        snapshot.roles[role.name] = role
    else:
        snapshot.org_roles[(role.owner, role.name)] = role


def digest_role(live: LiveRole | None) -> str:
    """A digest of a role and, when read, its permissions."""
    if live is None:
        return ABSENT
    perms = sorted(live.permissions) if live.permissions is not None else None
    return digest_of({"id": live.id, "description": live.description, "permissions": perms})


class Roles(Resource):
    """Tenant roles and each organization's own roles."""

    name = "roles"
    row_kinds = (Kind.ROLE,)
    row_rank = 1
    fingerprinted = (Kind.ROLE,)

    def tenant_lists(self, scope: Scope) -> frozenset[Endpoint]:
        """The tenant's roles, when a file defines or names one."""
        return frozenset({ENDPOINTS.list_roles} if scope.needs_roles else ())

    async def read(self, stage: Stage, reading: Reading) -> None:
        """Once the organizations are known (org-owned roles are kept only of those read)."""
        if stage is Stage.ORGANIZATIONS and self.tenant_lists(reading.scope):
            await _read_roles(reading)

    def plan(self, planning: Planning) -> None:
        """The tenant roles of roles.yaml."""
        live = planning.live.roles
        for name, role in sorted(planning.desired.roles.items()):
            diff_role(planning.builder, name, role, live.get(name), RoleTarget())

    def plan_organization(self, ctx: OrgContext, planning: Planning) -> None:
        """The organization's own roles, when its file has `roles`: others are deleted."""
        own = ctx.desired.roles
        if own is None:
            return
        builder, org_roles = planning.builder, ctx.snapshot.org_roles
        target = RoleTarget(ctx.name, ctx.id, ctx.created_by)
        for name, role in sorted(own.items()):
            diff_role(builder, name, role, org_roles.get((ctx.name, name)), target)
        for (owner, name), live_role in sorted(org_roles.items()):
            if owner == ctx.name and name not in own:
                delete_role(builder, name, live_role, ctx.name)

    def plan_after(self, planning: Planning) -> None:
        """A plan error when its creates would leave the tenant more roles than Auth0 lets it
        hold (`MAX_TENANT_ROLES`), counting the roles no file manages."""
        listed = planning.live.roles_listed
        ops = planning.builder.operations.values()
        steps = Counter(op.key.verb for op in ops if op.key.kind is Kind.ROLE)
        if listed is None or not steps[Step.CREATE]:
            return
        after = listed + steps[Step.CREATE] - steps[Step.DELETE]
        if after > MAX_TENANT_ROLES:
            planning.builder.error(
                f"the tenant holds {listed:,} roles and the plan creates {steps[Step.CREATE]:,}"
                f" and deletes {steps[Step.DELETE]:,}: that is {after:,}, more than the "
                f"{MAX_TENANT_ROLES:,} roles Auth0 lets a tenant hold",
                planning.desired.where("roles"),
            )

    def digest(self, key: ObjectKey, live: Snapshot) -> str:
        """The role and, when read, its permissions."""
        if key.org is None:
            return digest_role(live.roles.get(key.name))
        return digest_role(live.org_roles.get((key.org, key.name)))

    def existing(self, live: Snapshot) -> int:
        """Tenant roles and organizations' roles read."""
        return len(live.roles) + len(live.org_roles)

    def import_organization(self, importing: OrgImport) -> dict[str, Any]:
        """The roles the organization owns, with their permissions."""
        org = importing.org
        owned = {
            name: imported_role(role, importing.permissions, importing.notes, org.name)
            for (owner, name), role in sorted(importing.live.org_roles.items())
            if owner == org.name
        }
        if not owned:
            return {}
        return {"roles": {name: role.model_dump(exclude_none=True) for name, role in owned.items()}}


ROLES = Roles()
