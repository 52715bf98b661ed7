"""What every renderer shows: the plan's rows grouped into sections, and the summary line."""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import groupby

from reconciler.engine.duration import Estimate, lower_bound, operation_groups
from reconciler.engine.kinds import Kind
from reconciler.engine.plan import JSON, Action, FieldChange, Plan, Row
from reconciler.engine.rate_limits import RateGroup
from reconciler.engine.safety import APPROVAL_HINT
from reconciler.model.subscription import Subscription
from reconciler.safe_text import inert


@dataclass(frozen=True)
class PlanView:
    """A plan with the facts around it that renderers show."""

    tenant: str
    target: str
    plan: Plan
    read_calls: int | None
    """Requests the live state took to read (None for a saved plan)."""
    refusals: tuple[str, ...] = ()
    """Why apply would refuse the plan (safety rails), shown as a warning."""
    limits: Subscription | None = None
    """The tenant's subscription, to say how long the reads and the apply take at least."""
    read_groups: Mapping[RateGroup, int] | None = None
    """The reads by endpoint group."""
    approved: tuple[str, ...] = ()
    """Organizations whose deletion is approved (policy.approved_deletions)."""
    waiting: tuple[str, ...] = ()
    """Organizations whose deletion waits for approval: apply leaves it out and fails."""
    origins: Mapping[tuple[str | None, str, str, str | None], str] = field(default_factory=dict)
    """Where rows and fields came from when a base or values gave them (`provenance`)."""

    @property
    def read(self) -> str | None:
        """`live state read in 9 API calls, about 4 s at Free limits` (None: not read)."""
        return read_phrase(self.read_calls, self.read_groups, self.limits)

    def origin(self, row: Row, change: FieldChange | None = None) -> str:
        """`  (from FILE:LINE ...)` after a row or field that has an origin, else nothing."""
        field_name = change.field if change is not None else None
        found = self.origins.get((row.org, str(row.kind), row.name, field_name))
        return f"  ({found})" if found else ""


def read_phrase(
    calls: int | None, groups: Mapping[RateGroup, int] | None, limits: Subscription | None
) -> str | None:
    """How many reads the live state took and, when known, how long they take at least."""
    if calls is None:
        return None
    if groups is None or limits is None:
        return f"live state read in {calls} API calls"
    return f"live state read in {Estimate(calls, lower_bound(groups, limits), limits)}"


def apply_estimate(plan: Plan, limits: Subscription) -> Estimate:
    """The plan's calls and how long they take at least under `limits`."""
    return Estimate.of(operation_groups(plan.operations), limits)


def deletion_lines(view: PlanView) -> list[str]:
    """What the plan says of its organization deletions: approved ones, then waiting ones
    with how to approve them (plain text, names made inert)."""
    lines = []
    if view.approved:
        names = ", ".join(inert(n) for n in view.approved)
        lines.append(f"Deletions approved (policy.approved_deletions): {names}")
    if view.waiting:
        names = ", ".join(inert(n) for n in view.waiting)
        lines.append(
            f"Deletions waiting for approval (apply leaves them out and fails): {names}; "
            f"{APPROVAL_HINT}"
        )
    return lines


@dataclass(frozen=True)
class Section:
    """Rows of one organization, or of the tenant-wide objects (`org` None): roles,
    applications and client grants."""

    org: str | None
    rows: tuple[Row, ...]

    @property
    def title(self) -> str:
        """The heading of the section."""
        if self.org is not None:
            return f"Organization {inert(self.org)}"
        return "Tenant roles" if all(r.kind is Kind.ROLE for r in self.rows) else "Tenant"


def sections(plan: Plan) -> list[Section]:
    """The plan's rows grouped by organization, tenant roles first."""
    return [Section(org, tuple(rows)) for org, rows in groupby(plan.rows, key=lambda r: r.org)]


def counts(rows: tuple[Row, ...]) -> tuple[int, int, int]:
    """Rows that create, change and delete an object."""
    return (
        sum(r.action is Action.CREATE for r in rows),
        sum(r.action is Action.UPDATE for r in rows),
        sum(r.action is Action.DELETE for r in rows),
    )


def summary_line(plan: Plan, limits: Subscription | None = None) -> str:
    """`Plan: 2 to create, 1 to change, 0 to delete; 14 API calls.` or `No changes.`; with
    the tenant's `limits`, how long the calls take at least: `14 API calls, about 4 s at
    Free limits.`"""
    s = plan.summary
    if not s.changes:
        return "No changes."
    calls = "API call" if s.api_calls == 1 else "API calls"
    how_long = f"{s.api_calls} {calls}" if limits is None else str(apply_estimate(plan, limits))
    return f"Plan: {s.create} to create, {s.update} to change, {s.delete} to delete; {how_long}."


def value(v: JSON) -> str:
    """A field value as plan text shows it."""
    return inert(json.dumps(v, ensure_ascii=False))


def field_line(row: Row, change: FieldChange) -> str:
    """`name = value` for new objects, `name: before -> after` for changed ones."""
    name = inert(change.field)
    if row.action is Action.CREATE or change.before is None:
        return f"{name} = {value(change.after)}"
    return f"{name}: {value(change.before)} -> {value(change.after)}"


def row_title(row: Row) -> str:
    """`+ member alice@acme.com` with its note, if any."""
    note = f"  ({inert(row.note)})" if row.note else ""
    return f"{row.action.symbol} {row.kind} {inert(row.name)}{note}"
