"""APIs (resource servers), read only to check what the plan would add: the permissions a
role is to be given and the scopes of client grants that are missing or lack one, ten
identifiers a request. A no-op plan reads none."""

import asyncio
from typing import Any

from reconciler.engine.endpoints import ENDPOINTS
from reconciler.model.live import Snapshot
from reconciler.resources.reads import PAGE
from reconciler.resources.resource import Reading, Resource, Stage
from reconciler.resources.scope import Scope

IDENTIFIERS_PER_CALL = 10
"""GET /resource-servers filters by at most ten identifiers a request."""


def api_scopes(items: list[Any]) -> dict[str, frozenset[str]]:
    """API identifier -> the scopes it defines."""
    return {
        server.identifier: frozenset(item.value for item in server.scopes or [] if item.value)
        for server in items
        if server.identifier
    }


def apis_to_check(scope: Scope, snapshot: Snapshot) -> list[list[str]]:
    """The APIs of permissions a role is to be given and of grants that are missing or lack
    a scope, ten identifiers a request; none when nothing is to be added."""
    adding: set[str] = set()
    for (owner, name), pairs in scope.permissions.items():
        live = snapshot.org_roles.get((owner, name)) if owner else snapshot.roles.get(name)
        have = (live.permissions or frozenset()) if live is not None else frozenset()
        adding.update(api for api, _ in pairs - have)
    for (name, api), scopes in scope.grants.items():
        apps = snapshot.applications_named(name)
        if len(apps) > 1:
            continue
        grant = snapshot.client_grants.get((apps[0].client_id, api)) if apps else None
        if grant is None or scopes - set(grant.scope):
            adding.add(api)
    names = sorted(adding)
    return [names[i : i + IDENTIFIERS_PER_CALL] for i in range(0, len(names), IDENTIFIERS_PER_CALL)]


class Apis(Resource):
    """The APIs that permissions and grant scopes refer to."""

    name = "APIs"

    async def read(self, stage: Stage, reading: Reading) -> None:
        """Once roles' permissions and client grants are known: the APIs of what they lack."""
        if stage is not Stage.MEMBERS_KNOWN:
            return
        chunks = apis_to_check(reading.scope, reading.snapshot)
        if not chunks:
            return
        api = reading.api
        servers = api.client.resource_servers

        async def read(chunk: list[str]) -> list[Any]:
            return await api.pages(
                ENDPOINTS.list_apis,
                lambda page: servers.list(identifiers=chunk, page=page, per_page=PAGE),
            )

        reading.snapshot.apis = {}
        for items in await asyncio.gather(*(read(chunk) for chunk in chunks)):
            reading.snapshot.apis.update(api_scopes(items))


APIS = Apis()
