"""The live state of a tenant as read from Auth0, with the name <-> id maps a plan needs.

These types are built leniently from whatever Auth0 returns: they carry no rule of the files
(name patterns, a role listed once, email syntax), so no value Auth0 accepts can stop a plan.
"""

from dataclasses import dataclass, field
from typing import Any


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
    """A connection of the tenant; the fields the files may manage are read only when the
    files declare enterprise connections."""

    id: str
    name: str
    strategy: str
    display_name: str | None = None
    show_as_button: bool | None = None
    is_domain_connection: bool | None = None
    options: dict[str, Any] | None = None
    """Its options as Auth0 returns them, secrets left out (None: not read)."""
    clients: frozenset[str] | None = None
    """The client ids it is enabled for (None: not read)."""


@dataclass(frozen=True)
class LiveEnabledConnection:
    """A connection enabled for one organization, with its flags."""

    connection_id: str
    name: str
    assign_membership_on_login: bool = False
    show_as_button: bool = True
    is_signup_enabled: bool = False


@dataclass(frozen=True)
class LiveMember:
    """A member of an organization and its direct role assignments in it."""

    user_id: str
    email: str | None = None
    name: str | None = None
    roles: tuple[tuple[str, str], ...] = ()
    """(role id, role name) pairs; names may repeat (a tenant role and an org-owned one)."""

    @property
    def role_ids(self) -> dict[str, str]:
        """Role id -> role name."""
        return dict(self.roles)


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
    """A pending invitation of an organization and the role ids it grants on acceptance."""

    id: str
    email: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class LiveApplication:
    """An application (client) as Auth0 has it: id, name and the settings the files may
    manage (never its secret)."""

    client_id: str
    name: str
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def app_type(self) -> str | None:
        """The application type, when Auth0 returned one."""
        value = self.settings.get("app_type")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class LiveSsoProfile:
    """A self-service SSO profile as Auth0 has it: its id, name and the managed fields."""

    id: str
    name: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LiveClientGrant:
    """A client grant: an application's access to an API, and whether organizations may
    use it."""

    id: str
    client_id: str
    audience: str
    scope: tuple[str, ...] = ()
    organization_usage: str | None = None


@dataclass
class LiveOrganization:
    """An organization as Auth0 has it. Parts that were not read are None."""

    id: str
    name: str
    display_name: str | None = None
    branding: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    """Keys with a null value are left out."""
    token_quota: dict[str, Any] | None = None
    third_party_client_access: str | None = None
    is_app_entitlement_active: bool | None = None
    members: tuple[LiveMember, ...] | None = None
    connections: dict[str, LiveEnabledConnection] | None = None
    """Connection name -> link."""
    domains: dict[str, LiveDomain] | None = None
    invitations: dict[str, LiveInvitation] | None = None
    client_grants: dict[str, LiveClientGrant] | None = None
    """Grant id -> the client grants associated with the organization."""
    applications: dict[str, bool] | None = None
    """Client id -> whether members may use it (`use_for_member_access`)."""


@dataclass(frozen=True)
class ActionVersion:
    """What an Action runs: its code, runtime, npm dependencies and the names of its secrets
    (Auth0 never returns their values)."""

    code: str
    runtime: str | None
    dependencies: frozenset[tuple[str, str]]
    """(package, version) pairs."""
    secret_names: frozenset[str]


@dataclass(frozen=True)
class LiveAction:
    """An Action: its draft (what an update changes) and the version deployed, if any."""

    id: str
    name: str
    draft: ActionVersion
    deployed: ActionVersion | None
    draft_built: bool = True
    """False while Auth0 has not built the draft (its build failed, or has not finished):
    Auth0 refuses to deploy it."""


@dataclass(frozen=True)
class LiveBinding:
    """One action bound to a trigger; `action_id` or `action_name` may be unknown."""

    id: str
    action_id: str | None
    action_name: str | None
    display_name: str | None = None


@dataclass(frozen=True)
class LivePostLogin:
    """The managed post-login Action (None: no action of its name) and the trigger's
    bindings in execution order."""

    action: LiveAction | None
    bindings: tuple[LiveBinding, ...]


@dataclass
class Snapshot:
    """What the reader saw: managed organizations, roles, connections and looked-up users."""

    organizations: dict[str, LiveOrganization] = field(default_factory=dict)
    other_organizations: dict[str, str] = field(default_factory=dict)
    """Name -> id of organizations in Auth0 that no file describes (when all were listed)."""
    organizations_listed: int | None = None
    """How many organizations the tenant has, when they were all listed."""
    roles: dict[str, LiveRole] = field(default_factory=dict)
    org_roles: dict[tuple[str, str], LiveRole] = field(default_factory=dict)
    roles_listed: int | None = None
    """How many roles the tenant holds, its own and its organizations', when they were listed."""
    connections: dict[str, LiveConnection] = field(default_factory=dict)
    users_by_email: dict[str, str | None] = field(default_factory=dict)
    """Lowercased email -> user_id (None: no such user) for emails not found among members."""
    users_by_id: dict[str, bool] = field(default_factory=dict)
    """user_id -> whether the user exists, for user ids listed but not members yet."""
    apis: dict[str, frozenset[str]] | None = None
    """API identifier -> its permissions (scopes), for the APIs managed permissions name."""
    clients: dict[str, bool] = field(default_factory=dict)
    """client_id -> whether the application exists (checked before inviting)."""
    applications: dict[str, LiveApplication] | None = None
    """client_id -> application, when the files name applications (None: not read)."""
    client_grants: dict[tuple[str, str], LiveClientGrant] = field(default_factory=dict)
    """(client_id, audience) -> grant, for the applications that API access names."""

    def applications_named(self, name: str) -> list[LiveApplication]:
        """The applications of this name (Auth0 does not keep names unique)."""
        return [app for app in (self.applications or {}).values() if app.name == name]

    sso_profiles: dict[str, LiveSsoProfile] | None = None
    """Name -> the declared self-service profiles found (None: not read)."""
    post_login: LivePostLogin | None = None
    """The post-login Action and bindings, when the files manage the Action (else not read)."""
    read_calls: int = 0
