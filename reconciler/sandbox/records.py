"""The sandbox's state as plain dataclasses (persisted as JSON through pydantic)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JsonObject = dict[str, Any]


@dataclass(slots=True)
class Member:
    """A membership. ``gone_from`` is set once removed: lists still show it until then."""

    user_id: str
    seq: int
    visible_from: float
    gone_from: float | None = None
    roles: list[str] = field(default_factory=list)

    def listed_at(self, now: float) -> bool:
        """Whether an (eventually consistent) member list shows this membership at ``now``."""
        return self.visible_from <= now and (self.gone_from is None or now < self.gone_from)


LINK_FLAGS = ("assign_membership_on_login", "show_as_button", "is_signup_enabled")


@dataclass(slots=True)
class OrgConnection:
    """A connection linked to an organization."""

    connection_id: str
    assign_membership_on_login: bool = False
    show_as_button: bool = True
    is_signup_enabled: bool = False
    is_enabled: bool = True
    organization_access_level: str | None = None
    organization_connection_name: str | None = None


@dataclass(slots=True)
class DiscoveryDomain:
    """A domain whose users are routed to the organization."""

    id: str
    seq: int
    domain: str
    status: str
    use_for_organization_discovery: bool
    verification_txt: str
    verification_host: str


@dataclass(slots=True)
class OrgClient:
    """An application associated with an organization."""

    client_id: str
    seq: int
    use_for_member_access: bool = False


@dataclass(slots=True)
class Organization:
    """An organization and everything that belongs to it."""

    id: str
    seq: int
    name: str
    created_at: str
    display_name: str | None = None
    branding: JsonObject | None = None
    metadata: dict[str, str] | None = None
    token_quota: JsonObject | None = None
    third_party_client_access: str | None = None
    is_app_entitlement_active: bool | None = None
    members: dict[str, Member] = field(default_factory=dict)
    connections: dict[str, OrgConnection] = field(default_factory=dict)
    discovery_domains: dict[str, DiscoveryDomain] = field(default_factory=dict)
    invitations: dict[str, JsonObject] = field(default_factory=dict)
    client_grants: list[str] = field(default_factory=list)
    clients: dict[str, OrgClient] = field(default_factory=dict)


@dataclass(slots=True)
class Role:
    """A tenant role, or an organization-owned role (``type="organization"``)."""

    id: str
    seq: int
    name: str
    description: str | None = None
    type: str = "tenant"
    owner_id: str | None = None
    permissions: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Binding:
    """An action bound to a trigger."""

    id: str
    action_id: str
    display_name: str
    created_at: str
    updated_at: str


@dataclass
class StoreState:
    """All persisted data. Users, connections, clients and the like are kept as JSON objects."""

    tenant_domain: str
    world_digest: str | None = None
    """Digest of the world file the state was seeded from (None: unknown)."""
    seq: int = 0
    log_seq: int = 0
    id_state: list[Any] | None = None
    organizations: dict[str, Organization] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    users: dict[str, JsonObject] = field(default_factory=dict)
    user_roles: dict[str, list[str]] = field(default_factory=dict)
    connections: dict[str, JsonObject] = field(default_factory=dict)
    clients: dict[str, JsonObject] = field(default_factory=dict)
    client_grants: dict[str, JsonObject] = field(default_factory=dict)
    resource_servers: dict[str, JsonObject] = field(default_factory=dict)
    actions: dict[str, JsonObject] = field(default_factory=dict)
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    logs: list[JsonObject] = field(default_factory=list)
    sso_profiles: dict[str, JsonObject] = field(default_factory=dict)
    sso_tickets: dict[str, JsonObject] = field(default_factory=dict)
    """Ticket id -> the ticket's request, profile, expiry and state (open, revoked, used)."""
