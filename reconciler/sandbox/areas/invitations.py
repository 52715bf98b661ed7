"""``/organizations/{id}/invitations``: invitations to join an organization."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import bad_request, not_found
from ..pagination import offset_page, read_offset
from ..records import JsonObject
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase, iso_time
from ..validation import Body, select_fields

DEFAULT_INVITATION_TTL = 7 * 24 * 3600
INVITATION_FIELDS = (
    "app_metadata",
    "user_metadata",
    "client_id",
    "connection_id",
    "created_at",
    "expires_at",
    "id",
    "invitation_url",
    "invitee",
    "inviter",
    "organization_id",
    "roles",
)
MAX_TTL = 2592000


class InvitationOps(StoreBase):
    """Operations on invitations."""

    def create_invitation(
        self,
        org_id: str,
        *,
        inviter_name: str,
        invitee_email: str,
        client_id: str,
        connection_id: str | None = None,
        roles: Sequence[str] = (),
        ttl_sec: int = 0,
        app_metadata: JsonObject | None = None,
        user_metadata: JsonObject | None = None,
    ) -> JsonObject:
        """Invite someone by email to join the organization."""
        org = self.organization(org_id)
        if client_id not in self.state.clients:
            raise bad_request(f"The client {client_id} does not exist.")
        if connection_id is not None and connection_id not in org.connections:
            raise bad_request(
                f"The connection {connection_id} is not enabled for this organization."
            )
        for role_id in roles:
            if role_id not in self.state.roles:
                raise bad_request(f"The role {role_id} does not exist.")
        now = self.now()
        ticket = self.ids.alnum(32)
        invitation: JsonObject = {
            "id": self.ids.prefixed("uinv_"),
            "organization_id": org.id,
            "inviter": {"name": inviter_name},
            "invitee": {"email": invitee_email},
            "client_id": client_id,
            "invitation_url": (
                f"https://{self.state.tenant_domain}/login?invitation={ticket}"
                f"&organization={org.id}&organization_name={org.name}"
            ),
            "ticket_id": ticket,
            "created_at": iso_time(now),
            "expires_at": iso_time(now + (ttl_sec or DEFAULT_INVITATION_TTL)),
        }
        if connection_id is not None:
            invitation["connection_id"] = connection_id
        if roles:
            invitation["roles"] = list(roles)
        if app_metadata:
            invitation["app_metadata"] = app_metadata
        if user_metadata:
            invitation["user_metadata"] = user_metadata
        org.invitations[invitation["id"]] = invitation
        return invitation

    def invitation(self, org_id: str, invitation_id: str) -> JsonObject:
        """One invitation, or 404."""
        invitation = self.organization(org_id).invitations.get(invitation_id)
        if invitation is None:
            raise not_found("The invitation does not exist.", "inexistent_invitation")
        return invitation

    def delete_invitation(self, org_id: str, invitation_id: str) -> None:
        """Withdraw an invitation."""
        self.invitation(org_id, invitation_id)
        del self.organization(org_id).invitations[invitation_id]


routes = RouteTable()


@routes.get("/organizations/{id}/invitations", "read:organization_invitations", "List invitations")
def list_invitations(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    names, include = ctx.query.fields(INVITATION_FIELDS)
    invitations = list(ctx.store.organization(ctx.params["id"]).invitations.values())
    if ctx.query.enum("sort", ("created_at:1", "created_at:-1")) == "created_at:-1":
        invitations.reverse()
    return Reply(
        200,
        offset_page(
            invitations,
            paging,
            "invitations",
            lambda i: select_fields(i, names, include),
            with_total=False,
            limit_is_length=True,
        ),
    )


@routes.post(
    "/organizations/{id}/invitations", "create:organization_invitations", "Create an invitation"
)
def create_invitation(ctx: Context) -> Reply:
    body = Body(
        ctx.body(),
        (
            "inviter",
            "invitee",
            "client_id",
            "connection_id",
            "roles",
            "ttl_sec",
            "send_invitation_email",
            "app_metadata",
            "user_metadata",
        ),
        ("inviter", "invitee", "client_id"),
    )
    inviter = body.nested("inviter", ("name",), ("name",))
    invitee = body.nested("invitee", ("email",), ("email",))
    assert inviter is not None and invitee is not None
    email = invitee.email("email") or ""
    body.boolean("send_invitation_email")
    invitation = ctx.store.create_invitation(
        ctx.params["id"],
        inviter_name=inviter.string("name", min_len=1, max_len=300) or "",
        invitee_email=email,
        client_id=body.string("client_id") or "",
        connection_id=body.string("connection_id"),
        roles=body.strings("roles", min_items=1, max_items=50) or [],
        ttl_sec=body.integer("ttl_sec", minimum=0, maximum=MAX_TTL) or 0,
        app_metadata=body.object("app_metadata"),
        user_metadata=body.object("user_metadata"),
    )
    return Reply(201, invitation)


@routes.get(
    "/organizations/{id}/invitations/{invitation_id}",
    "read:organization_invitations",
    "Get an invitation",
)
def get_invitation(ctx: Context) -> Reply:
    names, include = ctx.query.fields(INVITATION_FIELDS)
    invitation = ctx.store.invitation(ctx.params["id"], ctx.params["invitation_id"])
    return Reply(200, select_fields(invitation, names, include))


@routes.delete(
    "/organizations/{id}/invitations/{invitation_id}",
    "delete:organization_invitations",
    "Delete an invitation",
)
def delete_invitation(ctx: Context) -> Reply:
    ctx.store.delete_invitation(ctx.params["id"], ctx.params["invitation_id"])
    return Reply(204)
