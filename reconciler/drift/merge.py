"""A snapshot brought up to date: what a run read again laid over what the snapshot held.

Whatever the run's read scope covered is taken as read (an organization's own fields when
they were read, each of its parts its scope read, the tenant's roles, connections,
applications, grants, SSO profiles and Action when they were listed); everything else is kept
from the snapshot. The organizations are those of `organizations` (id -> name of every one in
Auth0 now): one the snapshot held that is gone, or no longer carries its name, is dropped.
"""

from collections.abc import Mapping
from dataclasses import replace

from reconciler.model.desired import Desired
from reconciler.model.live import LiveOrganization, LiveRole, Snapshot
from reconciler.resources.organizations import ORG_FIELDS
from reconciler.resources.scope import OrgScope, Scope

ReadAgain = Mapping[str, tuple[bool, bool]]
"""Managed organization read again -> (its own fields were read, its parts were)."""


def merged(
    stored: Snapshot,
    fresh: Snapshot,
    scope: Scope,
    read: ReadAgain,
    desired: Desired,
    organizations: Mapping[str, str],
) -> Snapshot:
    """`fresh` (read under `scope`, the organizations of `read`) over `stored`."""
    names = {n: (n, *(desired.organizations[n].previous_names or ())) for n in read}
    claimed = {n for each in names.values() for n in each}
    kept = {
        key: org
        for key, org in stored.organizations.items()
        if key not in claimed and key in scope.known and organizations.get(org.id) == org.name
    }
    by_id = {org.id: org for org in stored.organizations.values()}
    for org_name, (fields, _) in read.items():
        org_scope = scope.organizations[org_name]
        for name in names[org_name]:
            got = fresh.organizations.get(name)
            if got is not None:
                kept[name] = _organization(by_id.get(got.id), got, org_scope, fields=fields)
    owners = set(kept) | {n for n in organizations.values() if n not in scope.known}
    roles, org_roles, listed = stored.roles, stored.org_roles, stored.roles_listed
    if scope.needs_roles:
        roles = {n: _role(stored.roles.get(n), r, n in scope.roles) for n, r in fresh.roles.items()}
        read_owners = {org.name for org in fresh.organizations.values()}
        org_roles = {k: r for k, r in stored.org_roles.items() if k[0] not in read_owners}
        org_roles |= {
            k: _role(stored.org_roles.get(k), r, k in scope.org_roles)
            for k, r in fresh.org_roles.items()
        }
        listed = fresh.roles_listed
    applications = scope.applications or bool(scope.grants)
    return Snapshot(
        organizations=kept,
        other_organizations={n: i for i, n in organizations.items() if n not in scope.known},
        organizations_listed=len(organizations),
        roles=roles,
        org_roles={k: r for k, r in org_roles.items() if k[0] in owners},
        roles_listed=listed,
        connections=fresh.connections if scope.needs_connections else stored.connections,
        users_by_email={**stored.users_by_email, **fresh.users_by_email},
        users_by_id={**stored.users_by_id, **fresh.users_by_id},
        apis=None
        if stored.apis is None and fresh.apis is None
        else {**(stored.apis or {}), **(fresh.apis or {})},
        clients={**stored.clients, **fresh.clients},
        applications=fresh.applications if applications else stored.applications,
        client_grants=fresh.client_grants if applications else stored.client_grants,
        sso_profiles=fresh.sso_profiles if scope.sso_profiles else stored.sso_profiles,
        post_login=fresh.post_login if scope.action is not None else stored.post_login,
    )


def _organization(
    before: LiveOrganization | None, got: LiveOrganization, scope: OrgScope, *, fields: bool
) -> LiveOrganization:
    """The organization as read, with what was not read (its fields, parts outside its
    scope) as the snapshot had it."""
    if before is None:
        return got
    kept: dict[str, object] = {} if fields else {f: getattr(before, f) for f in ORG_FIELDS}
    for part, was_read in (
        ("members", scope.members),
        ("invitations", scope.invitations),
        ("connections", scope.connections),
        ("domains", scope.domains),
        ("client_grants", scope.client_grants),
        ("applications", scope.applications),
    ):
        if not was_read:
            kept[part] = getattr(before, part)
    return replace(got, **kept)  # type: ignore[arg-type]


def _role(before: LiveRole | None, got: LiveRole, permissions_read: bool) -> LiveRole:
    """A role as listed, with its permissions as the snapshot had them when they were not
    read now (and it is the same role)."""
    if permissions_read or before is None or before.id != got.id:
        return got
    return replace(got, permissions=before.permissions)
