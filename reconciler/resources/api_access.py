"""API access: one client grant per (application, API) that some organization's `api_access`
lists, with the listed scopes and organizations allowed to use it; each organization
associated with the grants it lists and dissociated from the others (the grants stay). The
grants of the applications API access names are read, one listing per application."""

import asyncio
from typing import Any

from reconciler.engine.app_refs import AppId, Applications, GrantId
from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey, Ref
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import JSON, Action, FieldChange, Phase
from reconciler.engine.references import check_grant_scopes
from reconciler.model.desired import Desired, KeyPath
from reconciler.model.live import LiveClientGrant, Snapshot
from reconciler.resources.applications import digest_application
from reconciler.resources.reads import PAGE
from reconciler.resources.resource import OrgReading, Planning, Reading, Resource, Stage
from reconciler.resources.scope import OrgScope, Scope

MACHINE_TO_MACHINE = "non_interactive"


ORGANIZATIONS_MAY_USE = frozenset({"allow", "require"})


def live_client_grant(item: Any) -> LiveClientGrant | None:
    """A client grant, or None when Auth0's answer lacks its id, application or API."""
    grant_id, client_id = getattr(item, "id", None), getattr(item, "client_id", None)
    audience = getattr(item, "audience", None)
    if not grant_id or not client_id or not audience:
        return None
    usage = getattr(item, "organization_usage", None)
    return LiveClientGrant(
        str(grant_id),
        str(client_id),
        str(audience),
        tuple(str(s) for s in getattr(item, "scope", None) or []),
        str(usage) if usage is not None else None,
    )


def grant_applications(scope: Scope, snapshot: Snapshot) -> list[str]:
    """The client ids of the applications API access names (those that exist once)."""
    names = sorted({name for name, _ in scope.grants})
    found = [snapshot.applications_named(name) for name in names]
    return [apps[0].client_id for apps in found if len(apps) == 1]


def grant_name(application: str, api: str) -> str:
    """How rows name a client grant: `Reporting Service -> https://api.example`."""
    return ObjectKey.client_grant(application, api).label


def plan_grants(desired: Desired, live: Snapshot, builder: PlanBuilder, apps: Applications) -> None:
    """One client grant per (application, API) that API access lists, in whichever
    organization file: it exists with the listed scopes, and organizations may use it."""
    first: dict[tuple[str, str], tuple[list[str], KeyPath]] = {}
    for org_name, org in sorted(desired.organizations.items()):
        for index, entry in enumerate(org.api_access or []):
            path: KeyPath = ("organizations", org_name, "api_access", index)
            first.setdefault((entry.application, entry.api), (entry.scopes, path))
    for (name, api), (scopes, path) in sorted(first.items()):
        app = _machine_to_machine(desired, apps, builder, name, path)
        if app is None:
            continue
        current = live.client_grants.get((app.id, api)) if isinstance(app.id, str) else None
        have = frozenset(current.scope) if current is not None else frozenset()
        if not check_grant_scopes(desired, live.apis, api, scopes, have, path, builder):
            continue
        if current is None:
            apps.grants[name, api] = _create_grant(builder, name, api, scopes, app)
        else:
            apps.grants[name, api] = _update_grant(builder, name, scopes, current)


def _machine_to_machine(
    desired: Desired, apps: Applications, builder: PlanBuilder, name: str, path: KeyPath
) -> AppId | None:
    found = apps.resolve(name)
    if isinstance(found, str):
        builder.error(found, desired.where(*path, "application"))
        return None
    if found is not None and found.app_type not in (None, MACHINE_TO_MACHINE):
        builder.error(
            f"API access is for machine-to-machine applications (app_type non_interactive); "
            f"{name!r} is {found.app_type}",
            desired.where(*path, "application"),
        )
        return None
    return found


def _create_grant(
    builder: PlanBuilder, name: str, api: str, scopes: list[str], app: AppId
) -> GrantId:
    grant = ObjectKey.client_grant(name, api)
    builder.fingerprint(grant)
    key = builder.call(
        ENDPOINTS.create_client_grant,
        OpKey(None, Kind.CLIENT_GRANT, grant_name(name, api), Step.CREATE),
        Phase.APPLICATIONS,
        body={"client_id": app.id, "audience": api, "scope": scopes, "organization_usage": "allow"},
        depends_on=(app.created_by,),
        creates=grant,
    )
    fields = (FieldChange("scope", None, scopes), FieldChange("organization_usage", None, "allow"))
    builder.row(
        None, Action.CREATE, Kind.CLIENT_GRANT, grant_name(name, api), fields, operations=(key,)
    )
    return GrantId(Ref(grant), key)


def _update_grant(
    builder: PlanBuilder, name: str, scopes: list[str], current: LiveClientGrant
) -> GrantId:
    body: dict[str, JSON] = {}
    fields = []
    if set(scopes) != set(current.scope):
        body["scope"] = scopes
        fields.append(FieldChange("scope", sorted(current.scope), sorted(scopes)))
    if current.organization_usage not in ORGANIZATIONS_MAY_USE:
        body["organization_usage"] = "allow"
        fields.append(FieldChange("organization_usage", current.organization_usage, "allow"))
    if not body:
        return GrantId(current.id)
    label = grant_name(name, current.audience)
    builder.fingerprint(ObjectKey.client_grant(name, current.audience))
    key = builder.call(
        ENDPOINTS.update_client_grant,
        OpKey(None, Kind.CLIENT_GRANT, label, Step.UPDATE),
        Phase.APPLICATIONS,
        current.id,
        body=body,
    )
    builder.row(None, Action.UPDATE, Kind.CLIENT_GRANT, label, tuple(fields), operations=(key,))
    return GrantId(current.id, key if "organization_usage" in body else None)


def diff_api_access(ctx: OrgContext, builder: PlanBuilder, apps: Applications) -> None:
    """Associate the organization with the client grant of each API access entry; dissociate
    the grants it no longer lists (the grants themselves stay)."""
    wanted = ctx.desired.api_access
    if wanted is None:
        return
    have = (ctx.live.client_grants or {}) if ctx.live else {}
    keep: set[str] = set()
    for entry in wanted:
        grant = apps.grants.get((entry.application, entry.api))
        if grant is None:
            continue  # reported where the grant is planned
        if isinstance(grant.id, str):
            keep.add(grant.id)
            if grant.id in have:
                continue
        label = grant_name(entry.application, entry.api)
        key = builder.call(
            ENDPOINTS.add_organization_grant,
            ctx.key(Kind.API_ACCESS, label, Step.ADD),
            Phase.ORG_LINKS,
            ctx.id,
            body={"grant_id": grant.id},
            depends_on=(ctx.created_by, grant.written_by),
        )
        fields = (FieldChange("scopes", None, entry.scopes),)
        builder.row(ctx.name, Action.CREATE, Kind.API_ACCESS, label, fields, operations=(key,))
    for grant_id, current in sorted(have.items()):
        if grant_id in keep:
            continue
        label = grant_name(apps.name_of(current.client_id), current.audience)
        key = builder.call(
            ENDPOINTS.remove_organization_grant,
            ctx.key(Kind.API_ACCESS, label, Step.REMOVE),
            Phase.ORG_LINK_REMOVALS,
            ctx.id,
            grant_id,
        )
        builder.row(ctx.name, Action.DELETE, Kind.API_ACCESS, label, operations=(key,))


async def _read_grants(reading: Reading) -> None:
    api, snapshot = reading.api, reading.snapshot

    async def read(client_id: str) -> None:
        items = await api.pages(
            ENDPOINTS.list_client_grants,
            lambda _: api.client.client_grants.list(client_id=client_id, take=PAGE),
        )
        for item in items:
            grant = live_client_grant(item)
            if grant is not None:
                snapshot.client_grants[grant.client_id, grant.audience] = grant

    await asyncio.gather(*(read(cid) for cid in grant_applications(reading.scope, snapshot)))


class ApiAccess(Resource):
    """Client grants and the organizations associated with them."""

    name = "API access"
    row_kinds = (Kind.CLIENT_GRANT, Kind.API_ACCESS)
    fingerprinted = (Kind.CLIENT_GRANT,)

    def organization_lists(self, scope: OrgScope) -> frozenset[Endpoint]:
        """The organization's client grants, when its file has `api_access`."""
        return frozenset({ENDPOINTS.list_organization_grants} if scope.client_grants else ())

    async def read(self, stage: Stage, reading: Reading) -> None:
        """The grants of the named applications, once the applications are known."""
        if stage is Stage.ORGANIZATIONS:
            await _read_grants(reading)

    async def read_organization(self, reading: OrgReading) -> None:
        """The client grants the organization is associated with."""
        if ENDPOINTS.list_organization_grants not in reading.lists:
            return
        grants = reading.api.client.organizations.client_grants
        items = await reading.pages(
            ENDPOINTS.list_organization_grants,
            lambda page: grants.list(reading.live.id, page=page, per_page=PAGE),
        )
        found = (live_client_grant(item) for item in items)
        reading.live.client_grants = {g.id: g for g in found if g is not None}

    def plan(self, planning: Planning) -> None:
        """The client grants every organization's API access needs."""
        assert planning.applications is not None, "applications are planned first"
        plan_grants(planning.desired, planning.live, planning.builder, planning.applications)

    def plan_organization(self, ctx: OrgContext, planning: Planning) -> None:
        """The organization's associations with client grants."""
        if ctx.applications is not None:
            diff_api_access(ctx, planning.builder, ctx.applications)

    def digest(self, key: ObjectKey, live: Snapshot) -> str:
        """Each application's grant for the key's API."""
        return digest_application(key, live)

    def existing(self, live: Snapshot) -> int:
        """The organizations' associations read."""
        return sum(len(org.client_grants or {}) for org in live.organizations.values())


API_ACCESS = ApiAccess()
