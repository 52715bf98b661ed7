"""The live state of a tenant as read from Auth0, with the name <-> id maps a plan needs."""

from dataclasses import dataclass, field

from reconciler.model.organization import Organization


@dataclass(frozen=True)
class LiveRole:
    """A role in Auth0; `owner` is the organization name of an org-owned role."""

    id: str
    name: str
    description: str | None
    permissions: frozenset[tuple[str, str]] | None
    owner: str | None = None


@dataclass(frozen=True)
class LiveConnection:
    """A connection of the tenant."""

    id: str
    name: str
    strategy: str


@dataclass(frozen=True)
class LiveDomain:
    """A discovery domain of an organization."""

    id: str
    domain: str
    status: str
    use_for_organization_discovery: bool
    verification_txt: str | None = None
    verification_host: str | None = None


@dataclass(frozen=True)
class LiveInvitation:
    """A pending invitation of an organization."""

    id: str
    email: str


@dataclass
class LiveOrganization:
    """An organization as Auth0 has it. Parts that were not read are None in `org`."""

    id: str
    org: Organization
    domains: dict[str, LiveDomain] | None = None
    invitations: dict[str, LiveInvitation] | None = None
    member_role_ids: dict[str, dict[str, str]] = field(default_factory=dict)
    """user_id -> {role name: role id} of each read member's direct roles."""


@dataclass
class Snapshot:
    """What the reader saw: managed organizations, roles, connections and looked-up users."""

    organizations: dict[str, LiveOrganization] = field(default_factory=dict)
    other_organizations: dict[str, str] = field(default_factory=dict)
    """Name -> id of organizations in Auth0 that no file describes (when all were listed)."""
    roles: dict[str, LiveRole] = field(default_factory=dict)
    org_roles: dict[tuple[str, str], LiveRole] = field(default_factory=dict)
    connections: dict[str, LiveConnection] = field(default_factory=dict)
    users_by_email: dict[str, str | None] = field(default_factory=dict)
    """Lowercased email -> user_id (None: no such user) for emails not found among members."""
    read_calls: int = 0
