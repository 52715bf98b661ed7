"""Reads one organization: its own fields as found, and of its members (roles inline),
enabled connections, discovery domains, invitations, client grants and applications the
parts its file manages."""

import asyncio
from collections.abc import Awaitable
from typing import Any

from reconciler.auth0 import what_to_read as decide
from reconciler.auth0.paging import PAGE, PageFetch
from reconciler.auth0.parse import (
    enabled_connection,
    live_client_grant,
    live_domain,
    live_invitation,
    live_member,
    live_organization,
    organization_applications,
)
from reconciler.auth0.reads import Reads
from reconciler.auth0.scope import OrgScope
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.model.live import LiveClientGrant, LiveOrganization

MEMBER_FIELDS = "user_id,email,name,roles"


async def read_organization(
    api: Reads, scope: OrgScope, org_id: str, fields: dict[str, Any]
) -> LiveOrganization:
    """The parts of one organization that its file manages, with its own fields."""
    name = fields["name"]
    orgs = api.client.organizations
    lists = decide.organization_lists(scope)

    def listed(endpoint: Endpoint, fetch: PageFetch) -> Awaitable[list[Any] | None]:
        return api.pages(endpoint, fetch, org_id, org=name) if endpoint in lists else nothing()

    members, connections, domains, invitations, grants, applications = await asyncio.gather(
        listed(
            ENDPOINTS.list_members,
            lambda _: orgs.members.list(
                org_id, take=PAGE, fields=MEMBER_FIELDS, include_fields=True, include_totals=False
            ),
        ),
        listed(
            ENDPOINTS.list_enabled_connections,
            lambda page: orgs.enabled_connections.list(org_id, page=page, per_page=PAGE),
        ),
        listed(
            ENDPOINTS.list_discovery_domains,
            lambda _: orgs.discovery_domains.list(org_id, take=PAGE),
        ),
        listed(
            ENDPOINTS.list_invitations,
            lambda page: orgs.invitations.list(org_id, page=page, per_page=PAGE),
        ),
        _org_client_grants(api, org_id, name)
        if ENDPOINTS.list_organization_grants in lists
        else nothing(),
        organization_applications_of(api, org_id, name)
        if ENDPOINTS.list_organization_applications in lists
        else nothing(),
    )
    live = live_organization(org_id, fields)
    live.client_grants = grants
    live.applications = applications
    if members is not None:
        live.members = tuple(live_member(m) for m in members if getattr(m, "user_id", None))
    if connections is not None:
        links = (enabled_connection(item) for item in connections)
        live.connections = {link.name: link for link in links if link is not None}
    if domains is not None:
        found = (live_domain(item) for item in domains)
        live.domains = {domain.domain: domain for domain in found if domain is not None}
    if invitations is not None:
        live.invitations = {}
        for item in invitations:
            invitation = live_invitation(item)
            if invitation is not None:
                live.invitations.setdefault(invitation.email, invitation)
    return live


async def _org_client_grants(api: Reads, org_id: str, name: str) -> dict[str, LiveClientGrant]:
    items = await api.pages(
        ENDPOINTS.list_organization_grants,
        lambda page: api.client.organizations.client_grants.list(org_id, page=page, per_page=PAGE),
        org_id,
        org=name,
    )
    grants = (live_client_grant(item) for item in items)
    return {grant.id: grant for grant in grants if grant is not None}


async def organization_applications_of(api: Reads, org_id: str, name: str) -> dict[str, bool]:
    """Client id -> whether the organization's members may use it, of its applications."""
    items = await api.pages(
        ENDPOINTS.list_organization_applications,
        lambda _: api.client.organizations.clients.list(org_id, take=PAGE),
        org_id,
        org=name,
    )
    return organization_applications(items)


async def nothing() -> None:
    """A read that is not made: what `gather` awaits in its place."""
    return None
