"""Pending invitations: sent for members listed with `invite: true` who are no users yet,
kept while pending, replaced when their roles change, revoked under `members: exact` when no
member entry lists their email. They are planned with the members that list them; read only
where the tenant invites people, and the invitations' application is checked once when some
invitation would be sent."""

from typing import Any

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import Action, FieldChange, Phase, Settle
from reconciler.model import Member
from reconciler.model.live import LiveInvitation, Snapshot
from reconciler.resources.applications import invitation_client
from reconciler.resources.importing import OrgImport, is_email
from reconciler.resources.reads import PAGE
from reconciler.resources.resource import OrgReading, Reading, Resource, Stage
from reconciler.resources.roles import RoleIds
from reconciler.resources.scope import OrgScope, Scope
from reconciler.resources.what_to_read import live_of


def live_invitation(item: Any) -> LiveInvitation | None:
    """A pending invitation with the role ids it grants, or None without an id or email."""
    invitee = getattr(item, "invitee", None)
    email = getattr(invitee, "email", None)
    invitation_id = getattr(item, "id", None)
    if not invitation_id or not email:
        return None
    roles = getattr(item, "roles", None) or []
    return LiveInvitation(str(invitation_id), str(email).lower(), tuple(sorted(map(str, roles))))


def invite(
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
    verb = Step.SEND if pending is None else Step.REPLACE
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
        ctx.key(Kind.INVITATION, email, Step.REVOKE),
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


def revoke_unlisted_invitations(
    ctx: OrgContext, builder: PlanBuilder, members: list[Member]
) -> None:
    """Under `members: exact`, a pending invitation for an email no member entry lists is
    revoked."""
    policy = ctx.desired.members_policy or ctx.desired_state.tenant.policy.members
    if policy != "exact" or ctx.live is None or not ctx.live.invitations:
        return
    listed = {m.email.lower() for m in members if m.email}
    for email, invitation in sorted(ctx.live.invitations.items()):
        if email in listed:
            continue
        key = builder.call(
            ENDPOINTS.revoke_invitation,
            ctx.key(Kind.INVITATION, email, Step.REVOKE),
            Phase.MEMBERS_REMOVE,
            ctx.id,
            invitation.id,
        )
        builder.row(ctx.name, Action.DELETE, Kind.INVITATION, email, operations=(key,))


def invitation_client_to_check(scope: Scope, snapshot: Snapshot) -> str | None:
    """The invitations' application, when some invitation would be sent: to an email that
    is no user and has no pending invitation."""
    client_id = scope.invitation_client
    if client_id is None or not any(
        snapshot.users_by_email.get(email, "") is None
        and email not in ((live.invitations or {}) if live else {})
        for org_scope in scope.organizations.values()
        for live in [live_of(snapshot, org_scope)]
        for email in org_scope.invites
    ):
        return None
    return client_id


def invitation_entries(importing: OrgImport, listed: set[str]) -> list[dict[str, Any]]:
    """Member entries (`invite: true`) for the pending invitations of emails no member has."""
    entries: list[dict[str, Any]] = []
    for email, invitation in sorted((importing.org.invitations or {}).items()):
        if email in listed or not is_email(email):
            continue
        entry: dict[str, Any] = {"email": email, "invite": True}
        roles = importing.role_names(invitation.roles, f"the invitation of {email}")
        if roles:
            entry["roles"] = roles
        entries.append(entry)
    return entries


class Invitations(Resource):
    """Each organization's pending invitations."""

    name = "invitations"
    row_kinds = (Kind.INVITATION,)
    row_rank = 7

    def organization_lists(self, scope: OrgScope) -> frozenset[Endpoint]:
        """The organization's invitations, when they are managed."""
        return frozenset({ENDPOINTS.list_invitations} if scope.invitations else ())

    async def read_organization(self, reading: OrgReading) -> None:
        """The organization's pending invitations, one per email."""
        if ENDPOINTS.list_invitations not in reading.lists:
            return
        invitations = reading.api.client.organizations.invitations
        items = await reading.pages(
            ENDPOINTS.list_invitations,
            lambda page: invitations.list(reading.live.id, page=page, per_page=PAGE),
        )
        reading.live.invitations = {}
        for item in items:
            found = live_invitation(item)
            if found is not None:
                reading.live.invitations.setdefault(found.email, found)

    async def read(self, stage: Stage, reading: Reading) -> None:
        """The invitations' application, last: only when some invitation would be sent."""
        if stage is not Stage.LAST:
            return
        client_id = invitation_client_to_check(reading.scope, reading.snapshot)
        if client_id is None:
            return
        api = reading.api
        client = await api.one_or_none(
            ENDPOINTS.get_application,
            lambda: api.client.clients.get(client_id, fields="client_id", include_fields=True),
            client_id,
        )
        reading.snapshot.clients[client_id] = client is not None


INVITATIONS = Invitations()
