"""Reads the live state of what the desired state manages, with the fewest requests.

Per docs/performance.md: organization pages of 100; per managed organization its members (roles
inline) in pages of 100, its enabled connections and its discovery domains; role pages and
the permissions of managed roles; connection pages. Invitations, user look-ups, applications
and client grants only where the files need them; the post-login Action (by name) and the
post-login bindings only when the files manage the Action. What is read is decided in
`what_to_read`, how lists are paged in `paging`, how answers are parsed in `parse`; every
request goes through `reads`.
"""

import asyncio
from typing import Any

from reconciler.auth0 import what_to_read as decide
from reconciler.auth0.organization_reader import nothing, read_organization
from reconciler.auth0.paging import PAGE
from reconciler.auth0.parse import ORG_FIELDS as ORG_FIELDS  # noqa: PLC0414 (public here)
from reconciler.auth0.parse import (
    api_scopes,
    live_action,
    live_application,
    live_binding,
    live_client_grant,
    live_connection,
    organization_fields,
    permission_pairs,
)
from reconciler.auth0.reads import Reads, SessionReads
from reconciler.auth0.scope import OrgScope, Scope
from reconciler.auth0.session import Session
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.model.applications import MANAGED_FIELDS
from reconciler.model.live import (
    LiveApplication,
    LiveConnection,
    LivePostLogin,
    LiveRole,
    Snapshot,
)
from reconciler.progress import Progress, ProgressEvent

POST_LOGIN = "post-login"
CLIENT_FIELDS = ",".join(("client_id", "name", *MANAGED_FIELDS))
"""The fields of an application that are read: never its secret."""


Found = dict[str, tuple[str, dict[str, Any]]]
"""Organization name -> (id, fields as Auth0 returned them, at least `name`)."""


async def read_live(
    session: Session, scope: Scope, progress: Progress | None = None, found: Found | None = None
) -> Snapshot:
    """Read what `scope` covers into a Snapshot; `progress` hears of each organization read.

    `found` gives the organizations when they are known already (by id, with the fields that
    were read), instead of listing them or looking them up by name.
    """
    api = SessionReads(session)
    before = session.counter.reads
    lists = decide.tenant_lists(scope)
    snapshot = Snapshot()
    orgs, roles, connections, applications, post_login = await asyncio.gather(
        _known(found) if found is not None else _organizations(api, scope),
        _roles(api) if ENDPOINTS.list_roles in lists else nothing(),
        _connections(api) if ENDPOINTS.list_connections in lists else nothing(),
        applications_of(api) if ENDPOINTS.list_applications in lists else nothing(),
        _post_login(api, scope.action) if scope.action is not None else nothing(),
    )
    snapshot.applications = applications
    snapshot.post_login = post_login
    by_id = {org_id: name for name, (org_id, _) in orgs.items()}
    if scope.list_all:
        snapshot.organizations_listed = len(orgs)
        snapshot.other_organizations = {
            name: org_id for name, (org_id, _) in orgs.items() if name not in scope.known
        }
    snapshot.connections = {c.name: c for c in connections or []}
    todo = decide.organizations_to_read(scope, orgs)
    done = 0

    async def read_one(org_scope: OrgScope, name: str) -> None:
        nonlocal done
        live = await read_organization(api, org_scope, *orgs[name])
        snapshot.organizations[live.name] = live
        done += 1
        if progress is not None:
            progress(ProgressEvent("reading organizations", done, len(todo)))

    await asyncio.gather(
        _role_permissions(api, scope, snapshot, roles or [], by_id),
        _client_grants(api, scope, snapshot),
        *(read_one(s, name) for s, name in todo),
    )
    await asyncio.gather(
        _users_by_email(api, scope, snapshot),
        _users_by_id(api, scope, snapshot),
        _apis(api, scope, snapshot),
    )
    await _invitation_client(api, scope, snapshot)
    snapshot.read_calls = session.counter.reads - before
    return snapshot


async def _known(found: Found) -> Found:
    return found


async def _organizations(api: Reads, scope: Scope) -> Found:
    """name -> (id, fields) of every organization, or only of the selected ones."""
    client = api.client.organizations
    if scope.list_all:
        items = await api.pages(
            ENDPOINTS.list_organizations, lambda _: client.list(take=PAGE, include_totals=False)
        )
        return {o.name: (o.id, organization_fields(o)) for o in items if o.name and o.id}
    found: Found = {}

    async def by_name(name: str) -> None:
        org = await _organization_by_name(api, name)
        if org is not None:
            found[org[1]["name"]] = org

    names = [n for s in scope.organizations.values() for n in s.names]
    await asyncio.gather(*(by_name(n) for n in names))
    return found


async def organization_by_name(session: Session, name: str) -> tuple[str, dict[str, Any]] | None:
    """(id, fields) of the organization of this name, or None when there is none."""
    return await _organization_by_name(SessionReads(session), name)


async def _organization_by_name(api: Reads, name: str) -> tuple[str, dict[str, Any]] | None:
    client = api.client.organizations
    org = await api.one_or_none(
        ENDPOINTS.organization_by_name, lambda: client.get_by_name(name), name, org=name
    )
    return (org.id, organization_fields(org)) if org and org.id and org.name else None


async def organization_by_id(session: Session, org_id: str) -> tuple[str, dict[str, Any]] | None:
    """(id, fields) of the organization of this id, or None when there is none (deleted)."""
    client = session.client.organizations
    org = await SessionReads(session).one_or_none(
        ENDPOINTS.get_organization, lambda: client.get(org_id), org_id
    )
    return (org.id, organization_fields(org)) if org and org.id and org.name else None


async def _roles(api: Reads) -> list[Any]:
    roles = api.client.roles
    return await api.pages(ENDPOINTS.list_roles, lambda page: roles.list(page=page, per_page=PAGE))


async def _role_permissions(
    api: Reads, scope: Scope, snapshot: Snapshot, roles: list[Any], org_names: dict[str, str]
) -> None:
    """Fill the snapshot's roles; read permissions only of managed roles."""
    kept = decide.roles_to_keep(scope, roles, org_names)
    for role, owner, _ in kept:
        _store_role(snapshot, LiveRole(role.id, role.name, role.description, None, owner))

    async def permissions(role: Any, owner: str | None) -> None:
        pairs = await _permissions_of(api, role.id, owner)
        _store_role(snapshot, LiveRole(role.id, role.name, role.description, pairs, owner))

    await asyncio.gather(*(permissions(role, owner) for role, owner, managed in kept if managed))


async def role_permissions(
    session: Session, role_id: str, owner: str | None = None
) -> frozenset[tuple[str, str]]:
    """The (API identifier, permission name) pairs a role grants; `owner` labels errors."""
    return await _permissions_of(SessionReads(session), role_id, owner)


async def _permissions_of(
    api: Reads, role_id: str, owner: str | None
) -> frozenset[tuple[str, str]]:
    permissions = api.client.roles.permissions
    items = await api.pages(
        ENDPOINTS.list_permissions,
        lambda page: permissions.list(role_id, page=page, per_page=PAGE),
        role_id,
        org=owner,
    )
    return permission_pairs(items)


def _store_role(snapshot: Snapshot, role: LiveRole) -> None:
    if role.owner is None:
        snapshot.roles[role.name] = role
    else:
        snapshot.org_roles[(role.owner, role.name)] = role


async def _connections(api: Reads) -> list[LiveConnection]:
    items = await api.pages(
        ENDPOINTS.list_connections,
        lambda _: api.client.connections.list(
            take=PAGE, fields="id,name,strategy", include_fields=True, include_totals=False
        ),
    )
    found = (live_connection(item) for item in items)
    return [connection for connection in found if connection is not None]


async def _users_by_email(api: Reads, scope: Scope, snapshot: Snapshot) -> None:
    """Look up the emails of listed members that are not members yet, once each."""

    async def lookup(email: str) -> None:
        users = await api.one(
            ENDPOINTS.users_by_email,
            lambda: api.client.users.list_users_by_email(email=email, fields="user_id"),
        )
        ids = sorted(u.user_id for u in users if u.user_id)
        snapshot.users_by_email[email] = ids[0] if ids else None

    await asyncio.gather(*(lookup(email) for email in decide.emails_to_look_up(scope, snapshot)))


async def _users_by_id(api: Reads, scope: Scope, snapshot: Snapshot) -> None:
    """Check that members listed by user_id, and not members yet, exist: once each."""

    async def lookup(user_id: str) -> None:
        user = await api.one_or_none(
            ENDPOINTS.get_user,
            lambda: api.client.users.get(user_id, fields="user_id", include_fields=True),
            user_id,
        )
        snapshot.users_by_id[user_id] = user is not None

    await asyncio.gather(*(lookup(u) for u in decide.user_ids_to_check(scope, snapshot)))


async def _invitation_client(api: Reads, scope: Scope, snapshot: Snapshot) -> None:
    """Check the invitations' application once, when some invitation would be sent."""
    client_id = decide.invitation_client_to_check(scope, snapshot)
    if client_id is None:
        return
    client = await api.one_or_none(
        ENDPOINTS.get_application,
        lambda: api.client.clients.get(client_id, fields="client_id", include_fields=True),
        client_id,
    )
    snapshot.clients[client_id] = client is not None


async def applications_of(api: Reads) -> dict[str, LiveApplication]:
    """Every application of the tenant (not the global one), with the managed fields only."""
    items = await api.pages(
        ENDPOINTS.list_applications,
        lambda page: api.client.clients.list(
            fields=CLIENT_FIELDS, include_fields=True, is_global=False, page=page, per_page=PAGE
        ),
    )
    apps = (live_application(item) for item in items)
    return {app.client_id: app for app in apps if app is not None}


async def _client_grants(api: Reads, scope: Scope, snapshot: Snapshot) -> None:
    """The grants of each application that API access names, one listing per application."""

    async def read(client_id: str) -> None:
        items = await api.pages(
            ENDPOINTS.list_client_grants,
            lambda _: api.client.client_grants.list(client_id=client_id, take=PAGE),
        )
        for item in items:
            grant = live_client_grant(item)
            if grant is not None:
                snapshot.client_grants[grant.client_id, grant.audience] = grant

    await asyncio.gather(*(read(cid) for cid in decide.grant_applications(scope, snapshot)))


async def _apis(api: Reads, scope: Scope, snapshot: Snapshot) -> None:
    """The APIs of the permissions a role is to be given, ten identifiers a request; none
    when every granted permission is already on its role (a no-op plan reads nothing)."""
    chunks = decide.apis_to_check(scope, snapshot)
    if not chunks:
        return
    servers = api.client.resource_servers

    async def read(chunk: list[str]) -> list[Any]:
        return await api.pages(
            ENDPOINTS.list_apis,
            lambda page: servers.list(identifiers=chunk, page=page, per_page=PAGE),
        )

    snapshot.apis = {}
    for items in await asyncio.gather(*(read(chunk) for chunk in chunks)):
        snapshot.apis.update(api_scopes(items))


async def _post_login(api: Reads, name: str) -> LivePostLogin:
    """The Action of this name (one request) and the post-login bindings (one page of 100)."""
    actions, bindings = await asyncio.gather(
        api.pages(
            ENDPOINTS.list_actions,
            lambda page: api.client.actions.list(action_name=name, page=page, per_page=PAGE),
        ),
        api.pages(
            ENDPOINTS.list_bindings,
            lambda page: api.client.actions.triggers.bindings.list(
                POST_LOGIN, page=page, per_page=PAGE
            ),
            POST_LOGIN,
        ),
    )
    found = (live_action(item) for item in actions if getattr(item, "name", None) == name)
    return LivePostLogin(
        action=next((action for action in found if action is not None), None),
        bindings=tuple(b for b in map(live_binding, bindings) if b is not None),
    )
