"""Members and their roles, reconciled as set arithmetic on user ids: added and removed in
batches, their roles assigned and removed per member. Members that Auth0 admits on login
(auto-membership, an email domain a rule routes here) are kept; under `members: exact` the
others are removed. Invitations and user look-ups are resources of their own."""

from typing import Any

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import Action, FieldChange, Phase
from reconciler.model import Member
from reconciler.model.live import LiveMember, Snapshot
from reconciler.resources.importing import OrgImport, is_email
from reconciler.resources.invitations import invitation_entries, invite, revoke_unlisted_invitations
from reconciler.resources.reads import PAGE
from reconciler.resources.resource import OrgReading, Planning, Resource
from reconciler.resources.roles import RoleIds, resolve_roles
from reconciler.resources.scope import OrgScope
from reconciler.routing.admission import admission_reason, is_blocked

MEMBER_FIELDS = "user_id,email,name,roles"


def live_member(item: Any) -> LiveMember:
    """A member with its direct roles; any email, name or role Auth0 holds is accepted."""
    roles = tuple(
        (str(role.id), str(role.name or role.id))
        for role in getattr(item, "roles", None) or []
        if getattr(role, "id", None)
    )
    email = getattr(item, "email", None)
    name = getattr(item, "name", None)
    return LiveMember(
        user_id=str(item.user_id),
        email=str(email) if email else None,
        name=str(name) if name else None,
        roles=roles,
    )


def diff_members(ctx: OrgContext, builder: PlanBuilder, batch_size: int) -> None:
    """Add, keep, invite and remove members and change their roles."""
    wanted = ctx.desired.members
    if wanted is None:
        return
    live_members = (ctx.live.members or ()) if ctx.live else ()
    by_id = {m.user_id: m for m in live_members}
    by_email: dict[str, LiveMember] | None = None  # when a member is given by email
    matched: set[str] = set()
    to_add: list[tuple[str, Member, RoleIds | None]] = []
    resolved: dict[tuple[str, ...], tuple[RoleIds, frozenset[Any]]] = {}
    """Role lists resolved without an error, and their ids: members share a few lists."""
    held: dict[tuple[tuple[str, str], ...], frozenset[str]] = {}
    """The ids of the live members' roles, by their (id, name) pairs, shared in turn."""
    for index, member in enumerate(wanted):
        if member.absent:
            continue
        roles = ids = None
        if member.roles is not None:
            listed = tuple(member.roles)
            found = resolved.get(listed)
            if found is None:
                roles = resolve_roles(ctx, builder, member.roles, index)
                ids = frozenset(roles.ids)
                if len(roles.ids) == len(listed):
                    resolved[listed] = (roles, ids)
            else:
                roles, ids = found
        if member.user_id:
            current = by_id.get(member.user_id)
        else:
            if by_email is None:
                by_email = {m.email.lower(): m for m in live_members if m.email}
            current = by_email.get(member.key)
        if current is not None:
            matched.add(current.user_id)
            if roles is not None:
                have = held.get(current.roles)
                if have is None:
                    have = held[current.roles] = frozenset(i for i, _ in current.roles)
                if have != ids:
                    _change_roles(ctx, builder, current, roles)
            continue
        user_id = member.user_id or ctx.snapshot.users_by_email.get(member.key)
        if user_id is not None:
            to_add.append((user_id, member, roles))
        elif member.invite:
            invite(ctx, builder, member, roles, index)
        else:
            builder.error(
                f"no Auth0 user has the email {member.email!r}; add `invite: true` to invite them",
                ctx.where("members", index, "email"),
            )
    _add(ctx, builder, to_add, batch_size)
    _remove_unlisted(
        ctx, builder, [m for m in live_members if m.user_id not in matched], batch_size
    )
    revoke_unlisted_invitations(ctx, builder, wanted)


def _add(
    ctx: OrgContext,
    builder: PlanBuilder,
    to_add: list[tuple[str, Member, RoleIds | None]],
    batch_size: int,
) -> None:
    for start in range(0, len(to_add), batch_size):
        chunk = to_add[start : start + batch_size]
        key = builder.call(
            ENDPOINTS.add_members,
            ctx.key(Kind.MEMBERS, str(start // batch_size + 1), Step.ADD),
            Phase.MEMBERS_ADD,
            ctx.id,
            body={"members": [user_id for user_id, _, _ in chunk]},
            depends_on=(ctx.created_by,),
            batch="members",
        )
        for user_id, member, roles in chunk:
            label = member.email or user_id
            names = sorted(roles.ids.values()) if roles else None
            roles_key = None
            if roles and roles.ids:
                roles_key = builder.call(
                    ENDPOINTS.add_member_roles,
                    ctx.key(Kind.MEMBER_ROLES, user_id, Step.ADD),
                    Phase.MEMBER_ROLES,
                    ctx.id,
                    user_id,
                    body={"roles": roles.sorted_ids()},
                    depends_on=(key, *roles.created_by),
                )
            builder.row(
                ctx.name,
                Action.CREATE,
                Kind.MEMBER,
                label,
                (FieldChange("roles", None, names),) if names else (),
                operations=(key, roles_key),
            )


def _change_roles(
    ctx: OrgContext, builder: PlanBuilder, member: LiveMember, roles: RoleIds
) -> None:
    """Assign the roles the member lacks and remove the others, when they differ (the removal
    waits for the assignment, see the builder)."""
    have = member.role_ids
    add = sorted(set(roles.ids) - set(have), key=str)
    remove = sorted(set(have) - set(roles.ids))
    added = removed = None
    if add:
        added = builder.call(
            ENDPOINTS.add_member_roles,
            ctx.key(Kind.MEMBER_ROLES, member.user_id, Step.ADD),
            Phase.MEMBER_ROLES,
            ctx.id,
            member.user_id,
            body={"roles": add},
            depends_on=roles.created_by,
        )
    if remove:
        removed = builder.call(
            ENDPOINTS.remove_member_roles,
            ctx.key(Kind.MEMBER_ROLES, member.user_id, Step.REMOVE),
            Phase.MEMBER_ROLES,
            ctx.id,
            member.user_id,
            body={"roles": remove},
        )
    if add or remove:
        change = FieldChange("roles", sorted(have.values()), sorted(roles.ids.values()))
        builder.row(
            ctx.name,
            Action.UPDATE,
            Kind.MEMBER,
            _label(member),
            (change,),
            operations=(added, removed),
        )


def _remove_unlisted(
    ctx: OrgContext, builder: PlanBuilder, unlisted: list[LiveMember], batch_size: int
) -> None:
    policy = ctx.desired.members_policy or ctx.desired_state.tenant.policy.members
    auto_join = _auto_join_strategies(ctx)
    removed: list[LiveMember] = []
    for member in unlisted:
        reason = admission_reason(member, ctx.desired, auto_join)
        if reason is not None:
            builder.row(
                ctx.name, Action.KEEP, Kind.MEMBER, _label(member), note=f"admitted: {reason}"
            )
        elif policy == "exact" or is_blocked(member, ctx.desired):
            removed.append(member)
    for start in range(0, len(removed), batch_size):
        chunk = removed[start : start + batch_size]
        key = builder.call(
            ENDPOINTS.remove_members,
            ctx.key(Kind.MEMBERS, str(start // batch_size + 1), Step.REMOVE),
            Phase.MEMBERS_REMOVE,
            ctx.id,
            body={"members": [m.user_id for m in chunk]},
            batch="members",
        )
        for member in chunk:
            builder.row(ctx.name, Action.DELETE, Kind.MEMBER, _label(member), operations=(key,))


def _auto_join_strategies(ctx: OrgContext) -> dict[str, str]:
    """Strategy -> connection name of the connections that will assign membership on login."""
    live = (ctx.live.connections or {}) if ctx.live else {}
    wanted = ctx.desired.connections
    names = [c.name for c in wanted] if wanted is not None else sorted(live)
    desired_flags = {c.name: c.assign_membership_on_login for c in wanted or []}
    strategies: dict[str, str] = {}
    for name in names:
        flag = desired_flags.get(name)
        if flag is None and name in live:
            flag = live[name].assign_membership_on_login
        connection = ctx.snapshot.connections.get(name)
        if flag and connection is not None:
            strategies.setdefault(connection.strategy, name)
    return strategies


def _label(member: LiveMember) -> str:
    return member.email or member.user_id


class Members(Resource):
    """Each organization's members and their roles in it."""

    name = "members"
    row_kinds = (Kind.MEMBER,)
    row_rank = 6

    def organization_lists(self, scope: OrgScope) -> frozenset[Endpoint]:
        """The organization's members (roles inline), when its file lists members."""
        return frozenset({ENDPOINTS.list_members} if scope.members else ())

    async def read_organization(self, reading: OrgReading) -> None:
        """The organization's members, each with its roles."""
        if ENDPOINTS.list_members not in reading.lists:
            return
        members = reading.api.client.organizations.members
        items = await reading.pages(
            ENDPOINTS.list_members,
            lambda _: members.list(
                reading.live.id,
                take=PAGE,
                fields=MEMBER_FIELDS,
                include_fields=True,
                include_totals=False,
            ),
        )
        reading.live.members = tuple(live_member(m) for m in items if getattr(m, "user_id", None))

    def plan_organization(self, ctx: OrgContext, planning: Planning) -> None:
        """Add, keep, invite and remove members and change their roles."""
        diff_members(ctx, planning.builder, planning.member_batch)

    def existing(self, live: Snapshot) -> int:
        """The members read."""
        return sum(len(org.members or ()) for org in live.organizations.values())

    def import_organization(self, importing: OrgImport) -> dict[str, Any]:
        """Members by email (when one member has it) or user id, then pending invitations."""
        members = sorted(importing.org.members or (), key=lambda m: (m.email or "", m.user_id))
        emails = [m.email.lower() for m in members if m.email]
        entries = [
            _imported(importing, m, emails.count((m.email or "").lower()) == 1) for m in members
        ]
        entries += invitation_entries(importing, set(emails))
        return {"members": entries} if entries else {}


def _imported(importing: OrgImport, member: LiveMember, unique_email: bool) -> dict[str, Any]:
    entry: dict[str, Any] = (
        {"email": member.email}
        if member.email and unique_email and is_email(member.email)
        else {"user_id": member.user_id}
    )
    roles = importing.role_names(
        tuple(role_id for role_id, _ in member.roles), member.email or member.user_id
    )
    if roles:
        entry["roles"] = roles
    return entry


MEMBERS = Members()
