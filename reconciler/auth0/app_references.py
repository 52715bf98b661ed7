"""What refers to an application in Auth0: its client grants, the organizations associated
with it and the connections enabled for it. Read only for applications of which Auth0 holds
several copies (see docs/performance.md#duplicate-applications)."""

import asyncio
from collections.abc import Sequence

from reconciler.auth0.reads import SessionReads
from reconciler.auth0.session import Session
from reconciler.engine.duplicate_apps import AppCopy
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.model.live import LiveApplication
from reconciler.resources.applications import applications_of
from reconciler.resources.organization_applications import organization_applications_of
from reconciler.resources.reads import PAGE, Reads


async def read_applications(session: Session) -> dict[str, LiveApplication]:
    """Every application of the tenant (not the global one), by client id."""
    return await applications_of(SessionReads(session))


async def read_copies(session: Session, client_ids: Sequence[str]) -> dict[str, AppCopy]:
    """What refers to each of these applications: a listing of client grants per
    application, every connection and every organization (listed, then read one by one)."""
    api = SessionReads(session)
    grants, connections, organizations = await asyncio.gather(
        asyncio.gather(*(_grant_count(api, cid) for cid in client_ids)),
        _connection_clients(api),
        _organization_clients(api),
    )
    return {
        cid: AppCopy(
            cid,
            client_grants=count,
            organizations=tuple(sorted(o for o, ids in organizations.items() if cid in ids)),
            connections=tuple(sorted(c for c, ids in connections.items() if cid in ids)),
        )
        for cid, count in zip(client_ids, grants, strict=True)
    }


async def _grant_count(api: Reads, client_id: str) -> int:
    items = await api.pages(
        ENDPOINTS.list_client_grants,
        lambda _: api.client.client_grants.list(client_id=client_id, take=PAGE),
    )
    return sum(getattr(item, "client_id", None) == client_id for item in items)


async def _connection_clients(api: Reads) -> dict[str, frozenset[str]]:
    """Connection name -> the applications enabled for it."""
    items = await api.pages(
        ENDPOINTS.list_connections,
        lambda _: api.client.connections.list(
            take=PAGE, fields="id,name", include_fields=True, include_totals=False
        ),
    )
    found = [(str(c.id), str(c.name)) for c in items if c.id and c.name]

    async def enabled(connection_id: str) -> frozenset[str]:
        connection = await api.one(
            ENDPOINTS.get_connection,
            lambda: api.client.connections.get(
                connection_id, fields="enabled_clients", include_fields=True
            ),
            connection_id,
        )
        return frozenset(map(str, getattr(connection, "enabled_clients", None) or ()))

    clients = await asyncio.gather(*(enabled(cid) for cid, _ in found))
    return {name: ids for (_, name), ids in zip(found, clients, strict=True)}


async def _organization_clients(api: Reads) -> dict[str, frozenset[str]]:
    """Organization name -> the applications associated with it."""
    orgs = api.client.organizations
    items = await api.pages(
        ENDPOINTS.list_organizations, lambda _: orgs.list(take=PAGE, include_totals=False)
    )
    found = [(str(o.id), str(o.name)) for o in items if o.id and o.name]
    clients = await asyncio.gather(
        *(organization_applications_of(api, org_id, name) for org_id, name in found)
    )
    return {name: frozenset(ids) for (_, name), ids in zip(found, clients, strict=True)}
