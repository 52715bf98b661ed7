"""Whether a saved plan may be applied or shown: made for these files and this target, of
objects unchanged since it was made, and exactly what planning again gives now."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from reconciler.engine.plan import Operation, Phase, Plan, Row
from reconciler.engine.planfile import SavedPlan, canonical, canonical_row
from reconciler.model.live import Snapshot
from reconciler.resources.fingerprints import stale_objects

T = TypeVar("T")


class PlanRefused(Exception):
    """A saved plan that may not be applied here or now (other target, stale, selection)."""


def check_binding(saved: SavedPlan, *, tenant: str, target: str, files: str | None) -> None:
    """Refuse a plan made for another tenant, other files (`files`: their digest, None when
    not known) or another target (`target`: its label)."""
    if saved.tenant != tenant:
        raise PlanRefused(f"the plan was made for tenant {saved.tenant}, not {tenant}")
    if saved.target != target:
        raise PlanRefused(f"the plan was made for {saved.target}, not {target}")
    if files is not None and saved.files != files:
        raise PlanRefused(
            "the plan was made from other files (they changed since, or this is another "
            f"directory of tenant {saved.tenant}); plan again"
        )


def part_of(plan: Plan, only: frozenset[str] | None) -> Plan:
    """The part of a saved plan for the organizations `only` (None: all of it); refused when
    it has no changes for one of them."""
    if only is None:
        return plan
    missing = sorted(only - {op.org for op in plan.operations})
    if missing:
        raise PlanRefused(
            f"the plan has no changes for {', '.join(missing)}; plan again with --org"
        )
    return plan.only(only)


def to_replan(plan: Plan, *, rows: bool) -> tuple[frozenset[str], bool]:
    """The organizations to plan again for `plan` (a saved plan or part of it), with `rows`
    those of its rows and the unmanaged ones it names too, and whether they must be listed
    (when it deletes organizations or names unmanaged ones)."""
    orgs = frozenset(op.org for op in plan.operations if op.org is not None)
    unmanaged = frozenset(plan.unmanaged_organizations if rows else ())
    if rows:
        orgs |= {row.org for row in plan.rows if row.org is not None} | unmanaged
    deletes = any(op.phase is Phase.ORG_DELETES for op in plan.operations)
    return orgs, deletes or bool(unmanaged)


def check_fresh(saved: SavedPlan, plan: Plan, live: Snapshot, fresh: Plan) -> None:
    """Refuse `plan` (the saved plan or part of it) when an object it depends on changed
    since in `live` or its operations differ from `fresh`, the plan made again now."""
    fingerprints = {k: v for k, v in saved.fingerprints.items() if k in plan.fingerprinted}
    changed = stale_objects(replace(saved, fingerprints=fingerprints), live)
    if changed:
        raise PlanRefused(
            f"the plan is stale: {', '.join(changed)} changed since it was made; plan again"
        )
    difference = first_difference(plan.operations, fresh.operations)
    if difference is not None:
        raise PlanRefused(f"the plan does not match the files and Auth0: {difference}")


def check_rows(saved: Plan, fresh: Plan) -> None:
    """Refuse a saved plan whose rows (or the unmanaged organizations it names) differ from
    those of `fresh`, the plan made again now."""
    difference = first_row_difference(saved, fresh)
    if difference is not None:
        raise PlanRefused(f"the plan does not match the files and Auth0: {difference}")


def _first_unmatched(
    saved: Sequence[T], fresh: Sequence[T], canon: Callable[[T], str]
) -> tuple[bool, T] | None:
    """`(True, item)` for the first saved item planning again does not give, else
    `(False, item)` for the first new one it gives; None when both give the same."""
    now = {canon(item) for item in fresh}
    for item in saved:
        if canon(item) not in now:
            return True, item
    then = {canon(item) for item in saved}
    for item in fresh:
        if canon(item) not in then:
            return False, item
    return None


def first_difference(saved: tuple[Operation, ...], fresh: tuple[Operation, ...]) -> str | None:
    """How a saved plan's operations differ from what planning again gives, or None."""
    found = _first_unmatched(saved, fresh, canonical)
    if found is None:
        return None
    gone, op = found
    why = "is not what they call for now" if gone else "would be needed too"
    return f"{op.method} {op.path_text} ({op.key}) {why}"


def first_row_difference(saved: Plan, fresh: Plan) -> str | None:
    """How a saved plan's rows (and the unmanaged organizations it names) differ from what
    planning again gives, or None."""
    found = _first_unmatched(saved.rows, fresh.rows, canonical_row)
    if found is not None:
        gone, row = found
        return f"{_row_label(row)} {'is not what they give now' if gone else 'is missing'}"
    for name in saved.unmanaged_organizations:
        if name not in fresh.unmanaged_organizations:
            return f"the unmanaged organization {name} is not in Auth0"
    return None


def _row_label(row: Row) -> str:
    where = f"{row.org}: " if row.org is not None else ""
    return f"the row {where}{row.action.symbol} {row.kind} {row.name}"
