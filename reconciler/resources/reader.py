"""Reads the live state of what the desired state manages, with the fewest requests
(docs/performance.md): the organizations (listed, or looked up by name), then every
resource's reads stage by stage, each organization's parts alongside the second stage."""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from reconciler.model.live import Snapshot
from reconciler.progress import Progress, ProgressEvent
from reconciler.resources.organizations import Found, found_organizations, live_organization
from reconciler.resources.reads import Reads
from reconciler.resources.registry import RESOURCES, organization_lists
from reconciler.resources.resource import OrgReading, Reading, Stage
from reconciler.resources.scope import OrgScope, Scope
from reconciler.resources.what_to_read import organizations_to_read

Arrival = Callable[[str], Awaitable[tuple[str, dict[str, Any]] | None]]
"""When an organization may be read, and its id and fields then (None: it is not read)."""


async def read_live(
    api: Reads,
    scope: Scope,
    progress: Progress | None = None,
    found: Found | None = None,
    arrival: Arrival | None = None,
) -> Snapshot:
    """Read what `scope` covers into a Snapshot; `progress` hears of each organization read
    and each user looked up.

    `found` gives the organizations when they are known already (by id, with the fields that
    were read), instead of listing them or looking them up by name; with `arrival`, each of
    them is read once `arrival` gives its id and fields, so that reading one need not wait
    for the others to be written.
    """
    reading = Reading(api, scope, Snapshot(), progress=progress)
    orgs, *_ = await asyncio.gather(
        _known(found) if found is not None else found_organizations(api, scope),
        *_stage(Stage.TENANT, reading),
    )
    snapshot = reading.snapshot
    reading.org_names = {org_id: name for name, (org_id, _) in orgs.items() if org_id}
    if scope.list_all:
        snapshot.organizations_listed = len(orgs)
        snapshot.other_organizations = {
            name: org_id for name, (org_id, _) in orgs.items() if name not in scope.known
        }
    todo = organizations_to_read(scope, orgs)
    done = 0

    async def read_one(org_scope: OrgScope, name: str) -> None:
        nonlocal done
        if arrival is not None:
            arrived = await arrival(name)
            if arrived is None:
                return
            orgs[name] = arrived
            reading.org_names[arrived[0]] = name
        live = live_organization(*orgs[name])
        org = OrgReading(api, org_scope, live, organization_lists(org_scope))
        await asyncio.gather(*(r.read_organization(org) for r in RESOURCES))
        snapshot.organizations[live.name] = live
        done += 1
        if progress is not None:
            progress(ProgressEvent("reading organizations", done, len(todo)))

    await asyncio.gather(
        *_stage(Stage.ORGANIZATIONS, reading), *(read_one(s, name) for s, name in todo)
    )
    await asyncio.gather(*_stage(Stage.MEMBERS_KNOWN, reading))
    await asyncio.gather(*_stage(Stage.LAST, reading))
    return snapshot


def _stage(stage: Stage, reading: Reading) -> list[Coroutine[Any, Any, None]]:
    return [resource.read(stage, reading) for resource in RESOURCES]


async def _known(found: Found) -> Found:
    return found
