"""``/organizations``: create, read, update and delete organizations."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import bad_request, conflict, invalid_body
from ..pagination import CheckpointPaging, any_page, read_paging
from ..records import LINK_FLAGS, JsonObject, Organization, OrgConnection
from ..render import render_link, render_org
from ..router import Context, Reply, RouteTable
from ..validation import Body
from .org_connections import MAX_ORG_CONNECTIONS, OrgConnectionOps

MAX_METADATA_KEYS = 25
ORG_NAME = re.compile(r"^[a-z0-9_-]+$")
HTML_COLOR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
MAX_QUOTA = 2147483647
SORTABLE = {"name", "display_name", "created_at"}


def _without_nulls(metadata: Mapping[str, str | None] | None) -> dict[str, str] | None:
    if metadata is None:
        return None
    return {k: v for k, v in metadata.items() if v is not None}


class OrganizationOps(OrgConnectionOps):
    """Operations on organizations; inline connections are checked as links are."""

    def create_organization(
        self,
        name: str,
        display_name: str | None = None,
        *,
        branding: JsonObject | None = None,
        metadata: Mapping[str, str | None] | None = None,
        token_quota: JsonObject | None = None,
        enabled_connections: Sequence[OrgConnection] = (),
        third_party_client_access: str = "block",
        is_app_entitlement_active: bool = False,
    ) -> Organization:
        """Create an organization, optionally with its enabled connections; as Auth0, it
        blocks third-party applications and has no application entitlements unless told."""
        if name in self._org_ids_by_name:
            raise conflict("An organization with this name already exists.")
        if len(enabled_connections) > MAX_ORG_CONNECTIONS:
            raise invalid_body(
                f"Array is too long ({len(enabled_connections)}), maximum {MAX_ORG_CONNECTIONS}",
                "enabled_connections",
            )
        seen: set[str] = set()
        for link in enabled_connections:
            self._linkable_connection(link)
            if link.connection_id in seen:
                raise bad_request("The same connection is listed more than once.")
            seen.add(link.connection_id)
        org = Organization(
            id=self.ids.prefixed("org_"),
            seq=self.next_seq(),
            name=name,
            created_at=self.timestamp(),
            display_name=display_name,
            branding=branding,
            metadata=_without_nulls(metadata),
            token_quota=token_quota,
            third_party_client_access=third_party_client_access,
            is_app_entitlement_active=is_app_entitlement_active,
            connections={link.connection_id: link for link in enabled_connections},
        )
        self.state.organizations[org.id] = org
        self._org_ids_by_name[name] = org.id
        return org

    def update_organization(
        self, org_id: str, changes: Mapping[str, Any], metadata_mode: str = "replace"
    ) -> Organization:
        """Apply a PATCH: only keys present change; ``None`` unsets; metadata merges or
        replaces (``metadata_mode``), a ``None`` metadata value deleting that key."""
        org = self.organization(org_id)
        new_name: str = changes.get("name") or org.name
        renamed = new_name != org.name
        if renamed and new_name in self._org_ids_by_name:
            raise conflict("An organization with this name already exists.")
        metadata = org.metadata
        if "metadata" in changes:
            patch: Mapping[str, str | None] | None = changes["metadata"]
            if patch is None:
                metadata = None
            elif metadata_mode == "merge":
                merged: dict[str, str | None] = {**(metadata or {}), **patch}
                metadata = _without_nulls(merged)
            else:
                metadata = _without_nulls(patch)
            metadata = metadata or None  # an empty metadata reads back absent
            if metadata is not None and len(metadata) > MAX_METADATA_KEYS:
                raise invalid_body(
                    f"Too many properties ({len(metadata)}), maximum {MAX_METADATA_KEYS}",
                    "metadata",
                )
        if renamed:
            del self._org_ids_by_name[org.name]
            self._org_ids_by_name[new_name] = org.id
            org.name = new_name
        org.metadata = metadata
        if "display_name" in changes:
            org.display_name = changes["display_name"]
        if "branding" in changes:
            org.branding = changes["branding"]
        if "token_quota" in changes:
            org.token_quota = changes["token_quota"]
        for field_name in ("third_party_client_access", "is_app_entitlement_active"):
            if field_name in changes:
                setattr(org, field_name, changes[field_name])
        return org

    def delete_organization(self, org_id: str) -> None:
        """Delete an organization with its memberships, links, domains, invitations and the
        roles it owns. Users stay."""
        org = self.organization(org_id)
        del self.state.organizations[org_id]
        del self._org_ids_by_name[org.name]
        owned = [r.id for r in self.state.roles.values() if r.owner_id == org_id]
        for role_id in owned:
            del self.state.roles[role_id]

    def user_organizations(self, user_id: str) -> list[Organization]:
        """Organizations the user is (currently) a member of."""
        return [
            org
            for org in self.state.organizations.values()
            if (m := org.members.get(user_id)) is not None and m.gone_from is None
        ]


routes = RouteTable()


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


def _seq(item: Organization) -> int:
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
