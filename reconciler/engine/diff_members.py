"""Members, their roles and invitations, reconciled as set arithmetic on user ids."""

from dataclasses import dataclass

from reconciler.engine.builder import PlanBuilder, ref, segment
from reconciler.engine.context import OrgContext
from reconciler.engine.plan import Action, FieldChange, Phase
from reconciler.model import Member
from reconciler.routing.admission import admission_reason, is_blocked


@dataclass(frozen=True)
class RoleIds:
    """Desired roles of a member as ids (or references) and the operations creating them."""

    ids: dict[str, str]
    """role id or reference -> role name"""
    created_by: tuple[str, ...]


def resolve_roles(ctx: OrgContext, builder: PlanBuilder, names: list[str], index: int) -> RoleIds:
    """Role names as the org sees them: an org-owned role shadows a tenant role."""
    ids: dict[str, str] = {}
    created_by: list[str] = []
    own = ctx.desired.roles or {}
    for position, name in enumerate(names):
        if name in own:
            live = ctx.snapshot.org_roles.get((ctx.name, name))
            label = f"{ctx.name}/{name}"
        elif name in ctx.desired_state.roles:
            live = ctx.snapshot.roles.get(name)
            label = name
        else:
            builder.error(
                f"unknown role {name!r}: define it in roles.yaml or in this organization's roles",
                ctx.where("members", index, "roles", position),
            )
            continue
        if live is not None:
            ids[live.id] = name
        else:
            ids[ref("role", label)] = name
            created_by.append(f"role:{label}/create")
    return RoleIds(ids, tuple(created_by))


def diff_members(ctx: OrgContext, builder: PlanBuilder, batch_size: int) -> None:
    """Add, keep, invite and remove members and change their roles."""
    wanted = ctx.desired.members
    if wanted is None:
        return
    live_members = (ctx.live.org.members or []) if ctx.live else []
    by_id = {m.user_id: m for m in live_members if m.user_id}
    by_email = {m.email.lower(): m for m in live_members if m.email}
    role_ids = ctx.live.member_role_ids if ctx.live else {}
    matched: set[str] = set()
    to_add: list[tuple[str, Member, RoleIds | None]] = []
    for index, member in enumerate(wanted):
        if member.absent:
            continue
        roles = (
            resolve_roles(ctx, builder, member.roles, index) if member.roles is not None else None
        )
        current = by_id.get(member.user_id) if member.user_id else by_email.get(member.key)
        if current is not None and current.user_id is not None:
            matched.add(current.user_id)
            if roles is not None:
                _change_roles(ctx, builder, current.user_id, _label(current), roles, role_ids)
            continue
        user_id = member.user_id or ctx.snapshot.users_by_email.get(member.key)
        if user_id is not None:
            to_add.append((user_id, member, roles))
        elif member.invite:
            _invite(ctx, builder, member, roles)
        else:
            builder.error(
                f"no Auth0 user has the email {member.email!r}; add `invite: true` to invite them",
                ctx.where("members", index, "email"),
            )
    _add(ctx, builder, to_add, batch_size)
    _remove_unlisted(
        ctx, builder, [m for m in live_members if m.user_id not in matched], batch_size
    )


def _add(
    ctx: OrgContext,
    builder: PlanBuilder,
    to_add: list[tuple[str, Member, RoleIds | None]],
    batch_size: int,
) -> None:
    for start in range(0, len(to_add), batch_size):
        chunk = to_add[start : start + batch_size]
        key = builder.call(
            f"org:{ctx.name}/members/add/{start // batch_size + 1}",
            Phase.MEMBERS_ADD,
            "POST",
            f"{ctx.path}/members",
            {"members": [user_id for user_id, _, _ in chunk]},
            org=ctx.name,
            depends_on=(ctx.created_by,),
        )
        for user_id, member, roles in chunk:
            label = member.email or user_id
            names = sorted(roles.ids.values()) if roles else None
            builder.row(
                ctx.name,
                Action.CREATE,
                "member",
                label,
                (FieldChange("roles", None, names),) if names else (),
            )
            if roles and roles.ids:
                builder.call(
                    f"org:{ctx.name}/member:{user_id}/roles/add",
                    Phase.MEMBER_ROLES,
                    "POST",
                    f"{ctx.path}/members/{segment(user_id)}/roles",
                    {"roles": sorted(roles.ids)},
                    org=ctx.name,
                    depends_on=(key, *roles.created_by),
                )


def _change_roles(
    ctx: OrgContext,
    builder: PlanBuilder,
    user_id: str,
    label: str,
    roles: RoleIds,
    role_ids: dict[str, dict[str, str]],
) -> None:
    have = role_ids.get(user_id, {})
    add = sorted(set(roles.ids) - set(have))
    remove = sorted(set(have) - set(roles.ids))
    path = f"{ctx.path}/members/{segment(user_id)}/roles"
    key = f"org:{ctx.name}/member:{user_id}/roles"
    if add:
        builder.call(
            f"{key}/add",
            Phase.MEMBER_ROLES,
            "POST",
            path,
            {"roles": add},
            org=ctx.name,
            depends_on=roles.created_by,
        )
    if remove:
        builder.call(
            f"{key}/remove", Phase.MEMBER_ROLES, "DELETE", path, {"roles": remove}, org=ctx.name
        )
    if add or remove:
        change = FieldChange("roles", sorted(have.values()), sorted(roles.ids.values()))
        builder.row(ctx.name, Action.UPDATE, "member", label, (change,))


def _invite(ctx: OrgContext, builder: PlanBuilder, member: Member, roles: RoleIds | None) -> None:
    email = member.key
    pending = (ctx.live.invitations or {}) if ctx.live else {}
    if email in pending:
        builder.row(ctx.name, Action.KEEP, "invitation", email, note="invitation pending")
        return
    settings = ctx.desired_state.tenant.invitations
    if settings is None:
        builder.error(
            "inviting members needs `invitations` (client_id, inviter_name) in tenant.yaml",
            ctx.where("members"),
        )
        return
    body: dict[str, object] = {
        "inviter": {"name": settings.inviter_name},
        "invitee": {"email": email},
        "client_id": settings.client_id,
        "ttl_sec": settings.ttl_sec,
        "send_invitation_email": settings.send_invitation_email,
    }
    if roles and roles.ids:
        body["roles"] = sorted(roles.ids)
    builder.call(
        f"org:{ctx.name}/invitation:{email}",
        Phase.INVITATIONS,
        "POST",
        f"{ctx.path}/invitations",
        body,
        org=ctx.name,
        depends_on=(ctx.created_by, *(roles.created_by if roles else ())),
    )
    names = sorted(roles.ids.values()) if roles else None
    builder.row(
        ctx.name,
        Action.CREATE,
        "invitation",
        email,
        (FieldChange("roles", None, names),) if names else (),
    )


def _remove_unlisted(
    ctx: OrgContext, builder: PlanBuilder, unlisted: list[Member], batch_size: int
) -> None:
    policy = ctx.desired.members_policy or ctx.desired_state.tenant.policy.members
    auto_join = _auto_join_strategies(ctx)
    removed: list[Member] = []
    for member in unlisted:
        reason = admission_reason(member, ctx.desired, auto_join)
        if reason is not None:
            builder.row(ctx.name, Action.KEEP, "member", _label(member), note=f"admitted: {reason}")
        elif policy == "exact" or is_blocked(member, ctx.desired):
            removed.append(member)
    for start in range(0, len(removed), batch_size):
        chunk = removed[start : start + batch_size]
        builder.call(
            f"org:{ctx.name}/members/remove/{start // batch_size + 1}",
            Phase.MEMBERS_REMOVE,
            "DELETE",
            f"{ctx.path}/members",
            {"members": [m.user_id for m in chunk]},
            org=ctx.name,
        )
    for member in removed:
        builder.row(ctx.name, Action.DELETE, "member", _label(member))


def _auto_join_strategies(ctx: OrgContext) -> dict[str, str]:
    """Strategy -> connection name of the connections that will assign membership on login."""
    live = {c.name: c for c in (ctx.live.org.connections or [])} if ctx.live else {}
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


def _label(member: Member) -> str:
    return member.email or member.user_id or "?"
