"""Members, their roles and invitations, reconciled as set arithmetic on user ids."""

from dataclasses import dataclass

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.diff_apps import invitation_client
from reconciler.engine.diff_roles import create_role_key
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey, Ref
from reconciler.engine.kinds import Kind
from reconciler.engine.plan import Action, FieldChange, PathPart, Phase, Settle
from reconciler.model import Member
from reconciler.model.live import LiveMember
from reconciler.routing.admission import admission_reason, is_blocked


@dataclass(frozen=True)
class RoleIds:
    """Desired roles of a member as ids (or references) and the operations creating them."""

    ids: dict[PathPart, str]
    """role id or reference -> role name"""
    created_by: tuple[OpKey, ...]

    def sorted_ids(self) -> list[PathPart]:
        """The ids in a stable order, as request bodies carry them."""
        return sorted(self.ids, key=str)


def resolve_roles(ctx: OrgContext, builder: PlanBuilder, names: list[str], index: int) -> RoleIds:
    """Role names as the org sees them: an org-owned role shadows a tenant role."""
    ids: dict[PathPart, str] = {}
    created_by: list[OpKey] = []
    own = ctx.desired.roles or {}
    for position, name in enumerate(names):
        if name in own:
            live = ctx.snapshot.org_roles.get((ctx.name, name))
            key = ObjectKey.role(name, ctx.name)
        elif name in ctx.desired_state.roles:
            live = ctx.snapshot.roles.get(name)
            key = ObjectKey.role(name)
        else:
            builder.error(
                f"unknown role {name!r}: define it in roles.yaml or in this organization's roles",
                ctx.where("members", index, "roles", position),
            )
            continue
        if live is not None:
            ids[live.id] = name
        else:
            ids[Ref(key)] = name
            created_by.append(create_role_key(key))
    return RoleIds(ids, tuple(created_by))


def diff_members(ctx: OrgContext, builder: PlanBuilder, batch_size: int) -> None:
    """Add, keep, invite and remove members and change their roles."""
    wanted = ctx.desired.members
    if wanted is None:
        return
    live_members = (ctx.live.members or ()) if ctx.live else ()
    by_id = {m.user_id: m for m in live_members}
    by_email = {m.email.lower(): m for m in live_members if m.email}
    matched: set[str] = set()
    to_add: list[tuple[str, Member, RoleIds | None]] = []
    for index, member in enumerate(wanted):
        if member.absent:
            continue
        roles = (
            resolve_roles(ctx, builder, member.roles, index) if member.roles is not None else None
        )
        current = by_id.get(member.user_id) if member.user_id else by_email.get(member.key)
        if current is not None:
            matched.add(current.user_id)
            if roles is not None:
                _change_roles(ctx, builder, current, roles)
            continue
        user_id = member.user_id or ctx.snapshot.users_by_email.get(member.key)
        if user_id is not None:
            to_add.append((user_id, member, roles))
        elif member.invite:
            _invite(ctx, builder, member, roles, index)
        else:
            builder.error(
                f"no Auth0 user has the email {member.email!r}; add `invite: true` to invite them",
                ctx.where("members", index, "email"),
            )
    _add(ctx, builder, to_add, batch_size)
    _remove_unlisted(
        ctx, builder, [m for m in live_members if m.user_id not in matched], batch_size
    )
    _revoke_unlisted_invitations(ctx, builder, {m.email.lower() for m in wanted if m.email})


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
            ctx.key(Kind.MEMBERS, str(start // batch_size + 1), "add"),
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
                    ctx.key(Kind.MEMBER_ROLES, user_id, "add"),
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
    """Assign the roles the member lacks and remove the others (the removal waits for the
    assignment, see the builder)."""
    have = member.role_ids
    add = sorted(set(roles.ids) - set(have), key=str)
    remove = sorted(set(have) - set(roles.ids))
    added = removed = None
    if add:
        added = builder.call(
            ENDPOINTS.add_member_roles,
            ctx.key(Kind.MEMBER_ROLES, member.user_id, "add"),
            Phase.MEMBER_ROLES,
            ctx.id,
            member.user_id,
            body={"roles": add},
            depends_on=roles.created_by,
        )
    if remove:
        removed = builder.call(
            ENDPOINTS.remove_member_roles,
            ctx.key(Kind.MEMBER_ROLES, member.user_id, "remove"),
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


def _invite(
    ctx: OrgContext, builder: PlanBuilder, member: Member, roles: RoleIds | None, index: int
) -> None:
    """Send an invitation, keep a pending one, or replace one whose roles changed (the old one
    is revoked after the new one is sent, see the builder)."""
    email = member.key
    settings = ctx.desired_state.tenant.invitations
    if settings is None:
        builder.error(
            "inviting members needs `invitations` (client_id, inviter_name) in tenant.yaml",
            ctx.where("members"),
        )
        return
    pending = ((ctx.live.invitations or {}) if ctx.live else {}).get(email)
    wanted = sorted(map(str, roles.ids)) if roles is not None else None
    if pending is not None and (wanted is None or wanted == sorted(pending.roles)):
        builder.row(ctx.name, Action.KEEP, Kind.INVITATION, email, note="invitation pending")
        return
    client = invitation_client(ctx)
    body: dict[str, object] = {
        "inviter": {"name": settings.inviter_name},
        "invitee": {"email": email},
        "client_id": client.id,
        "ttl_sec": settings.ttl_sec,
        "send_invitation_email": settings.send_invitation_email,
    }
    connection = _invitation_connection(ctx, builder, settings.connection, index)
    if connection is not None:
        body["connection_id"] = connection
    if roles and roles.ids:
        body["roles"] = roles.sorted_ids()
    verb = "send" if pending is None else "replace"
    key = builder.call(
        ENDPOINTS.send_invitation,
        ctx.key(Kind.INVITATION, email, verb),
        Phase.INVITATIONS,
        ctx.id,
        body=body,
        depends_on=(ctx.created_by, client.created_by, *(roles.created_by if roles else ())),
        settle=Settle.FIND_INVITATION if pending is None else Settle.REPEAT,
    )
    names = sorted(roles.ids.values()) if roles else None
    if pending is None:
        fields = (FieldChange("roles", None, names),) if names else ()
        builder.row(ctx.name, Action.CREATE, Kind.INVITATION, email, fields, operations=(key,))
        return
    revoke = builder.call(
        ENDPOINTS.revoke_invitation,
        ctx.key(Kind.INVITATION, email, "revoke"),
        Phase.INVITATIONS,
        ctx.id,
        pending.id,
    )
    before = sorted(_role_names(ctx, pending.roles))
    builder.row(
        ctx.name,
        Action.UPDATE,
        Kind.INVITATION,
        email,
        (FieldChange("roles", before, names or []),),
        note="replaced: a sent invitation cannot be changed",
        operations=(key, revoke),
    )


def _invitation_connection(
    ctx: OrgContext, builder: PlanBuilder, name: str | None, index: int
) -> str | None:
    """The id of the connection invitations use, when it is known and enabled here."""
    if name is None:
        return None
    connection = ctx.snapshot.connections.get(name)
    if connection is None:
        return None  # reported once, at tenant.yaml
    wanted = ctx.desired.connections
    enabled = (
        {c.name for c in wanted}
        if wanted is not None
        else set((ctx.live.connections or {}) if ctx.live else ())
    )
    if name not in enabled:
        builder.error(
            f"invitations use the connection {name!r}, which is not enabled for this "
            "organization: add it to `connections`",
            ctx.where("members", index, "invite"),
        )
        return None
    return connection.id


def _role_names(ctx: OrgContext, role_ids: tuple[str, ...]) -> list[str]:
    names = {role.id: role.name for role in ctx.snapshot.roles.values()}
    names.update({role.id: role.name for role in ctx.snapshot.org_roles.values()})
    return [names.get(role_id, role_id) for role_id in role_ids]


def _revoke_unlisted_invitations(ctx: OrgContext, builder: PlanBuilder, listed: set[str]) -> None:
    """Under `members: exact`, a pending invitation for an email no member entry lists is
    revoked."""
    policy = ctx.desired.members_policy or ctx.desired_state.tenant.policy.members
    if policy != "exact" or ctx.live is None:
        return
    for email, invitation in sorted((ctx.live.invitations or {}).items()):
        if email in listed:
            continue
        key = builder.call(
            ENDPOINTS.revoke_invitation,
            ctx.key(Kind.INVITATION, email, "revoke"),
            Phase.MEMBERS_REMOVE,
            ctx.id,
            invitation.id,
        )
        builder.row(ctx.name, Action.DELETE, Kind.INVITATION, email, operations=(key,))


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
            ctx.key(Kind.MEMBERS, str(start // batch_size + 1), "remove"),
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
