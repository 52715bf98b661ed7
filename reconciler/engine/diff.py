"""diff(desired, live) -> Plan: the smallest set of API calls that makes Auth0 match the files."""

from reconciler.collection import paused_collection
from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.diff_action import diff_action
from reconciler.engine.diff_apps import diff_api_access, diff_org_applications, plan_applications
from reconciler.engine.diff_members import diff_members
from reconciler.engine.diff_orgs import (
    create_key,
    create_organization,
    delete_organization,
    diff_connections,
    diff_domains,
    update_organization,
)
from reconciler.engine.diff_roles import RoleTarget, delete_role, diff_role
from reconciler.engine.errors import PlanErrors
from reconciler.engine.plan import Plan
from reconciler.engine.references import check_references
from reconciler.model.desired import Desired
from reconciler.model.live import LiveOrganization, Snapshot

DEFAULT_MEMBER_BATCH = 10


def diff(
    desired: Desired,
    live: Snapshot,
    *,
    only: frozenset[str] | None = None,
    member_batch: int = DEFAULT_MEMBER_BATCH,
) -> Plan:
    """Plan the calls that make `live` match `desired`.

    `only` limits the plan to those organizations (tenant roles, applications, the client
    grants of every organization's API access and the post-login Action, which routes to every
    organization, are always planned); an organization no file describes is pruned or reported
    only when `only` allows its name.
    Raises PlanErrors naming every file and place that cannot be planned.
    """
    with paused_collection():
        return _diff(desired, live, only, member_batch)


def _diff(desired: Desired, live: Snapshot, only: frozenset[str] | None, member_batch: int) -> Plan:
    builder = PlanBuilder()
    check_references(
        desired,
        live,
        (org for name, org in desired.organizations.items() if only is None or name in only),
        builder,
    )
    for name, role in sorted(desired.roles.items()):
        diff_role(builder, name, role, live.roles.get(name), RoleTarget())
    apps = plan_applications(desired, live, builder)
    for name, org in sorted(desired.organizations.items()):
        if only is not None and name not in only:
            continue
        current = _find_live(desired, live, name, builder)
        ctx = OrgContext(
            desired_state=desired,
            snapshot=live,
            desired=org,
            live=current,
            created_by=None if current else create_key(name),
            applications=apps,
        )
        _diff_organization(ctx, builder, member_batch)
    diff_action(builder, desired, live.post_login)
    policy = desired.tenant.policy
    for name, other_id in sorted(live.other_organizations.items()):
        if only is not None and name not in only:
            continue
        if policy.prune_organizations and name not in policy.protected_organizations:
            delete_organization(builder, name, other_id)
        else:
            builder.unmanaged.append(name)
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


def _diff_organization(ctx: OrgContext, builder: PlanBuilder, member_batch: int) -> None:
    if ctx.live is None:
        create_organization(ctx, builder)
    else:
        update_organization(ctx, builder)
        diff_connections(ctx, builder)
    target = RoleTarget(ctx.name, ctx.id, ctx.created_by)
    own = ctx.desired.roles
    for name, role in sorted((own or {}).items()):
        diff_role(builder, name, role, ctx.snapshot.org_roles.get((ctx.name, name)), target)
    diff_domains(ctx, builder)
    if ctx.applications is not None:
        diff_api_access(ctx, builder, ctx.applications)
        diff_org_applications(ctx, builder, ctx.applications)
    diff_members(ctx, builder, member_batch)
    if own is not None:
        for (owner, name), live_role in sorted(ctx.snapshot.org_roles.items()):
            if owner == ctx.name and name not in own:
                delete_role(builder, name, live_role, ctx.name)
