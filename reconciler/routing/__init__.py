"""Routing rules: who lands in which organization at login, and the post-login Action that
applies them."""

from reconciler.routing.action import ActionDefinition, action_definition
from reconciler.routing.evaluate import Decision, Outcome, evaluate, route
from reconciler.routing.explain import explain_route, listed_memberships
from reconciler.routing.login import Login
from reconciler.routing.table import RoutingTable, routing_table

__all__ = [
    "ActionDefinition",
    "Decision",
    "Login",
    "Outcome",
    "RoutingTable",
    "action_definition",
    "evaluate",
    "explain_route",
    "listed_memberships",
    "route",
    "routing_table",
]
