"""JSON for machines, with stable keys."""

import json

from reconciler.engine.plan import JSON, display_body
from reconciler.render.counts import Counts
from reconciler.render.view import PlanView, is_note, sections
from reconciler.safe_text import redact


def plan_document(view: PlanView) -> dict[str, JSON]:
    """The plan as a JSON-ready dict: tenant, target, summary (objects to create, update and
    delete, in all and by kind, and API calls), read_calls, rows, the notes (what
    intentionally does not change), operations, what the safety rails refuse and the
    deletions approved or waiting."""
    return {
        "tenant": view.tenant,
        "target": view.target,
        "summary": {
            **Counts.of(view.plan.rows).document(),
            "api_calls": view.plan.summary.api_calls,
        },
        "read_calls": view.read_calls,
        "organizations": [
            {
                "name": section.org,
                "title": section.title,
                "rows": [
                    {
                        "action": row.action.value,
                        "kind": row.kind,
                        "name": row.name,
                        "note": row.note,
                        "fields": [
                            {"field": c.field, "before": c.before, "after": c.after}
                            for c in row.fields
                        ],
                    }
                    for row in section.rows
                ],
            }
            for section in sections(view.plan)
        ],
        "notes": [
            {"org": row.org, "kind": row.kind, "name": row.name, "note": row.note}
            for section in sections(view.plan, view.notes)
            for row in section.rows
            if is_note(row, view.notes)
        ],
        "unmanaged_organizations": list(view.plan.unmanaged_organizations),
        "operations": [
            {
                "method": op.method,
                "path": op.path_text,
                "body": display_body(op.body),
                "org": op.org,
            }
            for op in view.plan.operations
        ],
        "refusals": list(view.refusals),
        "deletions": {"approved": list(view.approved), "waiting": list(view.waiting)},
    }


def render_json(view: PlanView) -> str:
    """The plan as indented JSON text, every secret the process holds redacted."""
    return redact(json.dumps(plan_document(view), indent=2, ensure_ascii=False)) + "\n"
