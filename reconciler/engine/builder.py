"""Accumulates the rows, operations and errors of a plan while the diff walks the state."""

from dataclasses import dataclass, field

from reconciler.engine.errors import PlanError
from reconciler.engine.identity import ObjectKey, OpKey
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
        kind: str,
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
        key: OpKey,
        phase: Phase,
        method: str,
        path: tuple[PathPart, ...],
        body: JSON = None,
        *,
        depends_on: tuple[OpKey | None, ...] = (),
        creates: ObjectKey | None = None,
        settle: Settle = Settle.REPEAT,
    ) -> OpKey:
        """Add one API request and return its key (for others to depend on)."""
        if key in self.operations:
            raise ValueError(f"operation key used twice: {key}")
        deps = tuple(sorted({d for d in depends_on if d is not None}, key=OpKey.sort_key))
        if key.org is not None:
            self.touch(ObjectKey.organization(key.org))
        self.operations[key] = Operation(key, phase, method, path, body, deps, creates, settle)
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
        ops = sorted(self.operations.values(), key=Operation.sort_key)
        touched = tuple(sorted(self.touched, key=ObjectKey.sort_key))
        return Plan(tuple(rows), tuple(ops), tuple(sorted(self.unmanaged)), touched)


_KINDS = ("organization", "role", "connection", "discovery domain", "member", "invitation")


def _kind_order(kind: str) -> int:
    return _KINDS.index(kind) if kind in _KINDS else len(_KINDS)
