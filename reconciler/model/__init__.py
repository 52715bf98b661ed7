"""Pydantic models shared by the desired state (YAML) and the live state (Auth0)."""

from reconciler.model.applications import ApiAccess, Application, ApplicationsFile
from reconciler.model.organization import Branding, Colours, Connection, Member, Organization
from reconciler.model.roles import Role, RolesFile
from reconciler.model.routing import AttributeRule, Routing
from reconciler.model.tenant import (
    ActionSettings,
    Claims,
    Credentials,
    Invitations,
    Policy,
    RateLimit,
    Tenant,
)

__all__ = [
    "ActionSettings",
    "ApiAccess",
    "Application",
    "ApplicationsFile",
    "AttributeRule",
    "Branding",
    "Claims",
    "Colours",
    "Connection",
    "Credentials",
    "Invitations",
    "Member",
    "Organization",
    "Policy",
    "RateLimit",
    "Role",
    "RolesFile",
    "Routing",
    "Tenant",
]
