"""diff(desired, live) -> Plan: the smallest set of API calls that makes Auth0 match the
files, planned by every registered resource in turn."""

from reconciler.collection import paused_collection
from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.errors import PlanErrors
from reconciler.engine.plan import Plan
from reconciler.engine.references import check_references
from reconciler.model.desired import Desired
from reconciler.model.live import LiveOrganization, Snapshot
from reconciler.resources.organizations import create_key
from reconciler.resources.registry import RESOURCES, ROW_RANKS
from reconciler.resources.resource import Planning, Resource

DEFAULT_MEMBER_BATCH = 10


def diff(
    desired: Desired,
    live: Snapshot,
    *,
    only: frozenset[str] | None = None,
    member_batch: int = DEFAULT_MEMBER_BATCH,
    resources: tuple[Resource, ...] = RESOURCES,
) -> Plan:
    """Plan the calls that make `live` match `desired`.

    `only` limits the plan to those organizations (tenant roles, applications, the client
    grants of every organization's API access and the post-login Action, which routes to every
    organization, are always planned); an organization no file describes is pruned or reported
    only when `only` allows its name.
    `resources` limits what is planned to those kinds (the verification after an apply plans
    only members again).
    Raises PlanErrors naming every file and place that cannot be planned.
    """
    planning = Planning(PlanBuilder(row_ranks=ROW_RANKS), desired, live, only, member_batch)
    with paused_collection():
        return _diff(planning, resources)


def _diff(planning: Planning, resources: tuple[Resource, ...]) -> Plan:
    builder, desired, live = planning.builder, planning.desired, planning.live
    selected = [org for name, org in desired.organizations.items() if planning.selected(name)]
    check_references(desired, live, selected, builder)
    for resource in resources:
        resource.plan(planning)
    for name, org in sorted(desired.organizations.items()):
        if not planning.selected(name):
            continue
        current = _find_live(desired, live, name, builder)
        ctx = OrgContext(
            desired_state=desired,
            snapshot=live,
            desired=org,
            live=current,
            created_by=None if current else create_key(name),
            applications=planning.applications,
            connections=planning.connections,
        )
        for resource in resources:
            resource.plan_organization(ctx, planning)
    for resource in resources:
        resource.plan_after(planning)
    if builder.errors:
        raise PlanErrors(builder.errors)
    return builder.build()


def _find_live(
    desired: Desired, live: Snapshot, name: str, builder: PlanBuilder
) -> LiveOrganization | None:
    """The live organization of this name, or of one of its previous names (a rename)."""
    current = live.organizations.get(name)
    for old in desired.organizations[name].previous_names or []:
        renamed = live.organizations.get(old)
        if renamed is None:
            continue
        if current is not None:
            builder.error(
                f"previous name {old!r} and name {name!r} both exist in Auth0; "
                "delete one of them or drop the previous name",
                desired.where("organizations", name, "previous_names"),
            )
        else:
            current = renamed
    return current
