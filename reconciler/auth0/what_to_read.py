"""What to read, decided from the read scope (what the desired state manages) and from what
has been read before: pure functions, no I/O.

Tenant-wide lists are read only when something the files manage needs them; an
organization's parts only when its file manages them; users, the invitations' application
and APIs only when the plan could not be made without them (docs/performance.md).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.auth0.scope import OrgScope, Scope
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.model.live import LiveOrganization, Snapshot

IDENTIFIERS_PER_CALL = 10
"""GET /resource-servers filters by at most ten identifiers a request."""


def tenant_lists(scope: Scope) -> frozenset[Endpoint]:
    """The tenant-wide lists a read needs (organizations aside)."""
    wanted = {
        ENDPOINTS.list_roles: scope.needs_roles,
        ENDPOINTS.list_connections: scope.needs_connections,
        ENDPOINTS.list_applications: scope.applications,
        ENDPOINTS.list_actions: scope.action is not None,
        ENDPOINTS.list_bindings: scope.action is not None,
    }
    return frozenset(endpoint for endpoint, needed in wanted.items() if needed)


def organization_lists(scope: OrgScope) -> frozenset[Endpoint]:
    """The lists of one organization a read needs: the parts its file manages (its enabled
    connections also for its members, whose connection a rule may name)."""
    wanted = {
        ENDPOINTS.list_members: scope.members,
        ENDPOINTS.list_enabled_connections: scope.connections or scope.members,
        ENDPOINTS.list_discovery_domains: scope.domains,
        ENDPOINTS.list_invitations: scope.invitations,
        ENDPOINTS.list_organization_grants: scope.client_grants,
        ENDPOINTS.list_organization_applications: scope.applications,
    }
    return frozenset(endpoint for endpoint, needed in wanted.items() if needed)


def organizations_to_read(scope: Scope, found: Iterable[str]) -> list[tuple[OrgScope, str]]:
    """(scope, name) of each name, current or previous, of the scope's organizations that
    exists: an organization found under both its names is read under each."""
    there = set(found)
    return [
        (org_scope, name)
        for org_scope in scope.organizations.values()
        for name in org_scope.names
        if name in there
    ]


def roles_to_keep(
    scope: Scope, roles: Iterable[Any], org_names: Mapping[str, str]
) -> list[tuple[Any, str | None, bool]]:
    """(role, owning organization's name, permissions managed) of the tenant's roles that the
    snapshot holds: tenant roles and the roles of organizations read."""
    kept = []
    for role in roles:
        owner = org_names.get(role.owner_id) if role.type == "organization" else None
        if role.type == "organization" and owner is None:
            continue
        managed = (owner, role.name) in scope.org_roles if owner else role.name in scope.roles
        kept.append((role, owner, managed))
    return kept


def emails_to_look_up(scope: Scope, snapshot: Snapshot) -> list[str]:
    """The emails of listed members who are not members yet, once each."""
    missing: set[str] = set()
    for org_scope in scope.organizations.values():
        live = live_of(snapshot, org_scope)
        known = {m.email.lower() for m in (live.members or ()) if m.email} if live else set()
        missing.update(email for email in org_scope.emails if email not in known)
    return sorted(missing)


def user_ids_to_check(scope: Scope, snapshot: Snapshot) -> list[str]:
    """The user ids of listed members who are not members yet, once each."""
    unknown: set[str] = set()
    for org_scope in scope.organizations.values():
        live = live_of(snapshot, org_scope)
        members = {m.user_id for m in (live.members or ())} if live else set()
        unknown.update(u for u in org_scope.user_ids if u not in members)
    return sorted(unknown)


def invitation_client_to_check(scope: Scope, snapshot: Snapshot) -> str | None:
    """The invitations' application, when some invitation would be sent: to an email that
    is no user and has no pending invitation."""
    client_id = scope.invitation_client
    if client_id is None or not any(
        snapshot.users_by_email.get(email, "") is None
        and email not in ((live.invitations or {}) if live else {})
        for org_scope in scope.organizations.values()
        for live in [live_of(snapshot, org_scope)]
        for email in org_scope.invites
    ):
        return None
    return client_id


def grant_applications(scope: Scope, snapshot: Snapshot) -> list[str]:
    """The client ids of the applications API access names (those that exist once)."""
    names = sorted({name for name, _ in scope.grants})
    found = [snapshot.applications_named(name) for name in names]
    return [apps[0].client_id for apps in found if len(apps) == 1]


def apis_to_check(scope: Scope, snapshot: Snapshot) -> list[list[str]]:
    """The APIs of permissions a role is to be given and of grants that are missing or lack
    a scope, ten identifiers a request; none when nothing is to be added."""
    adding: set[str] = set()
    for (owner, name), pairs in scope.permissions.items():
        live = snapshot.org_roles.get((owner, name)) if owner else snapshot.roles.get(name)
        have = (live.permissions or frozenset()) if live is not None else frozenset()
        adding.update(api for api, _ in pairs - have)
    for (name, api), scopes in scope.grants.items():
        apps = snapshot.applications_named(name)
        if len(apps) > 1:
            continue
        grant = snapshot.client_grants.get((apps[0].client_id, api)) if apps else None
        if grant is None or scopes - set(grant.scope):
            adding.add(api)
    names = sorted(adding)
    return [names[i : i + IDENTIFIERS_PER_CALL] for i in range(0, len(names), IDENTIFIERS_PER_CALL)]


def live_of(snapshot: Snapshot, scope: OrgScope) -> LiveOrganization | None:
    """The organization read for this scope, under its name or a previous one."""
    for name in scope.names:
        if name in snapshot.organizations:
            return snapshot.organizations[name]
    return None
