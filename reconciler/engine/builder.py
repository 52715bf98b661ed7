"""Accumulates the rows, operations and errors of a plan while the diff walks the state."""

from dataclasses import dataclass, field
from urllib.parse import quote

from reconciler.engine.errors import PlanError
from reconciler.engine.plan import JSON, Action, FieldChange, Operation, Phase, Plan, Row


def ref(kind: str, name: str) -> str:
    """A placeholder for the id of an object the plan creates, e.g. `{org:acme-corp}`."""
    return "{" + f"{kind}:{name}" + "}"


def segment(value: str) -> str:
    """A path segment: ids such as `auth0|123` percent-encoded as the API expects."""
    return quote(value, safe="")


@dataclass
class PlanBuilder:
    """Collects what the diff finds; `build` sorts it into a Plan."""

    rows: list[Row] = field(default_factory=list)
    operations: dict[str, Operation] = field(default_factory=dict)
    errors: list[PlanError] = field(default_factory=list)
    unmanaged: list[str] = field(default_factory=list)
    touched: dict[str, set[str]] = field(default_factory=dict)

    def row(
        self,
        org: str | None,
        action: Action,
        kind: str,
        name: str,
        fields: tuple[FieldChange, ...] = (),
        note: str | None = None,
    ) -> None:
        """Add a row for people to read."""
        self.rows.append(Row(org, action, kind, name, fields, note))

    def call(
        self,
        key: str,
        phase: Phase,
        method: str,
        path: str,
        body: JSON = None,
        *,
        org: str | None = None,
        depends_on: tuple[str | None, ...] = (),
        creates: str | None = None,
    ) -> str:
        """Add one API request and return its key (for others to depend on)."""
        if key in self.operations:
            raise ValueError(f"operation key used twice: {key}")
        deps = tuple(sorted({d for d in depends_on if d is not None}))
        if org is not None:
            self.touch("organization", org)
        self.operations[key] = Operation(key, phase, method, path, body, org, deps, creates)
        return key

    def error(self, message: str, where: str = "") -> None:
        """Record a reason the plan cannot be made."""
        self.errors.append(PlanError(message, where))

    def touch(self, kind: str, name: str) -> None:
        """Note a live object the plan depends on."""
        self.touched.setdefault(kind, set()).add(name)

    def build(self) -> Plan:
        """The plan, with rows grouped by organization and operations in apply order."""
        rows = sorted(
            self.rows,
            key=lambda r: (r.org is not None, r.org or "", _kind_order(r.kind), r.name),
        )
        ops = sorted(self.operations.values(), key=Operation.sort_key)
        touched = {kind: tuple(sorted(names)) for kind, names in sorted(self.touched.items())}
        return Plan(tuple(rows), tuple(ops), tuple(sorted(self.unmanaged)), touched)


_KINDS = ("organization", "role", "connection", "discovery domain", "member", "invitation")


def _kind_order(kind: str) -> int:
    return _KINDS.index(kind) if kind in _KINDS else len(_KINDS)
