"""The API areas of the sandbox, one module each: its routes and its store operations."""

from __future__ import annotations

from ..router import RouteTable
from . import (
    actions,
    client_grants,
    clients,
    connection_clients,
    connections,
    discovery_domains,
    invitations,
    logs,
    members,
    org_client_grants,
    org_clients,
    org_connections,
    organizations,
    resource_servers,
    roles,
    self_service_profiles,
    users,
)

ROUTE_TABLES: tuple[RouteTable, ...] = (
    organizations.routes,
    members.routes,
    org_connections.routes,
    org_client_grants.routes,
    org_clients.routes,
    discovery_domains.routes,
    invitations.routes,
    roles.routes,
    users.routes,
    connections.routes,
    connection_clients.routes,
    clients.routes,
    client_grants.routes,
    resource_servers.routes,
    logs.routes,
    actions.routes,
    self_service_profiles.routes,
)
"""Every area's routes, in the order the router tries them."""
