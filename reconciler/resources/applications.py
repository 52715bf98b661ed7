"""Applications of applications.yaml, tenant-wide and matched by name: created, or patched
field by field (their secrets are never read). Listed, with the managed fields only, when
applications.yaml, API access or an organization's applications need them."""

from dataclasses import asdict
from typing import Any

from reconciler.engine.app_refs import AppId, Applications, ambiguous, created_app
from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import Action, FieldChange, Phase
from reconciler.engine.planfile import ABSENT, digest_of
from reconciler.model.applications import (
    AUTH0_DEFAULTS,
    MANAGED_FIELDS,
    UNORDERED_FIELDS,
    Application,
)
from reconciler.model.desired import Desired
from reconciler.model.live import LiveApplication, Snapshot
from reconciler.resources.reads import PAGE, Reads
from reconciler.resources.resource import Planning, Reading, Resource, Stage
from reconciler.resources.scope import Scope

CLIENT_FIELDS = ",".join(("client_id", "name", *MANAGED_FIELDS))
"""The fields of an application that are read: never its secret."""


def live_application(item: Any) -> LiveApplication | None:
    """An application's managed settings as Auth0 returns them, or None without an id."""
    client_id, name = getattr(item, "client_id", None), getattr(item, "name", None)
    if not client_id or name is None:
        return None
    settings = {}
    for field in MANAGED_FIELDS:
        value = getattr(item, field, None)
        if value is not None:
            settings[field] = list(value) if isinstance(value, list) else value
    return LiveApplication(str(client_id), str(name), settings)


async def applications_of(api: Reads) -> dict[str, LiveApplication]:
    """Every application of the tenant (not the global one), with the managed fields only."""
    items = await api.pages(
        ENDPOINTS.list_applications,
        lambda page: api.client.clients.list(
            fields=CLIENT_FIELDS, include_fields=True, is_global=False, page=page, per_page=PAGE
        ),
    )
    apps = (live_application(item) for item in items)
    return {app.client_id: app for app in apps if app is not None}


def plan_applications(desired: Desired, live: Snapshot, builder: PlanBuilder) -> Applications:
    """Create or patch, field by field, the applications of applications.yaml."""
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
    return apps


def _create(builder: PlanBuilder, name: str, app: Application) -> AppId:
    settings = app.settings()
    key = builder.call(
        ENDPOINTS.create_application,
        OpKey(None, Kind.APPLICATION, name, Step.CREATE),
        Phase.APPLICATIONS,
        body={"name": name, **settings},
        creates=ObjectKey.application(name),
    )
    builder.fingerprint(ObjectKey.application(name))
    fields = tuple(FieldChange(field, None, value) for field, value in settings.items())
    builder.row(None, Action.CREATE, Kind.APPLICATION, name, fields, operations=(key,))
    return created_app(name, key, app.app_type)


def _update(builder: PlanBuilder, name: str, app: Application, live: LiveApplication) -> AppId:
    changed = {
        field: want
        for field, want in app.settings().items()
        if not _same(field, want, live_setting(live, field))
    }
    app_type = app.app_type or live.app_type
    if not changed:
        return AppId(live.client_id, app_type=app_type)
    key = builder.call(
        ENDPOINTS.update_application,
        OpKey(None, Kind.APPLICATION, name, Step.UPDATE),
        Phase.APPLICATIONS,
        live.client_id,
        body=changed,
    )
    builder.fingerprint(ObjectKey.application(name))
    fields = tuple(FieldChange(f, live_setting(live, f), want) for f, want in changed.items())
    builder.row(None, Action.UPDATE, Kind.APPLICATION, name, fields, operations=(key,))
    return AppId(live.client_id, app_type=app_type)


def live_setting(live: LiveApplication, field: str) -> Any:
    """A managed field of the application as Auth0 has it: its default when the answer
    leaves it out."""
    return live.settings.get(field, AUTH0_DEFAULTS.get(field))


def _same(field: str, want: Any, have: Any) -> bool:
    if field in UNORDERED_FIELDS and isinstance(have, list):
        return set(want) == set(have)
    return bool(want == have)


def invitation_client(ctx: OrgContext) -> AppId:
    """The application invitations are sent for: an application of applications.yaml named
    by `invitations.client_id`, or that client id as written."""
    settings = ctx.desired_state.tenant.invitations
    assert settings is not None
    planned = ctx.applications.planned.get(settings.client_id) if ctx.applications else None
    return planned or AppId(settings.client_id)


def digest_application(key: ObjectKey, live: Snapshot) -> str:
    """A digest of the applications of the key's name (the files match them by name) and, for
    a client grant, of each one's grant for the key's API."""
    found = sorted(live.applications_named(key.name), key=lambda app: app.client_id)
    if not found:
        return ABSENT
    if key.kind is Kind.APPLICATION:
        return digest_of([asdict(app) for app in found])
    grants = [live.client_grants.get((app.client_id, key.audience or "")) for app in found]
    if not any(grants):
        return ABSENT
    return digest_of([asdict(grant) if grant else None for grant in grants])


class TenantApplications(Resource):
    """The applications of applications.yaml."""

    name = "applications"
    row_kinds = (Kind.APPLICATION,)
    fingerprinted = (Kind.APPLICATION,)

    def tenant_lists(self, scope: Scope) -> frozenset[Endpoint]:
        """The tenant's applications, when anything the files manage names one."""
        return frozenset({ENDPOINTS.list_applications} if scope.applications else ())

    async def read(self, stage: Stage, reading: Reading) -> None:
        """The applications, with the organizations' listing."""
        if stage is Stage.TENANT and self.tenant_lists(reading.scope):
            reading.snapshot.applications = await applications_of(reading.api)

    def plan(self, planning: Planning) -> None:
        """The applications, and how the rest of the plan addresses them."""
        planning.applications = plan_applications(planning.desired, planning.live, planning.builder)

    def digest(self, key: ObjectKey, live: Snapshot) -> str:
        """The applications of the key's name."""
        return digest_application(key, live)


APPLICATIONS = TenantApplications()
