"""Drift: how Auth0 differs from the files, read from a plan the other way round.

A plan says what apply would do to make Auth0 match Git; drift says what changed in Auth0:
an object the plan would create is missing in Auth0, one it would delete was added there, and
a changed field has the file's value in Git and another one in Auth0.
"""

from dataclasses import dataclass
from enum import StrEnum

from reconciler.engine.kinds import Kind
from reconciler.engine.plan import JSON, Action, Plan, Row
from reconciler.model import Policy


class Change(StrEnum):
    """What happened to an object in Auth0, seen from Git."""

    ADDED = "added"
    """In Auth0, not in the files."""
    CHANGED = "changed"
    REMOVED = "removed"
    """In the files, missing in Auth0."""

    @property
    def symbol(self) -> str:
        """`+` added in Auth0, `~` changed there, `-` removed there."""
        return {"added": "+", "changed": "~", "removed": "-"}[self.value]


_CHANGES = {
    Action.DELETE: Change.ADDED,
    Action.UPDATE: Change.CHANGED,
    Action.CREATE: Change.REMOVED,
}


@dataclass(frozen=True)
class DriftField:
    """One field that differs: its value in Git and in Auth0 (None where it has none)."""

    field: str
    git: JSON
    auth0: JSON


@dataclass(frozen=True)
class DriftRow:
    """One object that differs between Auth0 and Git."""

    org: str | None
    change: Change
    kind: Kind
    name: str
    fields: tuple[DriftField, ...] = ()


@dataclass(frozen=True)
class Drift:
    """The objects that differ, and the organizations found in Auth0 that no file describes
    (empty when `policy.unmanaged_organizations` is `ignore`)."""

    rows: tuple[DriftRow, ...]
    unmanaged: tuple[str, ...]
    plan: Plan
    """The plan that would make Auth0 match Git again."""

    @property
    def found(self) -> bool:
        """True when Auth0 differs from Git in anything drift counts."""
        return bool(self.rows or self.unmanaged)


def drift_of(plan: Plan, policy: Policy) -> Drift:
    """Frame a plan of every managed organization (listed, so unmanaged ones are known) as
    drift under the tenant's policy.

    An organization no file describes counts as drift when the policy reports it; when apply
    would delete it (`prune_organizations`), it is drift either way.
    """
    rows = tuple(_drift_row(row) for row in plan.rows if row.action is not Action.KEEP)
    unmanaged = plan.unmanaged_organizations if policy.unmanaged_organizations == "report" else ()
    return Drift(rows, tuple(unmanaged), plan)


def _drift_row(row: Row) -> DriftRow:
    change = _CHANGES[row.action]
    fields: tuple[DriftField, ...] = ()
    if change is Change.CHANGED:
        fields = tuple(DriftField(f.field, f.after, f.before) for f in row.fields)
    return DriftRow(row.org, change, row.kind, row.name, fields)
