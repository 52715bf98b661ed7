"""Applications (tenant-wide, matched by name), the client grants that API access needs, and
each organization's API access and the applications its members may use."""

from typing import Any

from reconciler.engine.app_refs import AppId, Applications, GrantId, ambiguous, created_app
from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey, Ref
from reconciler.engine.kinds import Kind
from reconciler.engine.plan import JSON, Action, FieldChange, PathPart, Phase
from reconciler.engine.references import check_grant_scopes
from reconciler.model.applications import UNORDERED_FIELDS, Application
from reconciler.model.desired import Desired, KeyPath
from reconciler.model.live import LiveApplication, LiveClientGrant, Snapshot

MACHINE_TO_MACHINE = "non_interactive"
ORGANIZATIONS_MAY_USE = frozenset({"allow", "require"})


def grant_name(application: str, api: str) -> str:
    """How rows name a client grant: `Reporting Service -> https://api.example`."""
    return ObjectKey.client_grant(application, api).label


def plan_applications(desired: Desired, live: Snapshot, builder: PlanBuilder) -> Applications:
    """Create or patch, field by field, the applications of applications.yaml; then the client
    grants that every organization's API access needs."""
    apps = Applications(live, declared=frozenset(desired.applications))
    for name, app in sorted(desired.applications.items()):
        found = live.applications_named(name)
        if len(found) > 1:
            builder.error(
                ambiguous(name, [a.client_id for a in found]), desired.where("applications", name)
            )
        elif found:
            apps.planned[name] = _update(builder, name, app, found[0])
        else:
            apps.planned[name] = _create(builder, name, app)
    _plan_grants(desired, live, builder, apps)
    return apps


def _create(builder: PlanBuilder, name: str, app: Application) -> AppId:
    settings = app.settings()
    key = builder.call(
        ENDPOINTS.create_application,
        OpKey(None, Kind.APPLICATION, name, "create"),
        Phase.APPLICATIONS,
        body={"name": name, **settings},
        creates=ObjectKey.application(name),
    )
    builder.touch(ObjectKey.application(name))
    fields = tuple(FieldChange(field, None, value) for field, value in settings.items())
    builder.row(None, Action.CREATE, Kind.APPLICATION, name, fields, operations=(key,))
    return created_app(name, key, app.app_type)


def _update(builder: PlanBuilder, name: str, app: Application, live: LiveApplication) -> AppId:
    changed = {
        field: want
        for field, want in app.settings().items()
        if not _same(field, want, live.settings.get(field))
    }
    app_type = app.app_type or live.app_type
    if not changed:
        return AppId(live.client_id, app_type=app_type)
    key = builder.call(
        ENDPOINTS.update_application,
        OpKey(None, Kind.APPLICATION, name, "update"),
        Phase.APPLICATIONS,
        live.client_id,
        body=changed,
    )
    builder.touch(ObjectKey.application(name))
    fields = tuple(FieldChange(f, live.settings.get(f), want) for f, want in changed.items())
    builder.row(None, Action.UPDATE, Kind.APPLICATION, name, fields, operations=(key,))
    return AppId(live.client_id, app_type=app_type)


def _same(field: str, want: Any, have: Any) -> bool:
    if field in UNORDERED_FIELDS and isinstance(have, list):
        return set(want) == set(have)
    return bool(want == have)


def _plan_grants(
    desired: Desired, live: Snapshot, builder: PlanBuilder, apps: Applications
) -> None:
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
    builder.touch(grant)
    key = builder.call(
        ENDPOINTS.create_client_grant,
        OpKey(None, Kind.CLIENT_GRANT, grant_name(name, api), "create"),
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
    builder.touch(ObjectKey.client_grant(name, current.audience))
    key = builder.call(
        ENDPOINTS.update_client_grant,
        OpKey(None, Kind.CLIENT_GRANT, label, "update"),
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
            ctx.key(Kind.API_ACCESS, label, "add"),
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
            ctx.key(Kind.API_ACCESS, label, "remove"),
            Phase.ORG_LINK_REMOVALS,
            ctx.id,
            grant_id,
        )
        builder.row(ctx.name, Action.DELETE, Kind.API_ACCESS, label, operations=(key,))


def diff_org_applications(ctx: OrgContext, builder: PlanBuilder, apps: Applications) -> None:
    """The applications the organization's members may use: associated in one call, the
    others dissociated in one call; an association not used for member access is updated."""
    wanted = ctx.desired.applications
    if wanted is None:
        return
    have = (ctx.live.applications or {}) if ctx.live else {}
    adding: list[tuple[str, AppId]] = []
    keep: set[PathPart] = set()
    for index, name in enumerate(wanted):
        app = apps.resolve(name)
        if isinstance(app, str):
            builder.error(app, ctx.where("applications", index))
            continue
        if app is None:
            continue
        keep.add(app.id)
        if not isinstance(app.id, str) or app.id not in have:
            adding.append((name, app))
        elif not have[app.id]:
            key = builder.call(
                ENDPOINTS.update_organization_application,
                ctx.key(Kind.APPLICATION, name, "update"),
                Phase.ORG_LINKS,
                ctx.id,
                app.id,
                body={"use_for_member_access": True},
            )
            change = FieldChange("use_for_member_access", False, True)
            builder.row(
                ctx.name, Action.UPDATE, Kind.APPLICATION, name, (change,), operations=(key,)
            )
    if adding:
        entries = [{"client_id": app.id, "use_for_member_access": True} for _, app in adding]
        key = builder.call(
            ENDPOINTS.add_organization_applications,
            ctx.key(Kind.APPLICATIONS, "", "add"),
            Phase.ORG_LINKS,
            ctx.id,
            body={"clients": entries},
            depends_on=(ctx.created_by, *(app.created_by for _, app in adding)),
        )
        for name, _ in adding:
            builder.row(ctx.name, Action.CREATE, Kind.APPLICATION, name, operations=(key,))
    removing = sorted(
        cid for cid, member_access in have.items() if member_access and cid not in keep
    )
    if removing:
        key = builder.call(
            ENDPOINTS.remove_organization_applications,
            ctx.key(Kind.APPLICATIONS, "", "remove"),
            Phase.ORG_LINK_REMOVALS,
            ctx.id,
            body={"clients": removing},
        )
        for client_id in removing:
            builder.row(
                ctx.name,
                Action.DELETE,
                Kind.APPLICATION,
                apps.name_of(client_id),
                operations=(key,),
            )


def invitation_client(ctx: OrgContext) -> AppId:
    """The application invitations are sent for: an application of applications.yaml named
    by `invitations.client_id`, or that client id as written."""
    settings = ctx.desired_state.tenant.invitations
    assert settings is not None
    planned = ctx.applications.planned.get(settings.client_id) if ctx.applications else None
    return planned or AppId(settings.client_id)
