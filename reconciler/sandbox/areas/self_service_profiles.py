"""``/self-service-profiles``: self-service SSO profiles and the tickets that let a customer's
admin configure a connection; a ticket is completed (the connection made, as the admin would
make it) through the sandbox's controls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import bad_request, invalid_body, not_found
from ..pagination import offset_page, read_offset
from ..records import JsonObject, OrgConnection
from ..router import Context, Reply, RouteTable
from ..validation import Body
from .connection_clients import ConnectionClientOps
from .connections import ConnectionOps, check_options
from .org_connections import OrgConnectionOps

ALLOWED_STRATEGIES = frozenset(
    {
        "oidc",
        "samlp",
        "waad",
        "google-apps",
        "adfs",
        "okta",
        "auth0-samlp",
        "okta-samlp",
        "keycloak-samlp",
        "pingfederate",
    }
)
PROFILE_FIELDS = ("name", "description", "user_attributes", "branding", "allowed_strategies")
TICKET_FIELDS = (
    "connection_id",
    "connection_config",
    "enabled_clients",
    "enabled_organizations",
    "ttl_sec",
    "domain_aliases_config",
    "provisioning_config",
    "use_for_organization_discovery",
)
MAX_TTL = 432_000
"""A ticket's longest life, and what one without `ttl_sec` (or 0) gets: 5 days."""


class SelfServiceProfileOps(OrgConnectionOps, ConnectionOps, ConnectionClientOps):
    """Profiles, tickets, and a ticket's completion."""

    def create_sso_profile(self, fields: Mapping[str, Any]) -> JsonObject:
        """A new profile."""
        now = self.timestamp()
        profile: JsonObject = {
            "id": self.ids.prefixed("ssp_"),
            "user_attributes": [],
            "allowed_strategies": sorted(ALLOWED_STRATEGIES),
            **fields,
            "created_at": now,
            "updated_at": now,
        }
        self.state.sso_profiles[profile["id"]] = profile
        return profile

    def sso_profile(self, profile_id: str) -> JsonObject:
        """The profile of this id, or 404."""
        found = self.state.sso_profiles.get(profile_id)
        if found is None:
            raise not_found("The self-service profile does not exist.", "inexistent_profile")
        return found

    def create_sso_ticket(self, profile_id: str, request: Mapping[str, Any]) -> str:
        """A ticket of the profile; returns its id."""
        self.sso_profile(profile_id)
        # The endpoint documents no 404: what the ticket names must exist (400).
        for org in request.get("enabled_organizations") or []:
            if org["organization_id"] not in self.state.organizations:
                raise bad_request(f"The organization {org['organization_id']} does not exist")
        for client_id in request.get("enabled_clients") or []:
            if client_id not in self.state.clients:
                raise bad_request(f"The client {client_id} does not exist")
        ticket_id = self.ids.alnum(32)
        ttl = request.get("ttl_sec") or MAX_TTL
        self.state.sso_tickets[ticket_id] = {
            "profile_id": profile_id,
            "request": dict(request),
            "expires_at": self.now() + ttl,
            "state": "open",
        }
        return ticket_id

    def revoke_sso_ticket(self, profile_id: str, ticket_id: str) -> None:
        """Revoke a ticket (one that does not exist is no error, as Auth0 answers)."""
        self.sso_profile(profile_id)
        ticket = self.state.sso_tickets.get(ticket_id)
        if ticket is not None and ticket["profile_id"] == profile_id:
            ticket["state"] = "revoked"

    def complete_sso_ticket(
        self, ticket_id: str, strategy: str, options: Mapping[str, Any]
    ) -> JsonObject:
        """What the customer's admin does with an open ticket: the connection of its
        `connection_config`, with `options`, enabled for its applications and organizations."""
        ticket = self.state.sso_tickets.get(ticket_id)
        if ticket is None or ticket["state"] != "open" or ticket["expires_at"] <= self.now():
            raise not_found("The ticket does not exist, has expired or was revoked.")
        profile = self.sso_profile(ticket["profile_id"])
        if strategy not in profile.get("allowed_strategies", []):
            raise bad_request(f"The profile does not allow the strategy {strategy}")
        request = ticket["request"]
        config = request.get("connection_config") or {}
        check_options(strategy, options, list(self.state.connections.values()))
        fields = {k: v for k, v in config.items() if k != "name"}
        connection = self.create_connection(
            config.get("name") or f"sso-{ticket_id[:8].lower()}",
            strategy,
            **fields,
            options=dict(options),
        )
        clients = request.get("enabled_clients") or []
        if clients:
            self.set_connection_clients(connection["id"], {c: True for c in clients})
        for org in request.get("enabled_organizations") or []:
            self.enable_connection_for(org, connection["id"])
        ticket["state"] = "used"
        return connection

    def enable_connection_for(self, org: Mapping[str, Any], connection_id: str) -> None:
        """Link a connection a ticket made to one of its organizations, with its flags."""
        link = OrgConnection(
            connection_id,
            bool(org.get("assign_membership_on_login", False)),
            org.get("show_as_button", True) is not False,
        )
        self.link_connection(org["organization_id"], link)


routes = RouteTable()


def _profile_fields(body: Body) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if body.has("name"):
        fields["name"] = body.string("name", min_len=1, max_len=100)
    if body.has("description"):
        fields["description"] = body.string("description", max_len=140, nullable=True)
    if body.has("user_attributes"):
        attributes = (
            body.objects(
                "user_attributes",
                ("name", "description", "is_optional"),
                ("name", "description", "is_optional"),
            )
            or []
        )
        fields["user_attributes"] = [a.data for a in attributes]
    if body.has("branding"):
        fields["branding"] = body.object("branding", nullable=True)
    if body.has("allowed_strategies"):
        strategies = body.strings("allowed_strategies", min_items=1) or []
        unknown = sorted(set(strategies) - ALLOWED_STRATEGIES)
        if unknown:
            raise invalid_body(f"Unknown strategy {unknown[0]}", "allowed_strategies")
        fields["allowed_strategies"] = strategies
    return fields


@routes.get("/self-service-profiles", "read:self_service_profiles", "List profiles")
def list_profiles(ctx: Context) -> Reply:
    profiles = list(ctx.store.state.sso_profiles.values())
    return Reply(200, offset_page(profiles, read_offset(ctx.query), "self_service_profiles", dict))


@routes.post("/self-service-profiles", "create:self_service_profiles", "Create a profile")
def create_profile(ctx: Context) -> Reply:
    body = Body(ctx.body(), PROFILE_FIELDS, ("name",))
    return Reply(201, ctx.store.create_sso_profile(_profile_fields(body)))


@routes.get("/self-service-profiles/{id}", "read:self_service_profiles", "Get a profile")
def get_profile(ctx: Context) -> Reply:
    return Reply(200, ctx.store.sso_profile(ctx.params["id"]))


@routes.patch("/self-service-profiles/{id}", "update:self_service_profiles", "Update a profile")
def update_profile(ctx: Context) -> Reply:
    profile = ctx.store.sso_profile(ctx.params["id"])
    changes = _profile_fields(Body(ctx.body(), PROFILE_FIELDS))
    profile.update({k: v for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        profile.pop(key, None)
    profile["updated_at"] = ctx.store.timestamp()
    return Reply(200, profile)


@routes.delete("/self-service-profiles/{id}", "delete:self_service_profiles", "Delete a profile")
def delete_profile(ctx: Context) -> Reply:
    ctx.store.sso_profile(ctx.params["id"])
    del ctx.store.state.sso_profiles[ctx.params["id"]]
    return Reply(204)


@routes.post(
    "/self-service-profiles/{id}/sso-ticket", "create:sso_access_tickets", "Create a ticket"
)
def create_ticket(ctx: Context) -> Reply:
    body = Body(ctx.body(), TICKET_FIELDS)
    if body.has("ttl_sec"):
        body.integer("ttl_sec", minimum=0, maximum=MAX_TTL)
    if body.has("connection_config"):
        body.nested("connection_config", None, ("name",))
    if body.has("enabled_organizations"):
        body.objects(
            "enabled_organizations",
            ("organization_id", "assign_membership_on_login", "show_as_button"),
            ("organization_id",),
        )
    ticket_id = ctx.store.create_sso_ticket(ctx.params["id"], body.data)
    url = (
        f"https://{ctx.store.state.tenant_domain}/self-service/connections-flow?ticket={ticket_id}"
    )
    return Reply(201, {"ticket": url})


@routes.post(
    "/self-service-profiles/{profile_id}/sso-ticket/{id}/revoke",
    "delete:sso_access_tickets",
    "Revoke a ticket",
)
def revoke_ticket(ctx: Context) -> Reply:
    ctx.store.revoke_sso_ticket(ctx.params["profile_id"], ctx.params["id"])
    return Reply(202)
