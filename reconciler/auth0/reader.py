"""Reads the live state of what the desired state manages, with the fewest requests.

Per docs/performance.md: organization pages of 100; per managed organization its members (roles
inline) in pages of 100, its enabled connections and its discovery domains; role pages and
the permissions of managed roles; connection pages. Invitations, user look-ups, applications
and client grants only where the files need them; the post-login Action (by name) and the
post-login bindings only when the files manage the Action. Pages stop on a short page or a
missing `next`.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any

from auth0.management.core.pagination import AsyncPager

from reconciler.auth0.errors import ApiCallError
from reconciler.auth0.scope import OrgScope, Scope
from reconciler.auth0.session import Session
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.model.applications import MANAGED_FIELDS
from reconciler.model.live import (
    ActionVersion,
    LiveAction,
    LiveApplication,
    LiveBinding,
    LiveClientGrant,
    LiveConnection,
    LiveDomain,
    LiveEnabledConnection,
    LiveInvitation,
    LiveMember,
    LiveOrganization,
    LivePostLogin,
    LiveRole,
    Snapshot,
)
from reconciler.progress import Progress, ProgressEvent

PAGE = 100
POST_LOGIN = "post-login"
IDENTIFIERS_PER_CALL = 10
"""GET /resource-servers filters by at most ten identifiers a request."""
MEMBER_FIELDS = "user_id,email,name,roles"
ORG_FIELDS = (
    "display_name",
    "branding",
    "metadata",
    "token_quota",
    "third_party_client_access",
    "is_app_entitlement_active",
)
"""What is read of an organization's own fields."""
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
    before = session.counter.reads
    snapshot = Snapshot()
    orgs, roles, connections, applications, post_login = await asyncio.gather(
        _known(found) if found is not None else _organizations(session, scope),
        _roles(session) if scope.needs_roles else _none(),
        _connections(session) if scope.needs_connections else _none(),
        _applications(session) if scope.applications else _none(),
        _post_login(session, scope.action) if scope.action is not None else _none(),
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
    todo = [
        (scope_, orgs[name])
        for scope_ in scope.organizations.values()
        for name in scope_.names
        if name in orgs
    ]
    done = 0

    async def read_one(org_scope: OrgScope, found: tuple[str, dict[str, Any]]) -> None:
        nonlocal done
        live = await _organization(session, org_scope, *found)
        snapshot.organizations[live.name] = live
        done += 1
        if progress is not None:
            progress(ProgressEvent("reading organizations", done, len(todo)))

    await asyncio.gather(
        _role_permissions(session, scope, snapshot, roles or [], by_id),
        _client_grants(session, scope, snapshot),
        *(read_one(s, found) for s, found in todo),
    )
    await asyncio.gather(
        _users_by_email(session, scope, snapshot),
        _users_by_id(session, scope, snapshot),
        _apis(session, scope, snapshot),
    )
    await _invitation_client(session, scope, snapshot)
    snapshot.read_calls = session.counter.reads - before
    return snapshot


async def _none() -> None:
    return None


async def _known(found: Found) -> Found:
    return found


async def _organizations(session: Session, scope: Scope) -> Found:
    """name -> (id, fields) of every organization, or only of the selected ones."""
    client = session.client.organizations
    if scope.list_all:
        items = await _checkpoint(
            session,
            lambda: client.list(take=PAGE, include_totals=False),
            ENDPOINTS.list_organizations.call(),
        )
        return {o.name: (o.id, _fields(o)) for o in items if o.name and o.id}
    found: Found = {}

    async def by_name(name: str) -> None:
        org = await organization_by_name(session, name)
        if org is not None:
            found[org[1]["name"]] = org

    names = [n for s in scope.organizations.values() for n in s.names]
    await asyncio.gather(*(by_name(n) for n in names))
    return found


async def organization_by_name(session: Session, name: str) -> tuple[str, dict[str, Any]] | None:
    """(id, fields) of the organization of this name, or None when there is none."""
    client = session.client.organizations
    try:
        org = await session.read(
            lambda: client.get_by_name(name),
            what=ENDPOINTS.organization_by_name.call(name),
            org=name,
        )
    except ApiCallError as error:
        if error.status == 404:
            return None
        raise
    return (org.id, _fields(org)) if org.id and org.name else None


async def organization_by_id(session: Session, org_id: str) -> tuple[str, dict[str, Any]] | None:
    """(id, fields) of the organization of this id, or None when there is none (deleted)."""
    client = session.client.organizations
    try:
        org = await session.read(
            lambda: client.get(org_id), what=ENDPOINTS.get_organization.call(org_id)
        )
    except ApiCallError as error:
        if error.status == 404:
            return None
        raise
    return (org.id, _fields(org)) if org.id and org.name else None


async def _organization(
    session: Session, scope: OrgScope, org_id: str, fields: dict[str, Any]
) -> LiveOrganization:
    name = fields["name"]
    orgs = session.client.organizations
    members_task = (
        _checkpoint(
            session,
            lambda: orgs.members.list(
                org_id, take=PAGE, fields=MEMBER_FIELDS, include_fields=True, include_totals=False
            ),
            ENDPOINTS.list_members.call(org_id),
            org=name,
        )
        if scope.members
        else _none()
    )
    connections_task = (
        _offset(
            session,
            lambda page: orgs.enabled_connections.list(org_id, page=page, per_page=PAGE),
            ENDPOINTS.list_enabled_connections.call(org_id),
            org=name,
        )
        if scope.connections or scope.members
        else _none()
    )
    domains_task = (
        _checkpoint(
            session,
            lambda: orgs.discovery_domains.list(org_id, take=PAGE),
            ENDPOINTS.list_discovery_domains.call(org_id),
            org=name,
        )
        if scope.domains
        else _none()
    )
    invitations_task = (
        _offset(
            session,
            lambda page: orgs.invitations.list(org_id, page=page, per_page=PAGE),
            ENDPOINTS.list_invitations.call(org_id),
            org=name,
        )
        if scope.invitations
        else _none()
    )
    members, connections, domains, invitations, grants, applications = await asyncio.gather(
        members_task,
        connections_task,
        domains_task,
        invitations_task,
        _org_client_grants(session, org_id, name) if scope.client_grants else _none(),
        _org_applications(session, org_id, name) if scope.applications else _none(),
    )
    live = live_organization(org_id, fields)
    live.client_grants = grants
    live.applications = applications
    if members is not None:
        live.members = tuple(live_member(m) for m in members if getattr(m, "user_id", None))
    if connections is not None:
        live.connections = {}
        for item in connections:
            link = enabled_connection(item)
            if link is not None:
                live.connections[link.name] = link
    if domains is not None:
        live.domains = {}
        for item in domains:
            domain = live_domain(item)
            if domain is not None:
                live.domains[domain.domain] = domain
    if invitations is not None:
        live.invitations = {}
        for item in invitations:
            invitation = live_invitation(item)
            if invitation is not None:
                live.invitations.setdefault(invitation.email, invitation)
    return live


def live_organization(org_id: str, fields: dict[str, Any]) -> LiveOrganization:
    """An organization's own fields, taken as Auth0 returns them."""
    branding = fields.get("branding")
    metadata = fields.get("metadata")
    quota = fields.get("token_quota")
    access = fields.get("third_party_client_access")
    active = fields.get("is_app_entitlement_active")
    display = fields.get("display_name")
    return LiveOrganization(
        id=org_id,
        name=str(fields["name"]),
        display_name=display if isinstance(display, str) else None,
        branding=dict(branding) if isinstance(branding, dict) else None,
        metadata=(
            {str(k): v for k, v in metadata.items() if v is not None}
            if isinstance(metadata, dict)
            else None
        ),
        token_quota=dict(quota) if isinstance(quota, dict) else None,
        third_party_client_access=str(access) if access is not None else None,
        is_app_entitlement_active=active if isinstance(active, bool) else None,
    )


def live_member(item: Any) -> LiveMember:
    """A member with its direct roles; any email, name or role Auth0 holds is accepted."""
    roles = tuple(
        (str(role.id), str(role.name or role.id))
        for role in getattr(item, "roles", None) or []
        if getattr(role, "id", None)
    )
    email = getattr(item, "email", None)
    name = getattr(item, "name", None)
    return LiveMember(
        user_id=str(item.user_id),
        email=str(email) if email else None,
        name=str(name) if name else None,
        roles=roles,
    )


def enabled_connection(item: Any) -> LiveEnabledConnection | None:
    """A connection link of an organization, flags as Auth0 defaults them when missing."""
    connection_id = getattr(item, "connection_id", None)
    if not connection_id:
        return None
    connection = getattr(item, "connection", None)
    name = getattr(connection, "name", None) or connection_id
    return LiveEnabledConnection(
        connection_id=str(connection_id),
        name=str(name),
        assign_membership_on_login=bool(getattr(item, "assign_membership_on_login", False)),
        show_as_button=getattr(item, "show_as_button", None) is not False,
        is_signup_enabled=bool(getattr(item, "is_signup_enabled", False)),
    )


def live_domain(item: Any) -> LiveDomain | None:
    """A discovery domain, or None when Auth0's answer lacks its id or name."""
    domain_id, domain = getattr(item, "id", None), getattr(item, "domain", None)
    if not domain_id or not domain:
        return None
    status = getattr(item, "status", None)
    return LiveDomain(
        str(domain_id),
        str(domain).lower(),
        str(getattr(status, "value", status) or "pending"),
        bool(getattr(item, "use_for_organization_discovery", False)),
        getattr(item, "verification_txt", None),
        getattr(item, "verification_host", None),
    )


async def _roles(session: Session) -> list[Any]:
    roles = session.client.roles
    return await _offset(
        session, lambda page: roles.list(page=page, per_page=PAGE), ENDPOINTS.list_roles.call()
    )


async def _role_permissions(
    session: Session,
    scope: Scope,
    snapshot: Snapshot,
    roles: Sequence[Any],
    org_names: dict[str, str],
) -> None:
    """Fill the snapshot's roles; read permissions only of managed roles."""
    managed: list[tuple[Any, str | None]] = []
    for role in roles:
        owner = org_names.get(role.owner_id) if role.type == "organization" else None
        if role.type == "organization" and owner is None:
            continue
        _store_role(snapshot, LiveRole(role.id, role.name, role.description, None, owner))
        if (owner, role.name) in scope.org_roles if owner else role.name in scope.roles:
            managed.append((role, owner))

    async def permissions(role: Any, owner: str | None) -> None:
        pairs = await role_permissions(session, role.id, owner)
        _store_role(snapshot, LiveRole(role.id, role.name, role.description, pairs, owner))

    await asyncio.gather(*(permissions(role, owner) for role, owner in managed))


async def role_permissions(
    session: Session, role_id: str, owner: str | None = None
) -> frozenset[tuple[str, str]]:
    """The (API identifier, permission name) pairs a role grants; `owner` labels errors."""
    items = await _offset(
        session,
        lambda page: session.client.roles.permissions.list(role_id, page=page, per_page=PAGE),
        ENDPOINTS.list_permissions.call(role_id),
        org=owner,
    )
    return frozenset(
        (p.resource_server_identifier, p.permission_name)
        for p in items
        if p.resource_server_identifier and p.permission_name
    )


def _store_role(snapshot: Snapshot, role: LiveRole) -> None:
    if role.owner is None:
        snapshot.roles[role.name] = role
    else:
        snapshot.org_roles[(role.owner, role.name)] = role


async def _connections(session: Session) -> list[LiveConnection]:
    items = await _checkpoint(
        session,
        lambda: session.client.connections.list(
            take=PAGE, fields="id,name,strategy", include_fields=True, include_totals=False
        ),
        ENDPOINTS.list_connections.call(),
    )
    return [LiveConnection(c.id, c.name, c.strategy or "") for c in items if c.id and c.name]


async def _users_by_email(session: Session, scope: Scope, snapshot: Snapshot) -> None:
    """Look up the emails of listed members that are not members yet, once each."""
    missing: set[str] = set()
    for org_scope in scope.organizations.values():
        live = _live_of(snapshot, org_scope)
        known = {m.email.lower() for m in (live.members or ()) if m.email} if live else set()
        missing.update(email for email in org_scope.emails if email not in known)

    async def lookup(email: str) -> None:
        users = await session.read(
            lambda: session.client.users.list_users_by_email(email=email, fields="user_id"),
            what=ENDPOINTS.users_by_email.call(),
        )
        ids = sorted(u.user_id for u in users if u.user_id)
        snapshot.users_by_email[email] = ids[0] if ids else None

    await asyncio.gather(*(lookup(email) for email in sorted(missing)))


async def _users_by_id(session: Session, scope: Scope, snapshot: Snapshot) -> None:
    """Check that members listed by user_id, and not members yet, exist: once each."""
    unknown: set[str] = set()
    for org_scope in scope.organizations.values():
        live = _live_of(snapshot, org_scope)
        members = {m.user_id for m in (live.members or ())} if live else set()
        unknown.update(u for u in org_scope.user_ids if u not in members)

    async def lookup(user_id: str) -> None:
        snapshot.users_by_id[user_id] = await _exists(
            session,
            lambda: session.client.users.get(user_id, fields="user_id", include_fields=True),
            ENDPOINTS.get_user.call(user_id),
        )

    await asyncio.gather(*(lookup(user_id) for user_id in sorted(unknown)))


async def _invitation_client(session: Session, scope: Scope, snapshot: Snapshot) -> None:
    """Check the invitations' application once, when some invitation would be sent."""
    client_id = scope.invitation_client
    if client_id is None or not any(
        snapshot.users_by_email.get(email, "") is None
        and email not in ((live.invitations or {}) if live else {})
        for org_scope in scope.organizations.values()
        for live in [_live_of(snapshot, org_scope)]
        for email in org_scope.invites
    ):
        return
    snapshot.clients[client_id] = await _exists(
        session,
        lambda: session.client.clients.get(client_id, fields="client_id", include_fields=True),
        ENDPOINTS.get_application.call(client_id),
    )


async def _applications(session: Session) -> dict[str, LiveApplication]:
    """Every application of the tenant (not the global one), with the managed fields only."""
    items = await _offset(
        session,
        lambda page: session.client.clients.list(
            fields=CLIENT_FIELDS, include_fields=True, is_global=False, page=page, per_page=PAGE
        ),
        ENDPOINTS.list_applications.call(),
    )
    apps = (live_application(item) for item in items)
    return {app.client_id: app for app in apps if app is not None}


def live_application(item: Any) -> LiveApplication | None:
    """An application's managed settings as Auth0 returns them, or None without an id."""
    client_id, name = getattr(item, "client_id", None), getattr(item, "name", None)
    if not client_id or name is None:
        return None
    settings = {}
    for field in MANAGED_FIELDS:
        value = getattr(item, field, None)
        if value is not None:
            settings[field] = list(value) if isinstance(value, list) else value
    return LiveApplication(str(client_id), str(name), settings)


async def _client_grants(session: Session, scope: Scope, snapshot: Snapshot) -> None:
    """The grants of each application that API access names, one listing per application."""
    names = sorted({name for name, _ in scope.grants})
    found = [snapshot.applications_named(name) for name in names]
    client_ids = [apps[0].client_id for apps in found if len(apps) == 1]

    async def read(client_id: str) -> None:
        items = await _checkpoint(
            session,
            lambda: session.client.client_grants.list(client_id=client_id, take=PAGE),
            ENDPOINTS.list_client_grants.call(),
        )
        for item in items:
            grant = live_client_grant(item)
            if grant is not None:
                snapshot.client_grants[grant.client_id, grant.audience] = grant

    await asyncio.gather(*(read(client_id) for client_id in client_ids))


def live_client_grant(item: Any) -> LiveClientGrant | None:
    """A client grant, or None when Auth0's answer lacks its id, application or API."""
    grant_id, client_id = getattr(item, "id", None), getattr(item, "client_id", None)
    audience = getattr(item, "audience", None)
    if not grant_id or not client_id or not audience:
        return None
    usage = getattr(item, "organization_usage", None)
    return LiveClientGrant(
        str(grant_id),
        str(client_id),
        str(audience),
        tuple(str(s) for s in getattr(item, "scope", None) or []),
        str(usage) if usage is not None else None,
    )


async def _org_client_grants(
    session: Session, org_id: str, name: str
) -> dict[str, LiveClientGrant]:
    items = await _offset(
        session,
        lambda page: session.client.organizations.client_grants.list(
            org_id, page=page, per_page=PAGE
        ),
        ENDPOINTS.list_organization_grants.call(org_id),
        org=name,
    )
    grants = (live_client_grant(item) for item in items)
    return {grant.id: grant for grant in grants if grant is not None}


async def _org_applications(session: Session, org_id: str, name: str) -> dict[str, bool]:
    items = await _checkpoint(
        session,
        lambda: session.client.organizations.clients.list(org_id, take=PAGE),
        ENDPOINTS.list_organization_applications.call(org_id),
        org=name,
    )
    return {
        str(item.client_id): bool(getattr(item, "use_for_member_access", False))
        for item in items
        if getattr(item, "client_id", None)
    }


def _grant_apis(scope: Scope, snapshot: Snapshot) -> set[str]:
    """The APIs of API access whose grant is missing or lacks a scope (to check them)."""
    apis = set()
    for (name, api), scopes in scope.grants.items():
        apps = snapshot.applications_named(name)
        if len(apps) > 1:
            continue
        grant = snapshot.client_grants.get((apps[0].client_id, api)) if apps else None
        if grant is None or scopes - set(grant.scope):
            apis.add(api)
    return apis


async def _exists(session: Session, call: Callable[[], Awaitable[Any]], what: str) -> bool:
    """True when the object is there, False on 404."""
    try:
        await session.read(call, what=what)
    except ApiCallError as error:
        if error.status == 404:
            return False
        raise
    return True


async def _apis(session: Session, scope: Scope, snapshot: Snapshot) -> None:
    """The APIs of the permissions a role is to be given, ten identifiers a request; none
    when every granted permission is already on its role (a no-op plan reads nothing)."""
    adding: set[str] = set()
    for (owner, name), pairs in scope.permissions.items():
        live = snapshot.org_roles.get((owner, name)) if owner else snapshot.roles.get(name)
        have = (live.permissions or frozenset()) if live is not None else frozenset()
        adding.update(api for api, _ in pairs - have)
    adding.update(_grant_apis(scope, snapshot))
    if not adding:
        return
    names = sorted(adding)
    chunks = [
        names[i : i + IDENTIFIERS_PER_CALL] for i in range(0, len(names), IDENTIFIERS_PER_CALL)
    ]
    servers = session.client.resource_servers

    async def read(chunk: list[str]) -> list[Any]:
        return await _offset(
            session,
            lambda page: servers.list(identifiers=chunk, page=page, per_page=PAGE),
            ENDPOINTS.list_apis.call(),
        )

    snapshot.apis = {}
    for items in await asyncio.gather(*(read(chunk) for chunk in chunks)):
        for server in items:
            if server.identifier:
                snapshot.apis[server.identifier] = frozenset(
                    item.value for item in server.scopes or [] if item.value
                )


async def _post_login(session: Session, name: str) -> LivePostLogin:
    """The Action of this name (one request) and the post-login bindings (one page of 100)."""
    actions, bindings = await asyncio.gather(
        _offset(
            session,
            lambda page: session.client.actions.list(action_name=name, page=page, per_page=PAGE),
            ENDPOINTS.list_actions.call(),
        ),
        _offset(
            session,
            lambda page: session.client.actions.triggers.bindings.list(
                POST_LOGIN, page=page, per_page=PAGE
            ),
            ENDPOINTS.list_bindings.call(POST_LOGIN),
        ),
    )
    found = (live_action(item) for item in actions if getattr(item, "name", None) == name)
    return LivePostLogin(
        action=next((action for action in found if action is not None), None),
        bindings=tuple(b for b in map(live_binding, bindings) if b is not None),
    )


def live_action(item: Any) -> LiveAction | None:
    """An Action with its draft and deployed version, or None without an id."""
    action_id = getattr(item, "id", None)
    if not action_id:
        return None
    deployed = getattr(item, "deployed_version", None)
    return LiveAction(
        id=str(action_id),
        name=str(getattr(item, "name", None) or ""),
        draft=action_version(item),
        deployed=action_version(deployed) if deployed is not None else None,
    )


def action_version(item: Any) -> ActionVersion:
    """What an Action (or one of its versions) runs; missing parts read as empty."""
    runtime = getattr(item, "runtime", None)
    return ActionVersion(
        code=str(getattr(item, "code", None) or ""),
        runtime=str(runtime) if runtime else None,
        dependencies=frozenset(
            (str(d.name), str(d.version))
            for d in getattr(item, "dependencies", None) or []
            if getattr(d, "name", None) and getattr(d, "version", None)
        ),
        secret_names=frozenset(
            str(s.name) for s in getattr(item, "secrets", None) or [] if getattr(s, "name", None)
        ),
    )


def live_binding(item: Any) -> LiveBinding | None:
    """A trigger binding, or None without an id."""
    binding_id = getattr(item, "id", None)
    if not binding_id:
        return None
    action = getattr(item, "action", None)
    action_id = getattr(action, "id", None)
    action_name = getattr(action, "name", None)
    display_name = getattr(item, "display_name", None)
    return LiveBinding(
        id=str(binding_id),
        action_id=str(action_id) if action_id else None,
        action_name=str(action_name) if action_name else None,
        display_name=str(display_name) if display_name else None,
    )


def live_invitation(item: Any) -> LiveInvitation | None:
    """A pending invitation with the role ids it grants, or None without an id or email."""
    invitee = getattr(item, "invitee", None)
    email = getattr(invitee, "email", None)
    invitation_id = getattr(item, "id", None)
    if not invitation_id or not email:
        return None
    roles = getattr(item, "roles", None) or []
    return LiveInvitation(str(invitation_id), str(email).lower(), tuple(sorted(map(str, roles))))


def _live_of(snapshot: Snapshot, scope: OrgScope) -> LiveOrganization | None:
    for name in scope.names:
        if name in snapshot.organizations:
            return snapshot.organizations[name]
    return None


def _fields(org: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": org.name}
    for name in ORG_FIELDS:
        value = getattr(org, name, None)
        if value is None:
            continue
        if hasattr(value, "model_dump"):
            value = value.model_dump(exclude_none=True)
        if name == "metadata":
            value = {k: v for k, v in dict(value).items() if v is not None}
        data[name] = value
    return data


async def _checkpoint(
    session: Session,
    first: Callable[[], Awaitable[AsyncPager[Any, Any]]],
    what: str,
    org: str | None = None,
) -> list[Any]:
    """All items of a checkpoint-paginated list: stop on a short page or no `next`."""
    page = await session.read(first, what=what, org=org)
    items = list(page.items or [])
    while page.has_next and len(page.items or []) >= PAGE:
        current = page
        page = await session.read(_next(current), what=what, org=org)
        items.extend(page.items or [])
    return items


def _next(page: AsyncPager[Any, Any]) -> Callable[[], Awaitable[AsyncPager[Any, Any]]]:
    async def fetch() -> AsyncPager[Any, Any]:
        following = await page.next_page()
        assert following is not None
        return following

    return fetch


async def _offset(
    session: Session,
    fetch: Callable[[int], Awaitable[AsyncPager[Any, Any]]],
    what: str,
    org: str | None = None,
) -> list[Any]:
    """All items of an offset-paginated list, using the total to skip an empty last page."""
    items: list[Any] = []
    page_number = 0
    while True:
        page = await session.read(partial(fetch, page_number), what=what, org=org)
        batch = list(page.items or [])
        items.extend(batch)
        total = getattr(page.response, "total", None)
        if len(batch) < PAGE or (total is not None and len(items) >= total):
            return items
        page_number += 1
