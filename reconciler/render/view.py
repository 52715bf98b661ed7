"""What every renderer shows: the plan's rows and notes grouped into sections, the field
lines of each row, and the summary line."""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from reconciler.engine.duration import Estimate, lower_bound, operation_groups
from reconciler.engine.kinds import Kind
from reconciler.engine.plan import JSON, Action, FieldChange, Plan, Row
from reconciler.engine.rate_limits import RateGroup
from reconciler.engine.safety import APPROVAL_HINT
from reconciler.model.subscription import Subscription
from reconciler.render.counts import Counts, label
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
    notes: tuple[Row, ...] = ()
    """`=` rows for what intentionally does not change (`reconciler.render.notes`)."""

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


TENANT_GROUPS: Mapping[Kind, str] = {
    Kind.ROLE: "Tenant roles",
    Kind.APPLICATION: "Applications",
    Kind.CLIENT_GRANT: "Applications",
    Kind.ENTERPRISE_CONNECTION: "Enterprise connections",
    Kind.CONNECTION_CLIENTS: "Enterprise connections",
    Kind.SSO_PROFILE: "Self-service SSO profiles",
    Kind.ACTION: "Post-login Action",
    Kind.BINDING: "Post-login Action",
}
"""The section a tenant-wide row is shown in, by kind, in the order the sections come."""
_GROUP_ORDER = {title: index for index, title in enumerate(dict.fromkeys(TENANT_GROUPS.values()))}


@dataclass(frozen=True)
class Section:
    """Rows of one organization, or of one group of tenant-wide objects (`org` None): the
    tenant roles, the applications and their client grants, ..."""

    org: str | None
    title: str
    """The heading: `Organization acme-corp`, `Tenant roles`, `Applications`."""
    rows: tuple[Row, ...]


def sections(plan: Plan, notes: tuple[Row, ...] = ()) -> list[Section]:
    """The plan's rows, then the notes, grouped: the tenant-wide groups first, then each
    organization by name."""
    grouped: dict[tuple[str | None, str], list[Row]] = {}
    for row in (*plan.rows, *notes):
        key: tuple[str | None, str]
        if row.org is not None:
            key = (row.org, f"Organization {inert(row.org)}")
        else:
            key = (None, TENANT_GROUPS.get(row.kind, "Tenant"))
        grouped.setdefault(key, []).append(row)
    order = sorted(
        grouped,
        key=lambda k: (k[0] is not None, k[0] or "", _GROUP_ORDER.get(k[1], len(_GROUP_ORDER))),
    )
    return [Section(org, title, tuple(grouped[(org, title)])) for org, title in order]


def is_note(row: Row, notes: tuple[Row, ...] = ()) -> bool:
    """Whether an `=` row says something a reviewer must see: a member no line lists that the
    routing rules keep, or a note of the view (an unmanaged block, a protected organization,
    a rename without previous_names)."""
    return row in notes or (row.action is Action.KEEP and row.kind is Kind.MEMBER)


def shown_sections(view: "PlanView", *, verbose: bool) -> list[Section]:
    """The sections as people read them: the changes and the notes; with `verbose` every `=`
    row too. Sections left without rows are left out."""
    found = []
    for section in sections(view.plan, view.notes):
        rows = tuple(
            r
            for r in section.rows
            if verbose or r.action is not Action.KEEP or is_note(r, view.notes)
        )
        if rows:
            found.append(Section(section.org, section.title, rows))
    return found


def counts(rows: tuple[Row, ...]) -> tuple[int, int, int]:
    """Rows that create, change and delete an object."""
    return (
        sum(r.action is Action.CREATE for r in rows),
        sum(r.action is Action.UPDATE for r in rows),
        sum(r.action is Action.DELETE for r in rows),
    )


def summary_line(plan: Plan, limits: Subscription | None = None) -> str:
    """`Plan: 7 to add, 1 to change, 5 to destroy; 14 API calls.` (objects by kind, an
    organization deleted with what goes with it) or `No changes.`; with the tenant's
    `limits`, how long the calls take at least: `14 API calls, about 4 s at Free limits.`"""
    if not plan.summary.changes:
        return "No changes."
    calls = plan.summary.api_calls
    noun = "API call" if calls == 1 else "API calls"
    how_long = f"{calls} {noun}" if limits is None else str(apply_estimate(plan, limits))
    return f"Plan: {Counts.of(plan.rows).headline}; {how_long}."


def breakdown_line(plan: Plan) -> str:
    """`add 1 organization, 2 members; destroy 1 member` (empty for a plan without
    changes)."""
    return Counts.of(plan.rows).breakdown if plan.summary.changes else ""


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
    return f"{row.action.symbol} {label(row.kind)} {inert(row.name)}{note}"


@dataclass(frozen=True)
class FieldPart:
    """One line of a field as renderers show it: `sign` is `+` (a value or an element
    added), `-` (one removed) or `~` (a value changed in place, `before` -> `after`)."""

    sign: str
    name: str
    text: str
    """The value (`+`/`-`) or `before -> after` (`~`), as plan text shows it."""
    before: str = ""
    after: str = ""
    whole: bool = False
    """The value of a created or deleted object's field (`name = value`), not an element."""


def field_parts(row: Row, change: FieldChange) -> list[FieldPart]:
    """A field's lines: a new object's value; a deleted object's; the elements added to
    and removed from a set-valued field (role permissions, member roles, scopes), one
    each, under the API they are of when grouped by API; else `before -> after`."""
    name = inert(change.field)
    if row.action is Action.CREATE or change.before is None:
        return [FieldPart("+", name, value(change.after), whole=True)]
    if row.action is Action.DELETE:
        return [FieldPart("-", name, value(change.before), whole=True)]
    elements = _set_changes(name, change.before, change.after)
    if elements is not None:
        return elements
    before, after = value(change.before), value(change.after)
    return [FieldPart("~", name, f"{before} -> {after}", before, after)]


def _set_changes(name: str, before: JSON, after: JSON) -> list[FieldPart] | None:
    if _is_set(before) and _is_set(after):
        gone = [v for v in before if v not in after]
        new = [v for v in after if v not in before]
        return [
            *(FieldPart("+", name, value(v)) for v in sorted(new, key=json.dumps)),
            *(FieldPart("-", name, value(v)) for v in sorted(gone, key=json.dumps)),
        ]
    if (
        isinstance(before, dict)
        and isinstance(after, dict)
        and all(_is_set(v) for v in (*before.values(), *after.values()))
    ):
        parts: list[FieldPart] = []
        for key in sorted(set(before) | set(after)):
            inner = _set_changes(f"{name} {inert(key)}", before.get(key, []), after.get(key, []))
            parts.extend(inner or ())
        return parts
    return None


def _is_set(v: JSON) -> bool:
    return isinstance(v, list) and all(isinstance(item, str | int | float) for item in v)


def text_field(part: FieldPart) -> str:
    """`roles: + "admin"`, `name = "Acme"`, `display_name: "A" -> "B"`."""
    if part.whole:
        return f"{part.name} = {part.text}"
    if part.sign == "~":
        return f"{part.name}: {part.text}"
    return f"{part.name}: {part.sign} {part.text}"
