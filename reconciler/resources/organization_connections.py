"""The connections enabled for an organization and their flags: enabled inline when the
organization is created, else one call per link added, changed or removed. The tenant's
connections are listed (id, name, strategy) when a file names one or lists members, whose
connection a routing rule may name; an organization's own enterprise connections are linked to
it as if listed."""

from difflib import get_close_matches
from typing import Any

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.connection_refs import PlannedConnection
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import OpKey
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import JSON, Action, FieldChange, Phase
from reconciler.engine.scopes import AnswerLacksScope
from reconciler.model import Connection, Organization
from reconciler.model.live import LiveEnabledConnection, Snapshot
from reconciler.resources.connection_import import adoptable, adopted, ignored
from reconciler.resources.enterprise_connections import LISTED_FIELDS, live_connection
from reconciler.resources.importing import OrgImport
from reconciler.resources.reads import PAGE
from reconciler.resources.resource import OrgReading, Planning, Reading, Resource, Stage
from reconciler.resources.scope import OrgScope, Scope

OPTIONS_SCOPE = "read:connections_options"
FLAGS = ("assign_membership_on_login", "show_as_button", "is_signup_enabled")
LINK_DEFAULTS = {
    "assign_membership_on_login": False,
    "show_as_button": True,
    "is_signup_enabled": False,
}
"""The flags Auth0 gives a link made without them: import leaves these out."""
DATABASE = "auth0"
"""The strategy of database connections, the only ones Auth0 lets organizations sign up on."""


def enabled_connection(item: Any) -> LiveEnabledConnection | None:
    """A connection link of an organization, flags as Auth0 defaults them when missing."""
    connection_id = getattr(item, "connection_id", None)
    if not connection_id:
        return None
    connection = getattr(item, "connection", None)
    name = getattr(connection, "name", None) or connection_id
    return LiveEnabledConnection(
        connection_id=str(connection_id),
        name=str(name),
        assign_membership_on_login=bool(getattr(item, "assign_membership_on_login", False)),
        show_as_button=getattr(item, "show_as_button", None) is not False,
        is_signup_enabled=bool(getattr(item, "is_signup_enabled", False)),
    )


def connection_entries(ctx: OrgContext, builder: PlanBuilder, create: OpKey) -> list[JSON]:
    """The `enabled_connections` of the organization's create call, with their rows."""
    entries: list[JSON] = []
    for conn, found in known_connections(ctx, builder):
        entries.append({"connection_id": found.id, **_flags(conn)})
        _enabled_row(ctx, builder, conn, create)
    return entries


def wanted_links(org: Organization) -> list[Connection]:
    """The links the file asks for: its `connections`, then its own enterprise connections
    (each linked with the flags of its `link`)."""
    own = [
        Connection(name=name, **conn.link.model_dump(exclude_none=True))
        for name, conn in sorted((org.enterprise_connections or {}).items())
        if not conn.absent
    ]
    return [*(org.connections or []), *own]


def diff_connections(ctx: OrgContext, builder: PlanBuilder) -> None:
    """Enable, update flags of, and disable connections of an existing organization."""
    assert ctx.live is not None
    wanted = wanted_links(ctx.desired)
    if not wanted and ctx.desired.connections is None:
        return
    have = ctx.live.connections or {}
    for conn, found in known_connections(ctx, builder):
        current = have.get(conn.name)
        if current is None:
            key = builder.call(
                ENDPOINTS.enable_connection,
                ctx.key(Kind.CONNECTION, conn.name, Step.ADD),
                Phase.ORG_LINKS,
                ctx.id,
                body={"connection_id": found.id, **_flags(conn)},
                depends_on=(found.created_by,),
            )
            _enabled_row(ctx, builder, conn, key)
            continue
        changed = {f: v for f, v in _flags(conn).items() if getattr(current, f) != v}
        if changed:
            key = builder.call(
                ENDPOINTS.update_enabled_connection,
                ctx.key(Kind.CONNECTION, conn.name, Step.UPDATE),
                Phase.ORG_LINKS,
                ctx.id,
                found.id,
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
    ignoring = ctx.desired_state.tenant.policy.ignored_connections
    for name, current in sorted(have.items()):
        if name in names or ctx.desired.connections is None or ignored(name, ignoring):
            continue
        key = builder.call(
            ENDPOINTS.disable_connection,
            ctx.key(Kind.CONNECTION, name, Step.REMOVE),
            Phase.ORG_LINK_REMOVALS,
            ctx.id,
            current.connection_id,
        )
        builder.row(ctx.name, Action.DELETE, Kind.CONNECTION, current.name, operations=(key,))


def known_connections(
    ctx: OrgContext, builder: PlanBuilder
) -> list[tuple[Connection, PlannedConnection]]:
    """The desired links with the connection of each name (declared, or the tenant's);
    errors for the rest."""
    found = []
    for index, conn in enumerate(wanted_links(ctx.desired)):
        live = ctx.connections.get(conn.name) or _as_planned(ctx.snapshot, conn.name)
        if live is None:
            close = get_close_matches(conn.name, list(ctx.snapshot.connections), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            builder.error(
                f"unknown connection {conn.name!r}: "
                f"no connection of that name exists in the tenant{hint}",
                ctx.where("connections", index, "name"),
            )
        elif conn.is_signup_enabled and live.strategy != DATABASE:
            builder.error(
                f"is_signup_enabled: true needs a database connection; {conn.name!r} is "
                f"{live.strategy or 'of another strategy'} (Auth0 refuses signup on it)",
                ctx.where("connections", index, "is_signup_enabled"),
            )
        else:
            found.append((conn, live))
    return found


def _as_planned(snapshot: Snapshot, name: str) -> PlannedConnection | None:
    live = snapshot.connections.get(name)
    return PlannedConnection(live.id, live.strategy) if live is not None else None


def _enabled_row(ctx: OrgContext, builder: PlanBuilder, conn: Connection, key: OpKey) -> None:
    """`+ connection NAME` with the flags the file sets."""
    fields = tuple(FieldChange(f, None, v) for f, v in _flags(conn).items())
    builder.row(ctx.name, Action.CREATE, Kind.CONNECTION, conn.name, fields, operations=(key,))


def _flags(conn: Connection) -> dict[str, bool]:
    return {f: getattr(conn, f) for f in FLAGS if getattr(conn, f) is not None}


class OrganizationConnections(Resource):
    """The connections enabled for each organization."""

    name = "organization connections"
    row_kinds = (Kind.CONNECTION,)
    row_rank = 4

    def tenant_lists(self, scope: Scope) -> frozenset[Endpoint]:
        """The tenant's connections, by name (with their options when the files declare
        enterprise connections)."""
        return frozenset({ENDPOINTS.list_connections} if scope.needs_connections else ())

    def organization_lists(self, scope: OrgScope) -> frozenset[Endpoint]:
        """The organization's links: for its connections, and for its members (a rule may
        name the connection they log in with)."""
        wanted = scope.connections or (scope.members and scope.member_links)
        return frozenset({ENDPOINTS.list_enabled_connections} if wanted else ())

    async def read(self, stage: Stage, reading: Reading) -> None:
        """The tenant's connections, with the organizations' listing; with enterprise
        connections declared, their options too (AnswerLacksScope when Auth0 leaves them
        out)."""
        if stage is not Stage.TENANT or not reading.scope.needs_connections:
            return
        api = reading.api
        declared = bool(reading.scope.enterprise_connections) or reading.scope.adopt_connections
        fields = LISTED_FIELDS if declared else "id,name,strategy"
        items = await api.pages(
            ENDPOINTS.list_connections,
            lambda _: api.client.connections.list(
                take=PAGE, fields=fields, include_fields=True, include_totals=False
            ),
        )
        if declared and any(getattr(item, "options", None) is None for item in items):
            raise AnswerLacksScope(
                ENDPOINTS.list_connections.call(), "the connections' options", OPTIONS_SCOPE
            )
        found = (live_connection(item) for item in items)
        reading.snapshot.connections = {c.name: c for c in found if c is not None}

    async def read_organization(self, reading: OrgReading) -> None:
        """The organization's enabled connections."""
        if ENDPOINTS.list_enabled_connections not in reading.lists:
            return
        links = reading.api.client.organizations.enabled_connections
        items = await reading.pages(
            ENDPOINTS.list_enabled_connections,
            lambda page: links.list(reading.live.id, page=page, per_page=PAGE),
        )
        found = (enabled_connection(item) for item in items)
        reading.live.connections = {link.name: link for link in found if link is not None}

    def plan_organization(self, ctx: OrgContext, planning: Planning) -> None:
        """The links of an existing organization (a new one has them inline)."""
        if ctx.live is not None:
            diff_connections(ctx, planning.builder)

    def existing(self, live: Snapshot) -> int:
        """The links read."""
        return sum(len(org.connections or {}) for org in live.organizations.values())

    def import_organization(self, importing: OrgImport) -> dict[str, Any]:
        """Every link with the flags that differ from Auth0's defaults (not those tenant.yaml
        ignores); with adoption, the enterprise connections no file declares as the
        organization's own."""
        links = importing.org.connections or {}
        patterns = importing.desired.tenant.policy.ignored_connections
        listed, own = [], {}
        for name, link in sorted(links.items()):
            if ignored(name, patterns):
                continue
            conn = adoptable(importing, link)
            entry = adopted(importing, conn, link) if conn is not None else None
            if entry is not None:
                own[name] = entry
            else:
                listed.append(_entry(name, link))
        data: dict[str, Any] = {"connections": listed} if listed else {}
        return {**data, "enterprise_connections": own} if own else data


def _entry(name: str, link: LiveEnabledConnection) -> dict[str, Any]:
    """A link as a file holds it: only the flags that differ from a new link's."""
    entry: dict[str, Any] = {"name": name}
    for flag in FLAGS:
        value = getattr(link, flag)
        if value != LINK_DEFAULTS[flag]:
            entry[flag] = value
    return entry


ORGANIZATION_CONNECTIONS = OrganizationConnections()
