"""Drift reports: what changed in Auth0 against Git, as text, Markdown (for an issue) or JSON."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby

from reconciler.engine.drift import Change, Drift, DriftRow
from reconciler.engine.plan import JSON
from reconciler.engine.rate_limits import RateGroup
from reconciler.model.subscription import Subscription
from reconciler.render.markdown import COMMENT_LIMIT, Block, code, compose, details, text
from reconciler.render.view import TENANT_GROUPS, apply_estimate, read_phrase, value
from reconciler.safe_text import inert, redact

_NOTES = {
    Change.ADDED: "in Auth0, not in Git",
    Change.REMOVED: "in Git, missing in Auth0",
    Change.CHANGED: "changed in Auth0",
}


@dataclass(frozen=True)
class ScanNote:
    """How an incremental drift check read the tenant: a sentence for people, facts for
    machines."""

    sentence: str
    facts: dict[str, JSON]


@dataclass(frozen=True)
class DriftView:
    """A drift with the facts around it that renderers show."""

    tenant: str
    target: str
    drift: Drift
    read_calls: int
    scan: ScanNote | None = None
    limits: Subscription | None = None
    """The tenant's subscription, to say how long the reads and the repair take at least."""
    read_groups: Mapping[RateGroup, int] | None = None
    """The reads by endpoint group."""

    @property
    def read(self) -> str:
        """`live state read in 9 API calls, about 4 s at Free limits`."""
        return read_phrase(self.read_calls, self.read_groups, self.limits) or ""


def summary(drift: Drift) -> str:
    """`Drift: 3 objects differ from Git; 1 organization is in no file.` or `No drift.`"""
    if not drift.found:
        return "No drift: Auth0 matches Git."
    parts = []
    if drift.rows:
        objects = "object differs" if len(drift.rows) == 1 else "objects differ"
        parts.append(f"{len(drift.rows)} {objects} from Git")
    if drift.unmanaged:
        orgs = "organization is" if len(drift.unmanaged) == 1 else "organizations are"
        parts.append(f"{len(drift.unmanaged)} {orgs} in Auth0 but in no file")
    return f"Drift: {'; '.join(parts)}."


def _title(row: DriftRow) -> str:
    return f"{row.change.symbol} {row.kind} {inert(row.name)}  ({_NOTES[row.change]})"


def _field(field: str, git: JSON, auth0: JSON) -> str:
    return f"{inert(field)}: {value(git)} in Git, {value(auth0)} in Auth0"


def _sections(drift: Drift) -> list[tuple[str | None, list[DriftRow]]]:
    return [(org, list(rows)) for org, rows in groupby(drift.rows, key=lambda r: r.org)]


def _heading(org: str | None, rows: list[DriftRow]) -> str:
    """`Organization acme-corp`; for tenant-wide rows, their group's title when they are all
    of one group (`Tenant roles`, `Applications`), else `Tenant`."""
    if org is not None:
        return f"Organization {inert(org)}"
    groups = {TENANT_GROUPS.get(row.kind, "Tenant") for row in rows}
    return groups.pop() if len(groups) == 1 else "Tenant"


def _repair(drift: Drift, limits: Subscription | None) -> str:
    calls = drift.plan.summary.api_calls
    if not calls:
        return ""
    noun = "API call" if calls == 1 else "API calls"
    how = f"{calls} {noun}" if limits is None else str(apply_estimate(drift.plan, limits))
    return f"`reconciler apply` would make Auth0 match Git again in {how}."


def _unmanaged(drift: Drift) -> str:
    names = ", ".join(inert(n) for n in drift.unmanaged)
    return f"{names} (import them with reconciler import --org NAME, or delete them in Auth0)"


def render_drift_text(view: DriftView) -> str:
    """The drift as terminal text, ending with the summary line."""
    drift = view.drift
    lines = [
        f"Tenant {inert(view.tenant)} ({inert(view.target)}): {view.read}.",
        *([inert(view.scan.sentence)] if view.scan else []),
        "",
    ]
    for org, rows in _sections(drift):
        lines.append(_heading(org, rows))
        for row in rows:
            lines.append(f"  {_title(row)}")
            lines.extend(f"      {_field(f.field, f.git, f.auth0)}" for f in row.fields)
        lines.append("")
    if drift.unmanaged:
        lines += [f"Organizations in Auth0 but in no file: {_unmanaged(drift)}", ""]
    repair = _repair(drift, view.limits)
    if repair:
        lines += [repair.replace("`", ""), ""]
    lines.append(summary(drift))
    return "\n".join(lines) + "\n"


def render_drift_markdown(view: DriftView, *, limit: int | None = COMMENT_LIMIT) -> str:
    """The drift as an issue body: a table per organization and its rows, collapsible."""
    drift = view.drift
    head = [
        f"### Drift in Auth0 tenant {code(view.tenant)}",
        "",
        f"**{summary(drift)}** (target {code(view.target)}, {view.read})",
        "",
        *([text(view.scan.sentence), ""] if view.scan else []),
    ]
    blocks = []
    for org, rows in _sections(drift):
        count = {c: sum(r.change is c for r in rows) for c in Change}
        label = _heading(org, rows) if org is None else code(org)
        lines = []
        for row in rows:
            title = _title(row)  # `!`, not `~`: GitHub colours `!` lines of a diff block
            lines.append("!" + title[1:] if row.change is Change.CHANGED else title)
            lines.extend(f"!     {_field(f.field, f.git, f.auth0)}" for f in row.fields)
        blocks.append(
            Block(
                f"| {label} | {count[Change.ADDED]} | {count[Change.CHANGED]} | "
                f"{count[Change.REMOVED]} |",
                details(_heading(org, rows), lines),
            )
        )
    tail = []
    if drift.unmanaged:
        names = ", ".join(code(n) for n in drift.unmanaged)
        command = code("reconciler import --org NAME")
        tail += [
            f"Organizations in Auth0 but in no file: {names} (import them with {command}, "
            "or delete them in Auth0).",
            "",
        ]
    repair = _repair(drift, view.limits)
    if repair:
        tail += [repair, ""]
    columns = [
        "| | added in Auth0 | changed in Auth0 | missing in Auth0 |",
        "|:--|--:|--:|--:|",
    ]
    return compose(head, columns, blocks, tail, limit, "report")


def drift_document(view: DriftView) -> dict[str, JSON]:
    """The drift as a JSON-ready dict with stable keys."""
    drift = view.drift
    return {
        "tenant": view.tenant,
        "target": view.target,
        "drift": drift.found,
        "summary": {
            **{change.value: sum(r.change is change for r in drift.rows) for change in Change},
            "unmanaged_organizations": len(drift.unmanaged),
            "api_calls_to_repair": drift.plan.summary.api_calls,
        },
        "read_calls": view.read_calls,
        **({"scan": view.scan.facts} if view.scan else {}),
        "organizations": [
            {
                "name": org,
                "rows": [
                    {
                        "change": row.change.value,
                        "kind": row.kind,
                        "name": row.name,
                        "fields": [
                            {"field": f.field, "git": f.git, "auth0": f.auth0} for f in row.fields
                        ],
                    }
                    for row in rows
                ],
            }
            for org, rows in _sections(drift)
        ],
        "unmanaged_organizations": list(drift.unmanaged),
    }


def render_drift_json(view: DriftView) -> str:
    """The drift as indented JSON text, every secret the process holds redacted."""
    return redact(json.dumps(drift_document(view), indent=2, ensure_ascii=False)) + "\n"
