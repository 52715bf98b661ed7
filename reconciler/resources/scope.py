"""What a read must cover: only what the desired state manages."""

from dataclasses import dataclass, field

from reconciler.model.desired import Desired
from reconciler.model.organization import Organization
from reconciler.routing import ActionDefinition, action_definition, routing_table


@dataclass(frozen=True)
class OrgScope:
    """The parts of one organization the files manage."""

    names: tuple[str, ...]
    """The organization's name, then its previous names."""
    members: bool
    connections: bool
    domains: bool
    emails: tuple[str, ...]
    """Lowercased emails of members listed without a user_id."""
    invites: tuple[str, ...]
    """Lowercased emails of members to invite if they are not users yet."""
    user_ids: tuple[str, ...] = ()
    """Members given by user_id (looked up when they are not members yet)."""
    invitations: bool = False
    """Pending invitations are managed (the tenant invites people and members are managed)."""
    client_grants: bool = False
    """The client grants associated with it are managed (the file has `api_access`)."""
    applications: bool = False
    """The applications its members may use are managed (the file has `applications`)."""
    member_links: bool = True
    """Its connection links are read for its members too (a rule may name the connection
    they log in with); False where the links are known already."""


@dataclass(frozen=True)
class Scope:
    """Which organizations, roles and parts to read."""

    organizations: dict[str, OrgScope]
    list_all: bool
    """True when every organization is listed (so unmanaged ones are known)."""
    known: frozenset[str]
    """Every name, current or previous, that an organization file claims."""
    roles: frozenset[str]
    """Tenant roles whose permissions are managed."""
    org_roles: frozenset[tuple[str, str]]
    """(org, role) pairs of org-owned roles whose permissions are managed."""
    needs_roles: bool
    needs_connections: bool
    permissions: dict[tuple[str | None, str], frozenset[tuple[str, str]]] = field(
        default_factory=dict
    )
    """(owner org or None, role name) -> the (API, permission) pairs the files grant it; the
    APIs of pairs a role lacks are read to check them before they are added."""
    invitation_client: str | None = None
    """The application invitations are sent for (checked when an invitation would be sent)."""
    applications: bool = False
    """Applications are read: applications.yaml, API access, or an organization's
    applications or API access (to name what is dissociated) is managed."""
    grants: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    """(application name, API) -> scopes of every organization's API access; the grants of
    these applications are read, and the API of a grant that lacks a scope is checked."""
    action: str | None = None
    """The post-login Action the files manage, by name: it and the post-login trigger's
    bindings are read (None: nothing about Actions is read)."""
    enterprise_connections: frozenset[str] = frozenset()
    """The enterprise connections the files declare: the connections are listed with their
    options (kept for these only)."""
    connection_clients: frozenset[str] = frozenset()
    """Declared connections whose applications are managed: each one's are read."""
    adopt_connections: bool = False
    """Import adopts connections: every connection's options are kept."""
    sso_profiles: frozenset[str] = frozenset()
    """The self-service profiles sso-profiles.yaml declares (the profiles are listed)."""


def managed_action(desired: Desired) -> ActionDefinition | None:
    """The Action the files manage: tenant.yaml's `action` (which needs `claims`) when some
    organization has routing rules. None otherwise: then nothing about Actions is read."""
    if desired.tenant.action is None or desired.tenant.claims is None:
        return None
    if not routing_table(desired).has_rules:
        return None
    return action_definition(desired)


def scope_of(
    desired: Desired, only: frozenset[str] | None = None, *, list_all: bool | None = None
) -> Scope:
    """The read scope of a desired state, limited to `only` organizations when given (the
    post-login Action routes to every organization, so it is read either way).

    `list_all` lists every organization (default: when no subset is given) instead of
    looking the selected ones up by name.
    """
    invites = desired.tenant.invitations is not None
    grants = {
        (entry.application, entry.api): frozenset(entry.scopes)
        for org in desired.organizations.values()
        for entry in org.api_access or []
    }
    action = managed_action(desired)
    declared = {
        name: conn
        for name, (_, conn) in desired.enterprise_connections().items()
        if not conn.absent
    }
    orgs = {
        name: _org_scope(org, invites)
        for name, org in desired.organizations.items()
        if only is None or name in only
    }
    selected = [desired.organizations[name] for name in orgs]
    org_roles = frozenset(
        (org.name, role)
        for org in selected
        for role, spec in (org.roles or {}).items()
        if spec.permissions is not None
    )
    needs_roles = bool(desired.roles) or any(
        org.roles is not None or any(m.roles is not None for m in org.members or [])
        for org in selected
    )
    return Scope(
        organizations=orgs,
        list_all=only is None if list_all is None else list_all,
        known=frozenset(
            name
            for org in desired.organizations.values()
            for name in (org.name, *(org.previous_names or ()))
        ),
        roles=frozenset(n for n, r in desired.roles.items() if r.permissions is not None),
        org_roles=org_roles,
        needs_roles=needs_roles,
        needs_connections=bool(desired.enterprise_connections())
        or any(s.connections or s.members for s in orgs.values())
        or bool(invites and desired.tenant.invitations and desired.tenant.invitations.connection),
        permissions={
            **{
                (None, name): role.permission_pairs()
                for name, role in desired.roles.items()
                if role.permissions is not None
            },
            **{
                (org.name, name): role.permission_pairs()
                for org in selected
                for name, role in (org.roles or {}).items()
                if role.permissions is not None
            },
        },
        invitation_client=desired.tenant.invitations.client_id
        if invites
        and desired.tenant.invitations
        and desired.tenant.invitations.client_id not in desired.applications
        else None,
        applications=bool(desired.applications or grants)
        or any(s.applications or s.client_grants for s in orgs.values())
        or any(conn.applications is not None for conn in declared.values()),
        grants=grants,
        action=action.name if action is not None else None,
        enterprise_connections=frozenset(desired.enterprise_connections()),
        connection_clients=frozenset(
            name for name, conn in declared.items() if conn.applications is not None
        ),
        sso_profiles=frozenset(desired.sso_profiles),
    )


def _org_scope(org: Organization, invites: bool) -> OrgScope:
    members = org.members or []
    return OrgScope(
        user_ids=tuple(
            sorted({m.user_id for m in members if m.user_id is not None and not m.absent})
        ),
        invitations=invites and org.members is not None,
        names=(org.name, *(org.previous_names or ())),
        members=org.members is not None,
        connections=org.connections is not None or bool(org.enterprise_connections),
        domains=org.routing is not None and org.routing.email_domains is not None,
        emails=tuple(sorted({m.key for m in members if m.user_id is None and not m.absent})),
        invites=tuple(sorted({m.key for m in members if m.invite})),
        client_grants=org.api_access is not None,
        applications=org.applications is not None,
    )
