"""``/client-grants``: applications' access to APIs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import bad_request, conflict, invalid_body, not_found
from ..pagination import any_page, ranked, read_paging
from ..records import JsonObject
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase
from ..validation import Body

ORGANIZATION_USAGES = ("deny", "allow", "require")
GRANT_FIELDS = (
    "allow_all_scopes",
    "allow_any_organization",
    "authorization_details_types",
    "default_for",
    "organization_usage",
    "scope",
    "subject_type",
)


class ClientGrantOps(StoreBase):
    """Operations on client grants."""

    def create_client_grant(
        self, client_id: str, audience: str, scope: Sequence[str] = (), **fields: Any
    ) -> JsonObject:
        """Grant an application access to an API; one grant per (client, audience)."""
        if client_id not in self.state.clients:
            raise not_found("The client does not exist", "inexistent_client")
        if self.resource_server_by_identifier(audience) is None:
            raise not_found("The resource server does not exist.")
        for other in self.state.client_grants.values():
            if other["client_id"] == client_id and other["audience"] == audience:
                raise conflict("A client grant for this client and audience already exists.")
        grant: JsonObject = {
            "id": self.ids.prefixed("cgr_"),
            "client_id": client_id,
            "audience": audience,
            "scope": list(scope),
            "subject_type": "client",
        }
        grant.update({k: v for k, v in fields.items() if v is not None})
        if grant.get("allow_all_scopes"):
            grant.pop("scope")
        self.state.client_grants[grant["id"]] = grant
        return grant

    def update_client_grant(self, grant_id: str, changes: Mapping[str, Any]) -> JsonObject:
        """Change scopes or organization settings of a grant; allowing all scopes drops the
        list of scopes, as in Auth0."""
        grant = self.client_grant(grant_id)
        for key, value in changes.items():
            if value is None:
                grant.pop(key, None)
            else:
                grant[key] = value
        if grant.get("allow_all_scopes") and "scope" not in changes:
            grant.pop("scope", None)
        return grant

    def delete_client_grant(self, grant_id: str) -> None:
        """Delete a grant and its associations with organizations; a grant already gone
        (deleted, or with its application) is no error: Auth0 answers 204."""
        if self.state.client_grants.pop(grant_id, None) is None:
            return
        for org in self.state.organizations.values():
            if grant_id in org.client_grants:
                org.client_grants.remove(grant_id)


routes = RouteTable()


def _grant_changes(body: Body, nullable: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key in GRANT_FIELDS:
        if not body.has(key):
            continue
        if key in ("allow_all_scopes", "allow_any_organization"):
            changes[key] = body.boolean(key, nullable=nullable)
        elif key == "organization_usage":
            changes[key] = body.enum(key, ORGANIZATION_USAGES, nullable=nullable)
        elif key in ("scope", "authorization_details_types"):
            changes[key] = body.strings(key, min_len=1, nullable=nullable)
        else:
            changes[key] = body.string(key)
    return changes


@routes.get("/client-grants", "read:client_grants", "List client grants")
def list_client_grants(ctx: Context) -> Reply:
    paging = read_paging(ctx.query)
    audience = ctx.query.string("audience")
    client_id = ctx.query.string("client_id")
    any_org = ctx.query.boolean("allow_any_organization")
    grants = [
        g
        for g in ctx.store.state.client_grants.values()
        if (audience is None or g["audience"] == audience)
        and (client_id is None or g["client_id"] == client_id)
        and (any_org is None or bool(g.get("allow_any_organization")) == any_org)
    ]
    return Reply(
        200, any_page(ranked(grants), paging, "client_grants", lambda r: r[1], lambda r: r[0])
    )


@routes.post("/client-grants", "create:client_grants", "Create a client grant")
def create_client_grant(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("client_id", "audience", *GRANT_FIELDS), ("audience",))
    client_id = body.string("client_id")
    if client_id is None:
        raise bad_request("client_id is required.")
    audience = body.string("audience", min_len=1) or ""
    changes = _grant_changes(body, nullable=False)
    scope = changes.pop("scope", None) or []
    return Reply(201, ctx.store.create_client_grant(client_id, audience, scope, **changes))


@routes.get("/client-grants/{id}", "read:client_grants", "Get a client grant")
def get_client_grant(ctx: Context) -> Reply:
    return Reply(200, ctx.store.client_grant(ctx.params["id"]))


@routes.patch("/client-grants/{id}", "update:client_grants", "Update a client grant")
def update_client_grant(ctx: Context) -> Reply:
    allowed = (
        "allow_all_scopes",
        "allow_any_organization",
        "authorization_details_types",
        "organization_usage",
        "scope",
    )
    body = Body(ctx.body(), allowed)
    if not body.data:
        raise invalid_body("Too few properties defined (0), minimum 1")
    return Reply(
        200, ctx.store.update_client_grant(ctx.params["id"], _grant_changes(body, nullable=True))
    )


@routes.delete("/client-grants/{id}", "delete:client_grants", "Delete a client grant")
def delete_client_grant(ctx: Context) -> Reply:
    ctx.store.delete_client_grant(ctx.params["id"])
    return Reply(204)
