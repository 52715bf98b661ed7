"""Enterprise connections the files declare (connections.yaml, or an organization's own
`enterprise_connections`), matched by name: created, patched field by field, enabled for the
applications they list, and deleted only when marked `absent` under
`policy.prune_connections`. Connections the files do not declare are never written.

Auth0 keeps a connection's options as one object that a PATCH replaces whole: a change sends
the options as read with the managed keys replaced, so options the files leave out are kept.
Secrets (`client_secret`) are never read, compared or shown: the request carries the name of
the variable holding the value, read only when it is sent.
"""

import hashlib
from dataclasses import asdict, replace
from typing import Any

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.connection_refs import PlannedConnection
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey, Ref, SecretRef
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import JSON, Action, FieldChange, PathPart, Phase
from reconciler.engine.planfile import ABSENT, digest_of
from reconciler.model.connections import (
    MAX_CLIENTS_PER_CALL,
    SECRET_OPTIONS,
    STRATEGY_OPTIONS,
    EnterpriseConnection,
)
from reconciler.model.live import LiveConnection, Snapshot
from reconciler.resources.reads import PAGE, Reads
from reconciler.resources.resource import Planning, Reading, Resource, Stage
from reconciler.resources.scope import Scope

FIELDS = ("display_name", "show_as_button", "is_domain_connection")
"""A connection's own fields the files may set."""
LISTED_FIELDS = ",".join(("id", "name", "strategy", *FIELDS, "options"))
"""What the listing reads of each connection when the files declare enterprise ones."""
SECRET_NOTE = "client_secret is not compared: Auth0 never returns it"


def live_connection(item: Any) -> LiveConnection | None:
    """A connection as listed, or None without an id or name; options without secrets."""
    if not getattr(item, "id", None) or not getattr(item, "name", None):
        return None
    options = getattr(item, "options", None)
    return LiveConnection(
        str(item.id),
        str(item.name),
        str(getattr(item, "strategy", None) or ""),
        display_name=_text(getattr(item, "display_name", None)),
        show_as_button=_flag(getattr(item, "show_as_button", None)),
        is_domain_connection=_flag(getattr(item, "is_domain_connection", None)),
        options=(
            {k: v for k, v in options.items() if k not in SECRET_OPTIONS}
            if isinstance(options, dict)
            else None
        ),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def desired_options(conn: EnterpriseConnection, files: dict[str, str]) -> dict[str, JSON]:
    """The options the file sets, under Auth0's keys: the certificate as read from its file,
    the secret as the variable that holds it."""
    keys = STRATEGY_OPTIONS[conn.strategy].keys
    found: dict[str, JSON] = {}
    for name, value in conn.options:
        if value is None:
            continue
        if name == "domain_aliases":
            found["domain_aliases"] = list(value)
        elif name == "signing_cert_file":
            found[keys[name]] = files[value]
        elif name == "client_secret_env":
            found[keys[name]] = SecretRef(value)
        else:
            found[keys[name]] = value
    return found


def _shown(key: str, value: JSON) -> JSON:
    """An option as plan rows show it: a certificate by its digest, a secret by its variable."""
    if value is None:
        return None
    if key == "signingCert" and isinstance(value, str):
        return f"certificate sha256:{hashlib.sha256(value.encode()).hexdigest()[:16]}"
    if isinstance(value, SecretRef):
        return str(value)
    return value


def _needs_secret(conn: EnterpriseConnection, have: dict[str, Any]) -> bool:
    """Whether Auth0 holds a client secret for the connection, which a PATCH of its options
    must carry: every strategy that requires one, and a back-channel OIDC connection."""
    required = STRATEGY_OPTIONS[conn.strategy].required
    if all("client_secret_env" in need for need in required):
        return True
    return conn.strategy == "oidc" and "back_channel" in (conn.options.type, have.get("type"))


def _same(key: str, want: JSON, have: JSON) -> bool:
    if key == "domain_aliases" and isinstance(have, list):
        return set(want) == set(have)
    return bool(want == have)


class _Planner:
    """Plans the declared connections of one plan."""

    def __init__(self, planning: Planning) -> None:
        self.planning = planning
        self.builder: PlanBuilder = planning.builder
        self.planned: dict[str, PlannedConnection] = {}

    def plan(self) -> dict[str, PlannedConnection]:
        desired = self.planning.desired
        for name, (owner, conn) in sorted(desired.enterprise_connections().items()):
            where = desired.connection_where(owner, name)
            live = self.planning.live.connections.get(name)
            if conn.absent:
                self.absent(name, live, where)
            elif live is None:
                self.create(name, conn)
            elif live.strategy != conn.strategy:
                self.builder.error(
                    f"connection {name!r} is a {live.strategy or 'connection of another'} "
                    f"connection in Auth0, not {conn.strategy}: a strategy cannot change "
                    "(rename one of them)",
                    desired.connection_where(owner, name, "strategy"),
                )
            else:
                self.update(name, owner, conn, live)
        return self.planned

    def create(self, name: str, conn: EnterpriseConnection) -> None:
        fields = {f: getattr(conn, f) for f in FIELDS if getattr(conn, f) is not None}
        options = desired_options(conn, self.planning.desired.files)
        key = self.builder.call(
            ENDPOINTS.create_connection,
            OpKey(None, Kind.ENTERPRISE_CONNECTION, name, Step.CREATE),
            Phase.APPLICATIONS,
            body={"name": name, "strategy": conn.strategy, **fields, "options": options},
            creates=ObjectKey.connection(name),
        )
        self.builder.fingerprint(ObjectKey.connection(name))
        changes = (
            FieldChange("strategy", None, conn.strategy),
            *(FieldChange(f, None, v) for f, v in fields.items()),
            *(FieldChange(f"options.{k}", None, _shown(k, v)) for k, v in options.items()),
        )
        self.builder.row(
            None,
            Action.CREATE,
            Kind.ENTERPRISE_CONNECTION,
            name,
            changes,
            operations=(key,),
        )
        planned = PlannedConnection(Ref(ObjectKey.connection(name)), conn.strategy, key)
        self.planned[name] = planned
        self.clients(name, conn, planned, frozenset())

    def update(
        self, name: str, owner: str | None, conn: EnterpriseConnection, live: LiveConnection
    ) -> None:
        planned = PlannedConnection(live.id, live.strategy)
        self.planned[name] = planned
        body: dict[str, JSON] = {}
        changes: list[FieldChange] = []
        for field in FIELDS:
            want = getattr(conn, field)
            if want is not None and want != getattr(live, field):
                body[field] = want
                changes.append(FieldChange(field, getattr(live, field), want))
        wanted = desired_options(conn, self.planning.desired.files)
        have = live.options or {}
        differ = {
            k: v
            for k, v in wanted.items()
            if k not in SECRET_OPTIONS and not _same(k, v, have.get(k))
        }
        if differ:
            if _needs_secret(conn, have) and conn.options.client_secret_env is None:
                self.builder.error(
                    f"connection {name!r}: changing its options sends them whole, and Auth0 "
                    "never returns the client secret: set options.client_secret_env to the "
                    "variable that holds it",
                    self.planning.desired.connection_where(owner, name, "options"),
                )
                return
            body["options"] = {**have, **wanted}
            changes += [
                FieldChange(f"options.{k}", _shown(k, have.get(k)), _shown(k, v))
                for k, v in differ.items()
            ]
        note = SECRET_NOTE if "client_secret" in wanted else None
        if body:
            key = self.builder.call(
                ENDPOINTS.update_connection,
                OpKey(None, Kind.ENTERPRISE_CONNECTION, name, Step.UPDATE),
                Phase.APPLICATIONS,
                live.id,
                body=body,
            )
            self.builder.fingerprint(ObjectKey.connection(name))
            self.builder.row(
                None,
                Action.UPDATE,
                Kind.ENTERPRISE_CONNECTION,
                name,
                tuple(changes),
                note=note,
                operations=(key,),
            )
        self.clients(name, conn, planned, live.clients or frozenset(), owner)

    def clients(
        self,
        name: str,
        conn: EnterpriseConnection,
        planned: PlannedConnection,
        have: frozenset[str],
        owner: str | None = None,
    ) -> None:
        """Enable the connection for the applications it lists, and disable it for others."""
        apps = self.planning.applications
        if conn.applications is None or apps is None:
            return
        want: dict[PathPart, tuple[str, OpKey | None]] = {}
        for index, app_name in enumerate(conn.applications):
            found = apps.resolve(app_name)
            if isinstance(found, str):
                self.builder.error(
                    found,
                    self.planning.desired.connection_where(owner, name, "applications", index),
                )
            elif found is not None:
                want[found.id] = (app_name, found.created_by)
        items: list[JSON] = [{"client_id": i, "status": True} for i in want if i not in have]
        items += [{"client_id": i, "status": False} for i in sorted(have) if i not in want]
        if not items:
            return
        depends = (planned.created_by, *(created for _, created in want.values()))
        keys = []
        for start in range(0, len(items), MAX_CLIENTS_PER_CALL):
            part = start // MAX_CLIENTS_PER_CALL
            keys.append(
                self.builder.call(
                    ENDPOINTS.update_connection_clients,
                    OpKey(None, Kind.CONNECTION_CLIENTS, f"{name}#{part}", Step.UPDATE),
                    Phase.APPLICATIONS,
                    planned.id,
                    body=items[start : start + MAX_CLIENTS_PER_CALL],
                    depends_on=depends,
                )
            )
        before = sorted(apps.name_of(i) for i in have)
        after = sorted(app_name for app_name, _ in want.values())
        action = Action.CREATE if not have else Action.UPDATE
        self.builder.row(
            None,
            action,
            Kind.CONNECTION_CLIENTS,
            name,
            (FieldChange("applications", before or None, after),),
            operations=tuple(keys),
        )

    def absent(self, name: str, live: LiveConnection | None, where: str) -> None:
        if live is None:
            return
        if not self.planning.desired.tenant.policy.prune_connections:
            self.builder.error(
                f"connection {name!r} is marked absent: deleting it (and its users) needs "
                "policy.prune_connections: true in tenant.yaml",
                where,
            )
            return
        key = self.builder.call(
            ENDPOINTS.delete_connection,
            OpKey(None, Kind.ENTERPRISE_CONNECTION, name, Step.DELETE),
            Phase.ORG_LINK_REMOVALS,
            live.id,
        )
        self.builder.fingerprint(ObjectKey.connection(name))
        self.builder.row(None, Action.DELETE, Kind.ENTERPRISE_CONNECTION, name, operations=(key,))


async def clients_of(api: Reads, connection_id: str) -> frozenset[str]:
    """The client ids a connection is enabled for."""
    clients = api.client.connections.clients
    items = await api.pages(
        ENDPOINTS.list_connection_clients,
        lambda _: clients.get(connection_id, take=PAGE),
        connection_id,
    )
    return frozenset(str(i.client_id) for i in items if getattr(i, "client_id", None))


def digest_connection(key: ObjectKey, live: Snapshot) -> str:
    """Everything read of the connection of the key's name."""
    found = live.connections.get(key.name)
    return ABSENT if found is None else digest_of(asdict(found))


class EnterpriseConnections(Resource):
    """The enterprise connections the files declare and the applications they are enabled
    for (their organizations' links are the organization connections')."""

    name = "enterprise connections"
    row_kinds = (Kind.ENTERPRISE_CONNECTION, Kind.CONNECTION_CLIENTS)
    fingerprinted = (Kind.ENTERPRISE_CONNECTION,)

    def tenant_lists(self, scope: Scope) -> frozenset[Endpoint]:
        """The connections with their options; the applications of each declared one that
        exists and lists them."""
        if not scope.enterprise_connections:
            return frozenset()
        reads = {ENDPOINTS.list_connections}
        if scope.connection_clients:
            reads.add(ENDPOINTS.list_connection_clients)
        return frozenset(reads)

    async def read(self, stage: Stage, reading: Reading) -> None:
        """The applications of each declared connection that lists them, once the connections
        are known (the listing itself is the organization connections' read)."""
        if stage is not Stage.ORGANIZATIONS:
            return
        connections = reading.snapshot.connections
        declared = reading.scope.enterprise_connections
        for name, conn in list(connections.items()):
            if (
                name not in declared
                and conn.options is not None
                and not reading.scope.adopt_connections
            ):
                connections[name] = replace(conn, options=None)  # never compared nor kept
        for name in sorted(reading.scope.connection_clients):
            found = connections.get(name)
            if found is not None:
                clients = await clients_of(reading.api, found.id)
                connections[name] = replace(found, clients=clients)

    def plan(self, planning: Planning) -> None:
        """The declared connections, and how organizations address them."""
        planning.connections = _Planner(planning).plan()

    def digest(self, key: ObjectKey, live: Snapshot) -> str:
        """The connection of the key's name."""
        return digest_connection(key, live)

    def existing(self, live: Snapshot) -> int:
        """The declared connections that exist (only their options are kept)."""
        return sum(1 for conn in live.connections.values() if conn.options is not None)


ENTERPRISE_CONNECTIONS = EnterpriseConnections()
