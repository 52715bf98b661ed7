"""Accumulates the rows, operations and errors of a plan while the diff walks the state."""

from dataclasses import dataclass, field, replace

from reconciler.engine.endpoint import Endpoint
from reconciler.engine.errors import PlanError
from reconciler.engine.identity import ObjectKey, OpKey
from reconciler.engine.kinds import Kind
from reconciler.engine.plan import (
    JSON,
    Action,
    FieldChange,
    Operation,
    PathPart,
    Phase,
    Plan,
    Row,
    Settle,
)


@dataclass
class PlanBuilder:
    """Collects what the diff finds; `build` sorts it into a Plan."""

    rows: list[Row] = field(default_factory=list)
    operations: dict[OpKey, Operation] = field(default_factory=dict)
    errors: list[PlanError] = field(default_factory=list)
    unmanaged: list[str] = field(default_factory=list)
    touched: set[ObjectKey] = field(default_factory=set)

    def row(
        self,
        org: str | None,
        action: Action,
        kind: Kind,
        name: str,
        fields: tuple[FieldChange, ...] = (),
        note: str | None = None,
        operations: tuple[OpKey | None, ...] = (),
    ) -> None:
        """Add a row for people to read, linked to the operations that carry it out."""
        ops = tuple(dict.fromkeys(k for k in operations if k is not None))
        self.rows.append(Row(org, action, kind, name, fields, note, ops))

    def call(
        self,
        endpoint: Endpoint,
        key: OpKey,
        phase: Phase,
        *params: PathPart,
        body: JSON = None,
        depends_on: tuple[OpKey | None, ...] = (),
        creates: ObjectKey | None = None,
        settle: Settle | None = None,
        batch: str | None = None,
    ) -> OpKey:
        """Add one request to a write `endpoint`, its path parameters filled from `params`,
        and return its key (for others to depend on). `settle` defaults to the endpoint's."""
        if not endpoint.verb.writes:
            raise ValueError(f"a plan only writes: {endpoint}")
        if key in self.operations:
            raise ValueError(f"operation key used twice: {key}")
        deps = tuple(sorted({d for d in depends_on if d is not None}, key=OpKey.sort_key))
        if key.org is not None:
            self.touch(ObjectKey.organization(key.org))
        self.operations[key] = Operation(
            key,
            phase,
            endpoint.verb,
            endpoint.path(*params),
            body,
            deps,
            creates,
            endpoint.settle if settle is None else settle,
            batch,
        )
        return key

    def error(self, message: str, where: str = "") -> None:
        """Record a reason the plan cannot be made."""
        self.errors.append(PlanError(message, where))

    def touch(self, key: ObjectKey) -> None:
        """Note a live object the plan depends on."""
        self.touched.add(key)

    def build(self) -> Plan:
        """The plan, with rows grouped by organization and operations in apply order."""
        rows = sorted(
            self.rows,
            key=lambda r: (r.org is not None, r.org or "", _kind_order(r.kind), r.name),
        )
        ops = sorted(_removals_wait(self.operations).values(), key=Operation.sort_key)
        touched = tuple(sorted(self.touched, key=ObjectKey.sort_key))
        return Plan(tuple(rows), tuple(ops), tuple(sorted(self.unmanaged)), touched)


ADDITIONS = frozenset({"add", "send", "replace", "add permissions"})
REMOVALS = frozenset({"remove", "revoke", "remove permissions"})
PER_NAME = frozenset({Kind.MEMBER_ROLES, Kind.ROLE})
"""Kinds whose additions and removals trade places per object, not across the organization."""


def _removals_wait(operations: dict[OpKey, Operation]) -> dict[OpKey, Operation]:
    """Every removal waits for the additions of its kind in its organization (of its object,
    for PER_NAME kinds). A failed addition then skips the removal, so a change that takes
    several calls never leaves less than the old state grants: at worst old and new together.
    """
    additions: dict[tuple[str | None, str, str], set[OpKey]] = {}
    for key in operations:
        if key.verb in ADDITIONS:
            additions.setdefault(_family(key), set()).add(key)
    ordered = dict(operations)
    for key, op in operations.items():
        waits = additions.get(_family(key), set()) if key.verb in REMOVALS else set()
        if waits - set(op.depends_on):
            deps = sorted(set(op.depends_on) | waits, key=OpKey.sort_key)
            ordered[key] = replace(op, depends_on=tuple(deps))
    return ordered


def _family(key: OpKey) -> tuple[str | None, str, str]:
    return (key.org, key.kind, key.name if key.kind in PER_NAME else "")


_KINDS = (
    Kind.ORGANIZATION,
    Kind.ROLE,
    Kind.ACTION,
    Kind.BINDING,
    Kind.CONNECTION,
    Kind.DISCOVERY_DOMAIN,
    Kind.MEMBER,
    Kind.INVITATION,
)


def _kind_order(kind: Kind) -> int:
    return _KINDS.index(kind) if kind in _KINDS else len(_KINDS)
