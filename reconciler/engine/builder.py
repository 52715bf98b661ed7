"""Accumulates the rows, operations and errors of a plan while the diff walks the state."""

from collections.abc import Mapping
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
    fingerprinted: set[ObjectKey] = field(default_factory=set)
    row_ranks: Mapping[Kind, int] = field(default_factory=dict)
    """Kind -> place of its rows within an organization; kinds it lacks go last."""

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
            self.fingerprint(ObjectKey.organization(key.org))
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

    def fingerprint(self, key: ObjectKey) -> None:
        """Note a live object the plan depends on: a saved plan keeps its digest."""
        self.fingerprinted.add(key)

    def _rank(self, kind: Kind) -> int:
        return self.row_ranks.get(kind, len(self.row_ranks))

    def build(self) -> Plan:
        """The plan, with rows grouped by organization and operations in apply order."""
        rows = sorted(
            self.rows,
            key=lambda r: (r.org is not None, r.org or "", self._rank(r.kind), r.name),
        )
        ops = sorted(_removals_wait(self.operations).values(), key=Operation.sort_key)
        fingerprinted = tuple(sorted(self.fingerprinted, key=ObjectKey.sort_key))
        return Plan(tuple(rows), tuple(ops), tuple(sorted(self.unmanaged)), fingerprinted)


PER_NAME = frozenset({Kind.MEMBER_ROLES, Kind.ROLE})
"""Kinds whose additions and removals trade places per object, not across the organization."""


def _removals_wait(operations: dict[OpKey, Operation]) -> dict[OpKey, Operation]:
    """Every removal waits for the additions of its kind in its organization (of its object,
    for PER_NAME kinds). A failed addition then skips the removal, so a change that takes
    several calls never leaves less than the old state grants: at worst old and new together.
    """
    additions: dict[tuple[str | None, str, str], set[OpKey]] = {}
    for key in operations:
        if key.verb.adds:
            additions.setdefault(_family(key), set()).add(key)
    ordered = dict(operations)
    for key, op in operations.items():
        waits = additions.get(_family(key), set()) if key.verb.removes else set()
        if waits - set(op.depends_on):
            deps = sorted(set(op.depends_on) | waits, key=OpKey.sort_key)
            ordered[key] = replace(op, depends_on=tuple(deps))
    return ordered


def _family(key: OpKey) -> tuple[str | None, str, str]:
    return (key.org, key.kind, key.name if key.kind in PER_NAME else "")
