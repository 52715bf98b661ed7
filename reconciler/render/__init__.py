"""Renderers of a plan: text, markdown and json, all from one row model."""

from reconciler.render.json_render import plan_document, render_json
from reconciler.render.markdown import render_markdown
from reconciler.render.text import render_text
from reconciler.render.view import PlanView, summary_line

__all__ = [
    "PlanView",
    "plan_document",
    "render_json",
    "render_markdown",
    "render_text",
    "summary_line",
]
