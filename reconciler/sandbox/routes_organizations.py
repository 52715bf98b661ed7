"""``/organizations``: organizations, members and member roles."""

from __future__ import annotations

import re
from typing import Any

from .errors import invalid_body
from .pagination import CheckpointPaging, any_page, offset_page, read_offset, read_paging
from .records import LINK_FLAGS, JsonObject, Member, Organization, OrgConnection
from .render import render_link, render_org, render_role, summary_user
from .router import Context, Reply, RouteTable
from .store_orgs import MAX_METADATA_KEYS
from .validation import Body, select_fields

routes = RouteTable()

ORG_NAME = re.compile(r"^[a-z0-9_-]+$")
HTML_COLOR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
MAX_QUOTA = 2147483647
MEMBER_FIELDS = ("user_id", "email", "picture", "name", "roles")
SORTABLE = {"name", "display_name", "created_at"}


def read_branding(body: Body) -> JsonObject | None:
    """``branding``: an https ``logo_url`` and hex ``colors``."""
    branding = body.nested("branding", ("logo_url", "colors"), nullable=True)
    if branding is None:
        return None
    result: JsonObject = {}
    logo = branding.string("logo_url")
    if logo is not None:
        if not logo.startswith("https://") or len(logo) <= len("https://"):
            raise invalid_body(
                f"Object didn't pass validation for format strict-https-uri-or-null: {logo}",
                branding.where("logo_url"),
            )
        result["logo_url"] = logo
    colors = branding.nested(
        "colors", ("primary", "page_background"), ("primary", "page_background")
    )
    if colors is not None:
        result["colors"] = {
            key: colors.string(key, pattern=HTML_COLOR) for key in ("primary", "page_background")
        }
    return result


def read_token_quota(body: Body) -> JsonObject | None:
    """``token_quota.client_credentials``: ``enforce``, ``per_day``, ``per_hour``."""
    quota = body.nested(
        "token_quota", ("client_credentials",), ("client_credentials",), nullable=True
    )
    if quota is None:
        return None
    cc = quota.nested("client_credentials", ("enforce", "per_day", "per_hour"))
    assert cc is not None
    if not cc.data:
        raise invalid_body("Too few properties defined (0), minimum 1", cc.path)
    result: JsonObject = {}
    if cc.has("enforce"):
        result["enforce"] = cc.boolean("enforce")
    for key in ("per_day", "per_hour"):
        if cc.has(key):
            result[key] = cc.integer(key, minimum=1, maximum=MAX_QUOTA)
    return {"client_credentials": result}


def read_link(body: Body) -> OrgConnection:
    """An enabled connection from a request: ``connection_id`` plus flags."""
    link = OrgConnection(connection_id=body.string("connection_id", min_len=1) or "")
    for flag in LINK_FLAGS:
        value = body.boolean(flag)
        if value is not None:
            setattr(link, flag, value)
    return link


SDK_ONLY_FIELDS = ("third_party_client_access", "is_app_entitlement_active")
"""Fields the auth0-python 6.8 models send that the spec snapshot predates."""


def _sdk_only_fields(body: Body) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if body.has("third_party_client_access"):
        changes["third_party_client_access"] = body.enum(
            "third_party_client_access", ("block", "allow")
        )
    if body.has("is_app_entitlement_active"):
        changes["is_app_entitlement_active"] = body.boolean("is_app_entitlement_active")
    return changes


def _org_body(ctx: Context, create: bool) -> Body:
    allowed = ["name", "display_name", "branding", "metadata", "token_quota", *SDK_ONLY_FIELDS]
    if create:
        allowed.append("enabled_connections")
    return Body(ctx.body(), allowed, ("name",) if create else ())


@routes.get("/organizations", "read:organizations read:organizations_summary", "List organizations")
def list_organizations(ctx: Context) -> Reply:
    paging = read_paging(ctx.query, max_page=1000)
    orgs = list(ctx.store.state.organizations.values())
    sort = ctx.query.string("sort")
    if sort and not isinstance(paging, CheckpointPaging):
        field, _, order = sort.partition(":")
        if field in SORTABLE and order in ("1", "-1"):
            orgs.sort(key=lambda o: getattr(o, field) or "", reverse=order == "-1")
    return Reply(200, any_page(orgs, paging, "organizations", render_org, _seq))


def _seq(item: Organization | Member) -> int:
    return item.seq


@routes.post("/organizations", "create:organizations", "Create an organization")
def create_organization(ctx: Context) -> Reply:
    body = _org_body(ctx, create=True)
    name = body.string("name", min_len=1, max_len=50, pattern=ORG_NAME) or ""
    display_name = body.string("display_name", min_len=1, max_len=255)
    branding = read_branding(body)
    metadata = body.string_map("metadata", max_keys=MAX_METADATA_KEYS, max_len=255)
    token_quota = read_token_quota(body)
    links = body.objects("enabled_connections", ("connection_id", *LINK_FLAGS), ("connection_id",))
    if links is not None:
        ctx.require_scope("create:organization_connections")
    org = ctx.store.create_organization(
        name,
        display_name,
        branding=branding,
        metadata=metadata,
        token_quota=token_quota,
        enabled_connections=[read_link(link) for link in links or []],
        **_sdk_only_fields(body),
    )
    result = render_org(org)
    if links is not None:
        result["enabled_connections"] = [
            render_link(ctx.store, link) for link in org.connections.values()
        ]
    return Reply(201, result)


@routes.get("/organizations/name/{name}", "read:organizations", "Get an organization by name")
def get_organization_by_name(ctx: Context) -> Reply:
    return Reply(200, render_org(ctx.store.organization_by_name(ctx.params["name"])))


@routes.get(
    "/organizations/{id}", "read:organizations read:organizations_summary", "Get an organization"
)
def get_organization(ctx: Context) -> Reply:
    return Reply(200, render_org(ctx.store.organization(ctx.params["id"])))


@routes.patch("/organizations/{id}", "update:organizations", "Update an organization")
def update_organization(ctx: Context) -> Reply:
    body = _org_body(ctx, create=False)
    changes: dict[str, Any] = {}
    if body.has("name"):
        changes["name"] = body.string("name", min_len=1, max_len=50, pattern=ORG_NAME)
    if body.has("display_name"):
        changes["display_name"] = body.string("display_name", min_len=1, max_len=255)
    if body.has("branding"):
        changes["branding"] = read_branding(body)
    if body.has("metadata"):
        changes["metadata"] = body.string_map("metadata", max_keys=MAX_METADATA_KEYS, max_len=255)
    if body.has("token_quota"):
        changes["token_quota"] = read_token_quota(body)
    changes.update(_sdk_only_fields(body))
    org = ctx.store.update_organization(ctx.params["id"], changes, ctx.settings.metadata_patch)
    return Reply(200, render_org(org))


@routes.delete("/organizations/{id}", "delete:organizations", "Delete an organization")
def delete_organization(ctx: Context) -> Reply:
    ctx.store.delete_organization(ctx.params["id"])
    return Reply(204)


# -- members ----------------------------------------------------------------------------


@routes.get("/organizations/{id}/members", "read:organization_members", "List members")
def list_members(ctx: Context) -> Reply:
    names, include = ctx.query.fields(MEMBER_FIELDS)
    with_roles = names is not None and include and "roles" in names
    if with_roles:
        ctx.require_scope("read:organization_member_roles")
    paging = read_paging(ctx.query, max_page=1000)
    members = ctx.store.listed_members(ctx.params["id"])
    users = ctx.store.state.users
    roles = ctx.store.state.roles

    def render(member: Member) -> JsonObject:
        user = users.get(member.user_id)
        body: JsonObject = summary_user(user) if user else {"user_id": member.user_id}
        if with_roles:
            body["roles"] = [{"id": r, "name": roles[r].name} for r in member.roles if r in roles]
        return select_fields(body, names, include)

    return Reply(200, any_page(members, paging, "members", render, _seq))


def _member_ids(ctx: Context) -> list[str]:
    body = Body(ctx.body(), None, ("members",))
    ids = body.strings("members", min_items=1, max_items=ctx.settings.member_batch_max, min_len=1)
    return ids or []


@routes.post("/organizations/{id}/members", "create:organization_members", "Add members")
def add_members(ctx: Context) -> Reply:
    ctx.store.add_members(ctx.params["id"], _member_ids(ctx), ctx.settings.member_lag_s)
    return Reply(204)


@routes.delete("/organizations/{id}/members", "delete:organization_members", "Remove members")
def remove_members(ctx: Context) -> Reply:
    ctx.store.remove_members(ctx.params["id"], _member_ids(ctx), ctx.settings.member_lag_s)
    return Reply(204)


@routes.get(
    "/organizations/{id}/members/{user_id}/roles",
    "read:organization_member_roles",
    "List a member's roles",
)
def list_member_roles(ctx: Context) -> Reply:
    paging = read_offset(ctx.query, max_page=1000)
    member = ctx.store.member(ctx.params["id"], ctx.params["user_id"])
    roles = [ctx.store.state.roles[r] for r in member.roles if r in ctx.store.state.roles]
    return Reply(200, offset_page(roles, paging, "roles", render_role))


def _role_ids(ctx: Context) -> list[str]:
    body = Body(ctx.body(), ("roles",), ("roles",))
    return body.strings("roles", min_items=1, min_len=1) or []


@routes.post(
    "/organizations/{id}/members/{user_id}/roles",
    "create:organization_member_roles",
    "Assign roles to a member",
)
def assign_member_roles(ctx: Context) -> Reply:
    ctx.store.assign_member_roles(ctx.params["id"], ctx.params["user_id"], _role_ids(ctx))
    return Reply(204)


@routes.delete(
    "/organizations/{id}/members/{user_id}/roles",
    "delete:organization_member_roles",
    "Remove roles from a member",
)
def remove_member_roles(ctx: Context) -> Reply:
    ctx.store.remove_member_roles(ctx.params["id"], ctx.params["user_id"], _role_ids(ctx))
    return Reply(204)
