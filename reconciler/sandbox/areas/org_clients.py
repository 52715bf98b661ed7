"""``/organizations/{id}/clients``: the applications associated with an organization."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import bad_request, conflict, invalid_body, not_found
from ..pagination import checkpoint_page, ranked, read_checkpoint
from ..records import OrgClient
from ..render import render_org_client
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase
from ..validation import Body

MAX_ORG_CLIENTS = 100
"""Application associations per organization (Auth0's entity limit)."""
MAX_CLIENTS_PER_REQUEST = 100
"""Applications one associate or remove request may name."""


class OrgClientOps(StoreBase):
    """Operations on an organization's application associations."""

    def associate_clients(
        self, org_id: str, entries: Sequence[tuple[str, bool]]
    ) -> list[OrgClient]:
        """Associate applications (client id, used for member access) with an organization;
        all or none: an unknown or already associated application refuses the whole call."""
        org = self.organization(org_id)
        seen: set[str] = set()
        for client_id, _ in entries:
            self.client(client_id)
            if client_id in org.clients or client_id in seen:
                raise conflict("The client is already associated with this organization.")
            seen.add(client_id)
        if len(org.clients) + len(entries) > MAX_ORG_CLIENTS:
            raise bad_request(
                f"An organization can have at most {MAX_ORG_CLIENTS} application associations."
            )
        links = [OrgClient(client_id, self.next_seq(), flag) for client_id, flag in entries]
        for link in links:
            org.clients[link.client_id] = link
        return links

    def org_client(self, org_id: str, client_id: str) -> OrgClient:
        """One application association of an organization, or 404."""
        link = self.organization(org_id).clients.get(client_id)
        if link is None:
            raise not_found("The client is not associated with this organization.")
        return link

    def update_org_client(self, org_id: str, client_id: str, member_access: bool) -> OrgClient:
        """Change whether members use an associated application."""
        link = self.org_client(org_id, client_id)
        link.use_for_member_access = member_access
        return link

    def disassociate_clients(self, org_id: str, client_ids: Sequence[str]) -> None:
        """Remove application associations; all or none (404 when one is not associated)."""
        org = self.organization(org_id)
        for client_id in client_ids:
            self.org_client(org_id, client_id)
        for client_id in client_ids:
            del org.clients[client_id]


routes = RouteTable()


# Not in the vendored OpenAPI document: modelled on the SDK's organizations.clients types.


@routes.get(
    "/organizations/{id}/clients",
    "read:organization_clients",
    "List the applications of an organization",
)
def list_org_clients(ctx: Context) -> Reply:
    paging = read_checkpoint(ctx.query)
    links = ranked(sorted(ctx.store.organization(ctx.params["id"]).clients.values(), key=_order))
    return Reply(
        200,
        checkpoint_page(
            links, paging, "clients", lambda r: render_org_client(ctx.store, r[1]), lambda r: r[0]
        ),
    )


def _order(link: OrgClient) -> str:
    """Auth0 lists an organization's applications by client id, ignoring case."""
    return link.client_id.lower()


@routes.post(
    "/organizations/{id}/clients",
    "create:organization_clients",
    "Associate applications with an organization",
)
def associate_org_clients(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("clients",), ("clients",))
    items = (
        body.objects(
            "clients",
            ("client_id", "use_for_member_access"),
            ("client_id",),
            max_items=MAX_CLIENTS_PER_REQUEST,
        )
        or []
    )
    if not items:
        raise invalid_body("Array is too short (0), minimum 1", "clients")
    entries = [
        (i.string("client_id", min_len=1) or "", bool(i.boolean("use_for_member_access")))
        for i in items
    ]
    links = ctx.store.associate_clients(ctx.params["id"], entries)
    return Reply(201, [render_org_client(ctx.store, link) for link in links])


@routes.delete(
    "/organizations/{id}/clients",
    "delete:organization_clients",
    "Remove applications from an organization",
)
def disassociate_org_clients(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("clients",), ("clients",))
    client_ids = (
        body.strings("clients", min_items=1, max_items=MAX_CLIENTS_PER_REQUEST, min_len=1) or []
    )
    ctx.store.disassociate_clients(ctx.params["id"], client_ids)
    return Reply(204)


@routes.get(
    "/organizations/{id}/clients/{client_id}",
    "read:organization_clients",
    "Get an application of an organization",
)
def get_org_client(ctx: Context) -> Reply:
    link = ctx.store.org_client(ctx.params["id"], ctx.params["client_id"])
    return Reply(200, render_org_client(ctx.store, link))


@routes.patch(
    "/organizations/{id}/clients/{client_id}",
    "update:organization_clients",
    "Update an application of an organization",
)
def update_org_client(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("use_for_member_access",), ("use_for_member_access",))
    link = ctx.store.update_org_client(
        ctx.params["id"], ctx.params["client_id"], bool(body.boolean("use_for_member_access"))
    )
    return Reply(200, render_org_client(ctx.store, link))
