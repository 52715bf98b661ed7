"""``/organizations/{id}/...``: connections, client grants, applications, discovery domains,
invitations."""

from __future__ import annotations

import re
from typing import Any

from .errors import invalid_body
from .pagination import checkpoint_page, offset_page, read_checkpoint, read_offset
from .records import LINK_FLAGS, DiscoveryDomain, JsonObject, OrgConnection
from .render import render_link, render_org_client, render_org_grant
from .router import Context, Reply, RouteTable
from .validation import Body, select_fields

routes = RouteTable()

ACCESS_LEVELS = ("none", "readonly", "limited", "full")
DOMAIN = re.compile(
    r"^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*"
    r"([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])$"
)
DOMAIN_STATUSES = ("pending", "verified")
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

READ = "read:organization_connections"
CREATE = "create:organization_connections"
UPDATE = "update:organization_connections"
DELETE = "delete:organization_connections"


# -- enabled connections (the classic view) ----------------------------------------------


@routes.get("/organizations/{id}/enabled_connections", READ, "List enabled connections")
def list_enabled_connections(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    links = ctx.store.org_connections(ctx.params["id"], enabled_only=True)
    return Reply(
        200,
        offset_page(links, paging, "enabled_connections", lambda k: render_link(ctx.store, k)),
    )


@routes.post("/organizations/{id}/enabled_connections", CREATE, "Enable a connection")
def add_enabled_connection(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("connection_id", *LINK_FLAGS), ("connection_id",))
    flags = {flag: bool(body.boolean(flag)) for flag in LINK_FLAGS if body.has(flag)}
    connection = body.string("connection_id", min_len=1) or ""
    link = ctx.store.enable_connection(ctx.params["id"], connection, **flags)
    return Reply(201, render_link(ctx.store, link))


@routes.get(
    "/organizations/{id}/enabled_connections/{connectionId}", READ, "Get an enabled connection"
)
def get_enabled_connection(ctx: Context) -> Reply:
    link = ctx.store.org_connection(ctx.params["id"], ctx.params["connectionId"], True)
    return Reply(200, render_link(ctx.store, link))


@routes.patch(
    "/organizations/{id}/enabled_connections/{connectionId}",
    UPDATE,
    "Update an enabled connection",
)
def update_enabled_connection(ctx: Context) -> Reply:
    body = Body(ctx.body(), LINK_FLAGS)
    changes = {flag: body.boolean(flag) for flag in LINK_FLAGS if body.has(flag)}
    link = ctx.store.update_org_connection(
        ctx.params["id"], ctx.params["connectionId"], changes, enabled_only=True
    )
    return Reply(200, render_link(ctx.store, link))


@routes.delete(
    "/organizations/{id}/enabled_connections/{connectionId}", DELETE, "Disable a connection"
)
def delete_enabled_connection(ctx: Context) -> Reply:
    ctx.store.unlink_connection(ctx.params["id"], ctx.params["connectionId"], enabled_only=True)
    return Reply(204)


# -- connections (the newer view of the same links) --------------------------------------

_ALL_FIELDS = (
    *LINK_FLAGS,
    "is_enabled",
    "organization_access_level",
    "organization_connection_name",
)


def _link_changes(body: Body) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for flag in LINK_FLAGS:
        if body.has(flag):
            changes[flag] = body.boolean(flag)
    if body.has("is_enabled"):
        changes["is_enabled"] = body.boolean("is_enabled", nullable=True)
    if body.has("organization_access_level"):
        changes["organization_access_level"] = body.enum(
            "organization_access_level", ACCESS_LEVELS, nullable=True
        )
    if body.has("organization_connection_name"):
        changes["organization_connection_name"] = body.string(
            "organization_connection_name", min_len=1, max_len=50, nullable=True
        )
    return changes


@routes.get("/organizations/{id}/connections", READ, "List connections of an organization")
def list_org_connections(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    is_enabled = ctx.query.boolean("is_enabled")
    links = ctx.store.org_connections(ctx.params["id"], enabled_only=False)
    if is_enabled is not None:
        links = [link for link in links if link.is_enabled == is_enabled]
    return Reply(
        200, offset_page(links, paging, "connections", lambda k: render_link(ctx.store, k, True))
    )


@routes.post("/organizations/{id}/connections", CREATE, "Add a connection to an organization")
def add_org_connection(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("connection_id", *_ALL_FIELDS), ("connection_id",))
    link = OrgConnection(body.string("connection_id", min_len=1, max_len=50) or "")
    for key, value in _link_changes(body).items():
        if value is not None:
            setattr(link, key, value)
    link = ctx.store.link_connection(ctx.params["id"], link)
    return Reply(201, render_link(ctx.store, link, True))


@routes.get(
    "/organizations/{id}/connections/{connection_id}", READ, "Get a connection of an organization"
)
def get_org_connection(ctx: Context) -> Reply:
    link = ctx.store.org_connection(ctx.params["id"], ctx.params["connection_id"], False)
    return Reply(200, render_link(ctx.store, link, True))


@routes.patch(
    "/organizations/{id}/connections/{connection_id}",
    UPDATE,
    "Update a connection of an organization",
)
def update_org_connection(ctx: Context) -> Reply:
    changes = _link_changes(Body(ctx.body(), _ALL_FIELDS))
    link = ctx.store.update_org_connection(
        ctx.params["id"], ctx.params["connection_id"], changes, enabled_only=False
    )
    return Reply(200, render_link(ctx.store, link, True))


@routes.delete(
    "/organizations/{id}/connections/{connection_id}",
    DELETE,
    "Remove a connection from an organization",
)
def delete_org_connection(ctx: Context) -> Reply:
    ctx.store.unlink_connection(ctx.params["id"], ctx.params["connection_id"], enabled_only=False)
    return Reply(204)


# -- client grants ----------------------------------------------------------------------


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
    return Reply(201, render_org_grant(grant))


@routes.delete(
    "/organizations/{id}/client-grants/{grant_id}",
    "delete:organization_client_grants",
    "Remove a client grant from an organization",
)
def disassociate_org_client_grant(ctx: Context) -> Reply:
    ctx.store.disassociate_client_grant(ctx.params["id"], ctx.params["grant_id"])
    return Reply(204)


# -- applications -----------------------------------------------------------------------
# Not in the vendored OpenAPI document: modelled on the SDK's organizations.clients types.


@routes.get(
    "/organizations/{id}/clients",
    "read:organization_clients",
    "List the applications of an organization",
)
def list_org_clients(ctx: Context) -> Reply:
    paging = read_checkpoint(ctx.query)
    links = sorted(ctx.store.organization(ctx.params["id"]).clients.values(), key=lambda k: k.seq)
    return Reply(
        200,
        checkpoint_page(
            links, paging, "clients", lambda k: render_org_client(ctx.store, k), lambda k: k.seq
        ),
    )


@routes.post(
    "/organizations/{id}/clients",
    "create:organization_clients",
    "Associate applications with an organization",
)
def associate_org_clients(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("clients",), ("clients",))
    items = body.objects("clients", ("client_id", "use_for_member_access"), ("client_id",)) or []
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
    client_ids = body.strings("clients", min_items=1, min_len=1) or []
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


# -- discovery domains ------------------------------------------------------------------


def render_domain(record: DiscoveryDomain) -> JsonObject:
    """A discovery domain with the DNS record its owner must publish."""
    return {
        "id": record.id,
        "domain": record.domain,
        "status": record.status,
        "use_for_organization_discovery": record.use_for_organization_discovery,
        "verification_txt": record.verification_txt,
        "verification_host": record.verification_host,
    }


@routes.get(
    "/organizations/{id}/discovery-domains",
    "read:organization_discovery_domains",
    "List discovery domains",
)
def list_discovery_domains(ctx: Context) -> Reply:
    paging = read_checkpoint(ctx.query)
    domains = list(ctx.store.organization(ctx.params["id"]).discovery_domains.values())
    return Reply(200, checkpoint_page(domains, paging, "domains", render_domain, lambda d: d.seq))


@routes.post(
    "/organizations/{id}/discovery-domains",
    "create:organization_discovery_domains",
    "Add a discovery domain",
)
def add_discovery_domain(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("domain", "status", "use_for_organization_discovery"), ("domain",))
    domain = body.string("domain", min_len=3, max_len=255, pattern=DOMAIN) or ""
    record = ctx.store.add_discovery_domain(
        ctx.params["id"],
        domain,
        body.enum("status", DOMAIN_STATUSES) or "pending",
        bool(body.boolean("use_for_organization_discovery")),
    )
    return Reply(201, render_domain(record))


@routes.get(
    "/organizations/{id}/discovery-domains/name/{discovery_domain}",
    "read:organization_discovery_domains",
    "Get a discovery domain by name",
)
def get_discovery_domain_by_name(ctx: Context) -> Reply:
    record = ctx.store.discovery_domain_by_name(ctx.params["id"], ctx.params["discovery_domain"])
    return Reply(200, render_domain(record))


@routes.get(
    "/organizations/{id}/discovery-domains/{discovery_domain_id}",
    "read:organization_discovery_domains",
    "Get a discovery domain",
)
def get_discovery_domain(ctx: Context) -> Reply:
    record = ctx.store.discovery_domain(ctx.params["id"], ctx.params["discovery_domain_id"])
    return Reply(200, render_domain(record))


@routes.patch(
    "/organizations/{id}/discovery-domains/{discovery_domain_id}",
    "update:organization_discovery_domains",
    "Update a discovery domain",
)
def update_discovery_domain(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("status", "use_for_organization_discovery"))
    changes: dict[str, Any] = {}
    if body.has("status"):
        changes["status"] = body.enum("status", DOMAIN_STATUSES)
    if body.has("use_for_organization_discovery"):
        changes["use_for_organization_discovery"] = body.boolean("use_for_organization_discovery")
    record = ctx.store.update_discovery_domain(
        ctx.params["id"], ctx.params["discovery_domain_id"], changes
    )
    return Reply(200, render_domain(record))


@routes.delete(
    "/organizations/{id}/discovery-domains/{discovery_domain_id}",
    "delete:organization_discovery_domains",
    "Delete a discovery domain",
)
def delete_discovery_domain(ctx: Context) -> Reply:
    ctx.store.delete_discovery_domain(ctx.params["id"], ctx.params["discovery_domain_id"])
    return Reply(204)


# -- invitations ------------------------------------------------------------------------


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
    return Reply(200, invitation)


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
