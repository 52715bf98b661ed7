"""``/organizations/{id}/client-grants``: the client grants an organization may use."""

from __future__ import annotations

from ..errors import bad_request, conflict, not_found
from ..pagination import offset_page, read_offset
from ..records import JsonObject
from ..render import render_org_grant, render_org_grant_association
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase
from ..validation import Body

MAX_ORG_CLIENT_GRANTS = 100
"""Machine-to-machine client grants per organization (Auth0's entity limit, public cloud)."""


class OrgClientGrantOps(StoreBase):
    """Operations on an organization's client grant associations."""

    def associate_client_grant(self, org_id: str, grant_id: str) -> JsonObject:
        """Let an organization use a client grant."""
        org = self.organization(org_id)
        grant = self.client_grant(grant_id)
        if grant.get("organization_usage") not in ("allow", "require"):
            raise bad_request("The client grant does not allow organizations.")
        if grant_id in org.client_grants:
            raise conflict("The client grant is already associated with this organization.")
        if len(org.client_grants) >= MAX_ORG_CLIENT_GRANTS:
            raise bad_request(
                f"An organization can have at most {MAX_ORG_CLIENT_GRANTS} client grants."
            )
        org.client_grants.append(grant_id)
        return grant

    def disassociate_client_grant(self, org_id: str, grant_id: str) -> None:
        """Stop an organization from using a client grant."""
        org = self.organization(org_id)
        if grant_id not in org.client_grants:
            raise not_found("The client grant is not associated with this organization.")
        org.client_grants.remove(grant_id)


routes = RouteTable()


@routes.get(
    "/organizations/{id}/client-grants",
    "read:organization_client_grants",
    "List client grants of an organization",
)
def list_org_client_grants(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    org = ctx.store.organization(ctx.params["id"])
    grants = [ctx.store.state.client_grants[g] for g in org.client_grants]
    audience = ctx.query.string("audience")
    client_id = ctx.query.string("client_id")
    wanted = {g for raw in ctx.query.strings("grant_ids") for g in raw.split(",") if g}
    grants = [
        g
        for g in grants
        if (audience is None or g["audience"] == audience)
        and (client_id is None or g["client_id"] == client_id)
        and (not wanted or g["id"] in wanted)
    ]
    return Reply(200, offset_page(grants, paging, "client_grants", render_org_grant))


@routes.post(
    "/organizations/{id}/client-grants",
    "create:organization_client_grants",
    "Associate a client grant with an organization",
)
def associate_org_client_grant(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("grant_id",), ("grant_id",))
    grant = ctx.store.associate_client_grant(ctx.params["id"], body.string("grant_id") or "")
    return Reply(201, render_org_grant_association(grant))


@routes.delete(
    "/organizations/{id}/client-grants/{grant_id}",
    "delete:organization_client_grants",
    "Remove a client grant from an organization",
)
def disassociate_org_client_grant(ctx: Context) -> Reply:
    ctx.store.disassociate_client_grant(ctx.params["id"], ctx.params["grant_id"])
    return Reply(204)
