"""Renderers of a plan: text, markdown and json, all from one row model; and of drift."""

from reconciler.render.drift import (
    DriftView,
    ScanNote,
    render_drift_json,
    render_drift_markdown,
    render_drift_text,
)
from reconciler.render.json_render import plan_document, render_json
from reconciler.render.markdown import COMMENT_LIMIT, render_markdown
from reconciler.render.text import render_text
from reconciler.render.view import PlanView, summary_line

__all__ = [
    "COMMENT_LIMIT",
    "DriftView",
    "PlanView",
    "ScanNote",
    "plan_document",
    "render_drift_json",
    "render_drift_markdown",
    "render_drift_text",
    "render_json",
    "render_markdown",
    "render_text",
    "summary_line",
]
