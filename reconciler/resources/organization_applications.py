"""The applications an organization's members may use (`applications`): each associated
with the organization, with whether it is for member access; those the file no longer lists
dissociated. At most ten are added in one request."""

from typing import Any

from reconciler.engine.app_refs import AppId, Applications
from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import Action, FieldChange, PathPart, Phase
from reconciler.model.live import Snapshot
from reconciler.resources.reads import PAGE, Reads
from reconciler.resources.resource import OrgReading, Planning, Resource
from reconciler.resources.scope import OrgScope


def organization_applications(items: list[Any]) -> dict[str, bool]:
    """Client id -> whether its organization's members may use it."""
    return {
        str(item.client_id): bool(getattr(item, "use_for_member_access", False))
        for item in items
        if getattr(item, "client_id", None)
    }


async def organization_applications_of(api: Reads, org_id: str, name: str) -> dict[str, bool]:
    """Client id -> whether the organization's members may use it, of its applications."""
    items = await api.pages(
        ENDPOINTS.list_organization_applications,
        lambda _: api.client.organizations.clients.list(org_id, take=PAGE),
        org_id,
        org=name,
    )
    return organization_applications(items)


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
                ctx.key(Kind.APPLICATION, name, Step.UPDATE),
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
            ctx.key(Kind.APPLICATIONS, "", Step.ADD),
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
            ctx.key(Kind.APPLICATIONS, "", Step.REMOVE),
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


class OrganizationApplications(Resource):
    """Each organization's applications."""

    name = "organization applications"
    row_kinds = (Kind.APPLICATION,)

    def organization_lists(self, scope: OrgScope) -> frozenset[Endpoint]:
        """The organization's applications, when its file has `applications`."""
        return frozenset({ENDPOINTS.list_organization_applications} if scope.applications else ())

    async def read_organization(self, reading: OrgReading) -> None:
        """The organization's applications, with whether each is for member access."""
        if ENDPOINTS.list_organization_applications in reading.lists:
            live = reading.live
            live.applications = await organization_applications_of(reading.api, live.id, live.name)

    def plan_organization(self, ctx: OrgContext, planning: Planning) -> None:
        """Associate, update and dissociate the organization's applications."""
        if ctx.applications is not None:
            diff_org_applications(ctx, planning.builder, ctx.applications)

    def existing(self, live: Snapshot) -> int:
        """The organizations' applications read."""
        return sum(len(org.applications or {}) for org in live.organizations.values())


ORGANIZATION_APPLICATIONS = OrganizationApplications()
