"""Organizations' own fields and names: read by listing (or by name), created with their
connections inline, updated field by field (renames through `previous_names`), and deleted
only when pruning. The other parts of an organization are resources of their own."""

import asyncio
from dataclasses import asdict
from typing import Any

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.nested import nested_changes
from reconciler.engine.plan import JSON, Action, FieldChange, Phase
from reconciler.engine.planfile import ABSENT, digest_of
from reconciler.model import Organization
from reconciler.model.live import LiveOrganization, Snapshot
from reconciler.resources.importing import OrgImport
from reconciler.resources.organization_connections import connection_entries
from reconciler.resources.reads import PAGE, Reads
from reconciler.resources.resource import Planning, Resource
from reconciler.resources.scope import Scope

SCALARS = ("display_name", "token_quota", "third_party_client_access", "is_app_entitlement_active")
ORG_FIELDS = (
    "display_name",
    "branding",
    "metadata",
    "token_quota",
    "third_party_client_access",
    "is_app_entitlement_active",
)
"""What is read of an organization's own fields."""

AUTH0_DEFAULTS = {"third_party_client_access": "block", "is_app_entitlement_active": False}
"""What Auth0 gives an organization created without these fields: import leaves them out,
and an answer without them (older tenants) compares as these."""

Found = dict[str, tuple[str, dict[str, Any]]]
"""Organization name -> (id, fields as Auth0 returned them, at least `name`)."""


async def found_organizations(api: Reads, scope: Scope) -> Found:
    """name -> (id, fields) of every organization, or only of the selected ones."""
    client = api.client.organizations
    if scope.list_all:
        items = await api.pages(
            ENDPOINTS.list_organizations, lambda _: client.list(take=PAGE, include_totals=False)
        )
        return {o.name: (o.id, organization_fields(o)) for o in items if o.name and o.id}
    found: Found = {}

    async def by_name(name: str) -> None:
        org = await organization_by_name(api, name)
        if org is not None:
            found[org[1]["name"]] = org

    names = [n for s in scope.organizations.values() for n in s.names]
    await asyncio.gather(*(by_name(n) for n in names))
    return found


async def organization_by_name(api: Reads, name: str) -> tuple[str, dict[str, Any]] | None:
    """(id, fields) of the organization of this name, or None when there is none."""
    client = api.client.organizations
    org = await api.one_or_none(
        ENDPOINTS.organization_by_name, lambda: client.get_by_name(name), name, org=name
    )
    return (org.id, organization_fields(org)) if org and org.id and org.name else None


async def organization_by_id(api: Reads, org_id: str) -> tuple[str, dict[str, Any]] | None:
    """(id, fields) of the organization of this id, or None when there is none (deleted)."""
    client = api.client.organizations
    org = await api.one_or_none(ENDPOINTS.get_organization, lambda: client.get(org_id), org_id)
    return (org.id, organization_fields(org)) if org and org.id and org.name else None


def organization_fields(org: Any) -> dict[str, Any]:
    """An organization's name and the fields of ORG_FIELDS it has, as plain data."""
    data: dict[str, Any] = {"name": org.name}
    for name in ORG_FIELDS:
        value = getattr(org, name, None)
        if value is None:
            continue
        if hasattr(value, "model_dump"):
            value = value.model_dump(exclude_none=True)
        if name == "metadata":
            value = {k: v for k, v in dict(value).items() if v is not None}
        data[name] = value
    return data


def live_organization(org_id: str, fields: dict[str, Any]) -> LiveOrganization:
    """An organization's own fields, taken as Auth0 returns them."""
    branding = fields.get("branding")
    metadata = fields.get("metadata")
    quota = fields.get("token_quota")
    access = fields.get("third_party_client_access")
    active = fields.get("is_app_entitlement_active")
    display = fields.get("display_name")
    return LiveOrganization(
        id=org_id,
        name=str(fields["name"]),
        display_name=display if isinstance(display, str) else None,
        branding=dict(branding) if isinstance(branding, dict) else None,
        metadata=(
            {str(k): v for k, v in metadata.items() if v is not None}
            if isinstance(metadata, dict)
            else None
        ),
        token_quota=dict(quota) if isinstance(quota, dict) else None,
        third_party_client_access=str(access) if access is not None else None,
        is_app_entitlement_active=active if isinstance(active, bool) else None,
    )


def create_key(name: str) -> OpKey:
    """Key of the operation that creates an organization."""
    return OpKey(name, Kind.ORGANIZATION, name, Step.CREATE)


def create_organization(ctx: OrgContext, builder: PlanBuilder) -> None:
    """One POST that creates the organization with its fields and connections inline."""
    desired = ctx.desired
    body: dict[str, JSON] = {"name": desired.name}
    fields: list[FieldChange] = []
    for name in SCALARS:
        value = getattr(desired, name)
        if value is not None:
            body[name] = value
            fields.append(FieldChange(name, None, value))
    if desired.branding is not None:
        body["branding"] = desired.branding.model_dump(exclude_none=True)
        fields.extend(nested_changes("branding", {}, body["branding"]))
    if desired.metadata:
        body["metadata"] = {k: v for k, v in desired.metadata.items() if v is not None}
        fields.extend(FieldChange(f"metadata.{k}", None, v) for k, v in body["metadata"].items())
    key = create_key(desired.name)
    builder.row(
        ctx.name, Action.CREATE, Kind.ORGANIZATION, desired.name, tuple(fields), operations=(key,)
    )
    entries = connection_entries(ctx, builder, key)
    if entries:
        body["enabled_connections"] = entries
    builder.call(
        ENDPOINTS.create_organization,
        key,
        Phase.ORGANIZATIONS,
        body=body,
        creates=ObjectKey.organization(desired.name),
    )


def update_organization(ctx: OrgContext, builder: PlanBuilder) -> None:
    """PATCH the fields that differ, only those; renames through `previous_names`."""
    assert ctx.live is not None
    desired, live = ctx.desired, ctx.live
    body: dict[str, JSON] = {}
    fields: list[FieldChange] = []
    if live.name != desired.name:
        body["name"] = desired.name
        fields.append(FieldChange("name", live.name, desired.name))
    for name in SCALARS:
        want, have = getattr(desired, name), getattr(live, name)
        if have is None:
            have = AUTH0_DEFAULTS.get(name)  # an older tenant's answer leaves it out
        if want is not None and want != have:
            body[name] = want
            fields.append(FieldChange(name, have, want))
    if desired.branding is not None:
        have_b = dict(live.branding or {})
        want_b = _overlay(have_b, desired.branding.model_dump(exclude_none=True))
        if want_b != have_b:
            body["branding"] = want_b
            fields.extend(nested_changes("branding", have_b, want_b))
    metadata = _metadata_body(desired, live)
    if metadata is not None:
        body["metadata"], changes = metadata
        fields.extend(changes)
    if body:
        key = builder.call(
            ENDPOINTS.update_organization,
            ctx.key(Kind.ORGANIZATION, desired.name, Step.UPDATE),
            Phase.ORGANIZATIONS,
            ctx.id,
            body=body,
        )
        builder.row(
            ctx.name,
            Action.UPDATE,
            Kind.ORGANIZATION,
            desired.name,
            tuple(fields),
            operations=(key,),
        )


def delete_organization(builder: PlanBuilder, name: str, org_id: str) -> None:
    """Delete an organization that no file describes (only when pruning)."""
    key = builder.call(
        ENDPOINTS.delete_organization,
        OpKey(name, Kind.ORGANIZATION, name, Step.DELETE),
        Phase.ORG_DELETES,
        org_id,
    )
    builder.row(name, Action.DELETE, Kind.ORGANIZATION, name, operations=(key,))


def _overlay(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _overlay(merged[key], value)
        else:
            merged[key] = value
    return merged


def _metadata_body(
    desired: Organization, live: LiveOrganization
) -> tuple[dict[str, Any], list[FieldChange]] | None:
    """The whole desired metadata plus null for each removed key, when anything changes."""
    if desired.metadata is None:
        return None
    have = live.metadata or {}
    want = desired.metadata
    changes: dict[str, str | None] = {}
    for key, value in want.items():
        if value is None and key in have:
            changes[key] = None
        elif value is not None and have.get(key) != value:
            changes[key] = value
    if desired.metadata_mode == "exact":
        changes.update({key: None for key in have if key not in want})
    if not changes:
        return None
    body: dict[str, Any] = {k: v for k, v in have.items() if k not in changes}
    body.update(changes)
    fields = [FieldChange(f"metadata.{k}", have.get(k), v) for k, v in sorted(changes.items())]
    return body, fields


def digest_org(live: LiveOrganization | None) -> str:
    """A digest of everything read of one organization."""
    if live is None:
        return ABSENT
    data = asdict(live)
    if live.members is not None:
        data["members"] = sorted(data["members"], key=lambda m: m["user_id"])
    return digest_of(data)


class Organizations(Resource):
    """Organizations as a whole: their own fields and names."""

    name = "organizations"
    row_kinds = (Kind.ORGANIZATION,)
    row_rank = 0
    fingerprinted = (Kind.ORGANIZATION,)

    def plan_organization(self, ctx: OrgContext, planning: Planning) -> None:
        """Create the organization, or update the fields that differ."""
        if ctx.live is None:
            create_organization(ctx, planning.builder)
        else:
            update_organization(ctx, planning.builder)

    def plan_after(self, planning: Planning) -> None:
        """Organizations no file describes: deleted when pruning, else reported."""
        policy = planning.desired.tenant.policy
        for name, other_id in sorted(planning.live.other_organizations.items()):
            if not planning.selected(name):
                continue
            if policy.prune_organizations and name not in policy.protected_organizations:
                delete_organization(planning.builder, name, other_id)
            else:
                planning.builder.unmanaged.append(name)

    def digest(self, key: ObjectKey, live: Snapshot) -> str:
        """Everything read of the organization."""
        return digest_org(live.organizations.get(key.name))

    def existing(self, live: Snapshot) -> int:
        """The organizations read."""
        return len(live.organizations)

    def import_organization(self, importing: OrgImport) -> dict[str, Any]:
        """The name and the fields Auth0 has set."""
        org = importing.org
        data: dict[str, Any] = {"name": org.name}
        if org.display_name:
            data["display_name"] = org.display_name
        if org.branding:
            data["branding"] = org.branding
        if org.metadata:
            data["metadata"] = dict(sorted(org.metadata.items()))
        if org.token_quota is not None:
            data["token_quota"] = org.token_quota
        for name, default in AUTH0_DEFAULTS.items():
            value = getattr(org, name)
            if value is not None and value != default:
                data[name] = value
        return data


ORGANIZATIONS = Organizations()
