"""Organization fields, enabled connections and discovery domains."""

from typing import Any

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey
from reconciler.engine.kinds import Kind
from reconciler.engine.nested import nested_changes
from reconciler.engine.plan import JSON, Action, FieldChange, Phase
from reconciler.model import Connection, Organization
from reconciler.model.live import LiveConnection, LiveOrganization

FLAGS = ("assign_membership_on_login", "show_as_button", "is_signup_enabled")
SCALARS = ("display_name", "token_quota", "third_party_client_access", "is_app_entitlement_active")


def create_key(name: str) -> OpKey:
    """Key of the operation that creates an organization."""
    return OpKey(name, Kind.ORGANIZATION, name, "create")


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
    entries = []
    for conn, live in known_connections(ctx, builder):
        entries.append({"connection_id": live.id, **_flags(conn)})
        _enabled_row(ctx, builder, conn, key)
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
            ctx.key(Kind.ORGANIZATION, desired.name, "update"),
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
        OpKey(name, Kind.ORGANIZATION, name, "delete"),
        Phase.ORG_DELETES,
        org_id,
    )
    builder.row(name, Action.DELETE, Kind.ORGANIZATION, name, operations=(key,))


def diff_connections(ctx: OrgContext, builder: PlanBuilder) -> None:
    """Enable, update flags of, and disable connections of an existing organization."""
    assert ctx.live is not None
    wanted = ctx.desired.connections
    if wanted is None:
        return
    have = ctx.live.connections or {}
    for conn, live in known_connections(ctx, builder):
        current = have.get(conn.name)
        if current is None:
            key = builder.call(
                ENDPOINTS.enable_connection,
                ctx.key(Kind.CONNECTION, conn.name, "add"),
                Phase.ORG_LINKS,
                ctx.id,
                body={"connection_id": live.id, **_flags(conn)},
            )
            _enabled_row(ctx, builder, conn, key)
            continue
        changed = {f: v for f, v in _flags(conn).items() if getattr(current, f) != v}
        if changed:
            key = builder.call(
                ENDPOINTS.update_enabled_connection,
                ctx.key(Kind.CONNECTION, conn.name, "update"),
                Phase.ORG_LINKS,
                ctx.id,
                live.id,
                body=changed,
            )
            builder.row(
                ctx.name,
                Action.UPDATE,
                Kind.CONNECTION,
                conn.name,
                tuple(FieldChange(f, getattr(current, f), v) for f, v in changed.items()),
                operations=(key,),
            )
    names = {c.name for c in wanted}
    for name, current in sorted(have.items()):
        if name in names:
            continue
        key = builder.call(
            ENDPOINTS.disable_connection,
            ctx.key(Kind.CONNECTION, name, "remove"),
            Phase.ORG_LINK_REMOVALS,
            ctx.id,
            current.connection_id,
        )
        builder.row(ctx.name, Action.DELETE, Kind.CONNECTION, current.name, operations=(key,))


def diff_domains(ctx: OrgContext, builder: PlanBuilder) -> None:
    """Discovery domains follow `routing.email_domains` (wildcard entries are for the routing
    Action only: Auth0 discovers organizations by exact domains)."""
    routing = ctx.desired.routing
    wanted = routing.discovery_domains if routing is not None else None
    if wanted is None:
        return
    have = (ctx.live.domains or {}) if ctx.live else {}
    for domain in wanted:
        current = have.get(domain)
        if current is None:
            key = builder.call(
                ENDPOINTS.add_discovery_domain,
                ctx.key(Kind.DISCOVERY_DOMAIN, domain, "add"),
                Phase.ORG_LINKS,
                ctx.id,
                body={"domain": domain, "use_for_organization_discovery": True},
                depends_on=(ctx.created_by,),
            )
            builder.row(
                ctx.name,
                Action.CREATE,
                Kind.DISCOVERY_DOMAIN,
                domain,
                note="verify it by publishing the TXT record Auth0 returns",
                operations=(key,),
            )
        elif not current.use_for_organization_discovery:
            key = builder.call(
                ENDPOINTS.update_discovery_domain,
                ctx.key(Kind.DISCOVERY_DOMAIN, domain, "update"),
                Phase.ORG_LINKS,
                ctx.id,
                current.id,
                body={"use_for_organization_discovery": True},
            )
            builder.row(
                ctx.name,
                Action.UPDATE,
                Kind.DISCOVERY_DOMAIN,
                domain,
                (FieldChange("use_for_organization_discovery", False, True),),
                operations=(key,),
            )
        elif current.status == "pending" and current.verification_txt:
            builder.row(
                ctx.name,
                Action.KEEP,
                Kind.DISCOVERY_DOMAIN,
                domain,
                note=f"pending: publish TXT {current.verification_txt!r} at "
                f"{current.verification_host}",
            )
    for domain, current in sorted(have.items()):
        if domain not in wanted:
            key = builder.call(
                ENDPOINTS.remove_discovery_domain,
                ctx.key(Kind.DISCOVERY_DOMAIN, domain, "remove"),
                Phase.ORG_LINK_REMOVALS,
                ctx.id,
                current.id,
            )
            builder.row(ctx.name, Action.DELETE, Kind.DISCOVERY_DOMAIN, domain, operations=(key,))


def known_connections(
    ctx: OrgContext, builder: PlanBuilder
) -> list[tuple[Connection, LiveConnection]]:
    """The desired connections with the tenant's connection of each name; errors for the rest."""
    found = []
    for index, conn in enumerate(ctx.desired.connections or []):
        live = ctx.snapshot.connections.get(conn.name)
        if live is None:
            builder.error(
                f"unknown connection {conn.name!r}: "
                "no connection of that name exists in the tenant",
                ctx.where("connections", index, "name"),
            )
        else:
            found.append((conn, live))
    return found


def _enabled_row(ctx: OrgContext, builder: PlanBuilder, conn: Connection, key: OpKey) -> None:
    """`+ connection NAME` with the flags the file sets."""
    fields = tuple(FieldChange(f, None, v) for f, v in _flags(conn).items())
    builder.row(ctx.name, Action.CREATE, Kind.CONNECTION, conn.name, fields, operations=(key,))


def _flags(conn: Connection) -> dict[str, bool]:
    return {f: getattr(conn, f) for f in FLAGS if getattr(conn, f) is not None}


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
