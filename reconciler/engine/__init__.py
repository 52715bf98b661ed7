"""Diff and plan: pure functions of the desired and live state; no HTTP here."""

from reconciler.engine.diff import diff
from reconciler.engine.errors import PlanError, PlanErrors
from reconciler.engine.plan import Action, FieldChange, Operation, Phase, Plan, Row, Summary

__all__ = [
    "Action",
    "FieldChange",
    "Operation",
    "Phase",
    "Plan",
    "PlanError",
    "PlanErrors",
    "Row",
    "Summary",
    "diff",
]
