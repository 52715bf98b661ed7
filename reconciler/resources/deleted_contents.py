"""What goes with an organization that a plan deletes: its members (with their roles), its
connections, discovery domains, pending invitations, the client grants it is associated
with and the roles it owns. Auth0 removes them with the organization in its one DELETE;
the plan lists each as a `-` row carried out by that call, so the headline counts them and
a reviewer sees who loses access.

They are read only for the organizations a plan deletes (five lists each, a page per 100
items; see docs/performance.md): nothing is read for a plan that deletes nothing.
"""

import asyncio
from collections.abc import Mapping
from dataclasses import replace

from reconciler.engine.identity import OpKey
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import Action, FieldChange, Plan, Row
from reconciler.model.live import LiveOrganization, Snapshot
from reconciler.progress import Progress, ProgressEvent
from reconciler.resources.api_access import grant_name
from reconciler.resources.reads import Reads
from reconciler.resources.registry import RESOURCES, organization_lists
from reconciler.resources.resource import OrgReading
from reconciler.resources.scope import OrgScope

STAGE = "reading what goes with the deleted organizations"
"""The progress stage of these reads."""


def deleted_organizations(plan: Plan, live: Snapshot) -> dict[str, str]:
    """Name -> id of the organizations the plan deletes."""
    return {
        row.name: live.other_organizations[row.name]
        for row in plan.rows
        if row.kind is Kind.ORGANIZATION
        and row.action is Action.DELETE
        and row.name in live.other_organizations
    }


def _everything(name: str) -> OrgScope:
    return OrgScope(
        names=(name,),
        members=True,
        connections=True,
        domains=True,
        emails=(),
        invites=(),
        invitations=True,
        client_grants=True,
        member_links=False,
    )


async def read_contents(
    api: Reads, orgs: Mapping[str, str], progress: Progress | None = None
) -> dict[str, LiveOrganization]:
    """Name -> the organization (by id) with every part a deletion takes with it."""
    found: dict[str, LiveOrganization] = {}

    async def read_one(name: str, org_id: str) -> None:
        scope = _everything(name)
        live = LiveOrganization(id=org_id, name=name)
        reading = OrgReading(api, scope, live, organization_lists(scope))
        await asyncio.gather(*(r.read_organization(reading) for r in RESOURCES))
        found[name] = live
        if progress is not None:
            progress(ProgressEvent(STAGE, len(found), len(orgs)))

    await asyncio.gather(*(read_one(name, org_id) for name, org_id in sorted(orgs.items())))
    return found


def contents_rows(org: LiveOrganization, live: Snapshot) -> tuple[Row, ...]:
    """A `-` row for each part of the organization, carried out by its deletion."""
    delete = (OpKey(org.name, Kind.ORGANIZATION, org.name, Step.DELETE),)
    role_names = {role.id: role.name for role in live.roles.values()}
    role_names.update({role.id: role.name for role in live.org_roles.values()})
    apps = {cid: app.name for cid, app in (live.applications or {}).items()}
    rows = []

    def row(kind: Kind, name: str, fields: tuple[FieldChange, ...] = ()) -> None:
        rows.append(Row(org.name, Action.DELETE, kind, name, fields, operations=delete))

    for member in sorted(org.members or (), key=lambda m: m.email or m.user_id):
        names = sorted(name for _, name in member.roles)
        row(
            Kind.MEMBER,
            member.email or member.user_id,
            (FieldChange("roles", names, None),) if names else (),
        )
    for name in sorted(org.connections or {}):
        row(Kind.CONNECTION, name)
    for domain in sorted(org.domains or {}):
        row(Kind.DISCOVERY_DOMAIN, domain)
    for email, invitation in sorted((org.invitations or {}).items()):
        names = sorted(role_names.get(r, r) for r in invitation.roles)
        row(Kind.INVITATION, email, (FieldChange("roles", names, None),) if names else ())
    grants = sorted(
        grant_name(apps.get(g.client_id, g.client_id), g.audience)
        for g in (org.client_grants or {}).values()
    )
    for grant in grants:
        row(Kind.API_ACCESS, grant)
    for owner, name in sorted(live.org_roles):
        if owner == org.name:
            row(Kind.ROLE, name)
    return tuple(rows)


def with_contents(plan: Plan, contents: Mapping[str, tuple[Row, ...]]) -> Plan:
    """The plan with each deleted organization's row followed by what goes with it, its
    note saying how much."""
    rows: list[Row] = []
    for row in plan.rows:
        deleted = row.action is Action.DELETE and row.kind is Kind.ORGANIZATION
        parts = contents.get(row.name, ()) if deleted else ()
        rows.append(replace(row, note=_note(parts)) if parts else row)
        rows.extend(parts)
    return Plan(tuple(rows), plan.operations, plan.unmanaged_organizations, plan.fingerprinted)


def _note(parts: tuple[Row, ...]) -> str:
    counted: dict[Kind, int] = {}
    for part in parts:
        counted[part.kind] = counted.get(part.kind, 0) + 1
    listed = ", ".join(f"{n} {_plural(kind, n)}" for kind, n in counted.items())
    return f"with {listed}"


def _plural(kind: Kind, n: int) -> str:
    word = "API access" if kind is Kind.API_ACCESS else str(kind)
    if n == 1 or kind is Kind.API_ACCESS:
        return word
    return word + "s"
