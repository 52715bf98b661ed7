"""References Auth0 would reject at apply, found at plan time: APIs and permissions to be added
to roles or to client grants, members given by a user_id that does not exist, and the
invitations' application and connection. Each becomes a `file:line:col` plan error."""

from collections.abc import Iterable

from reconciler.engine.builder import PlanBuilder
from reconciler.model import Organization, Role
from reconciler.model.desired import Desired, KeyPath
from reconciler.model.live import LiveRole, Snapshot

SHOWN = 8
"""How many of an API's permissions a message lists."""


def check_references(
    desired: Desired, live: Snapshot, orgs: Iterable[Organization], builder: PlanBuilder
) -> None:
    """Record an error for every reference the live tenant does not have."""
    selected = list(orgs)
    if live.apis is not None:
        for name, role in sorted(desired.roles.items()):
            have = _have(live.roles.get(name))
            _permissions(desired, live.apis, role, have, ("roles", name), builder)
        for org in selected:
            for name, role in sorted((org.roles or {}).items()):
                have = _have(live.org_roles.get((org.name, name)))
                path = ("organizations", org.name, "roles", name)
                _permissions(desired, live.apis, role, have, path, builder)
    unknown = {user_id for user_id, found in live.users_by_id.items() if not found}
    for org in selected if unknown else ():
        for index, member in enumerate(org.members or []):
            if member.user_id in unknown:
                builder.error(
                    f"no Auth0 user has the id {member.user_id!r}",
                    desired.where("organizations", org.name, "members", index, "user_id"),
                )
    settings = desired.tenant.invitations
    if settings is None:
        return
    if live.clients.get(settings.client_id) is False:
        builder.error(
            f"no application has the client_id {settings.client_id!r}: invitations need one",
            desired.where("tenant", "invitations", "client_id"),
        )
    if settings.connection is not None and settings.connection not in live.connections:
        builder.error(
            f"unknown connection {settings.connection!r}: "
            "no connection of that name exists in the tenant",
            desired.where("tenant", "invitations", "connection"),
        )


def _have(live: LiveRole | None) -> frozenset[tuple[str, str]]:
    return (live.permissions or frozenset()) if live is not None else frozenset()


def _permissions(
    desired: Desired,
    apis: dict[str, frozenset[str]],
    role: Role,
    have: frozenset[tuple[str, str]],
    path: KeyPath,
    builder: PlanBuilder,
) -> None:
    """Errors for the permissions to be added that their API does not define."""
    for api, names in sorted((role.permissions or {}).items()):
        if all((api, name) in have for name in names):
            continue
        defined = apis.get(api)
        if defined is None:
            builder.error(
                f"unknown API {api!r}: no API (resource server) has this identifier",
                desired.where(*path, "permissions", api),
            )
            continue
        for index, name in enumerate(names):
            if name not in defined and (api, name) not in have:
                listed = ", ".join(sorted(defined)[:SHOWN]) or "none"
                more = ", ..." if len(defined) > SHOWN else ""
                builder.error(
                    f"unknown permission {name!r}: {api} defines {listed}{more}",
                    desired.where(*path, "permissions", api, index),
                )


def check_grant_scopes(
    desired: Desired,
    apis: dict[str, frozenset[str]] | None,
    api: str,
    scopes: list[str],
    have: frozenset[str],
    path: KeyPath,
    builder: PlanBuilder,
) -> bool:
    """Errors for an API access entry whose API, or a scope its grant lacks, is unknown;
    True when there is none. Scopes the grant already has are not checked."""
    if all(scope in have for scope in scopes) or apis is None:
        return True
    defined = apis.get(api)
    if defined is None:
        builder.error(
            f"unknown API {api!r}: no API (resource server) has this identifier",
            desired.where(*path, "api"),
        )
        return False
    ok = True
    for index, scope in enumerate(scopes):
        if scope not in defined and scope not in have:
            listed = ", ".join(sorted(defined)[:SHOWN]) or "none"
            more = ", ..." if len(defined) > SHOWN else ""
            builder.error(
                f"unknown scope {scope!r}: {api} defines {listed}{more}",
                desired.where(*path, "scopes", index),
            )
            ok = False
    return ok
