"""The plan and its vocabulary: rows, operations, phases, the endpoint table; no HTTP here."""

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
]
