"""What a Management API write can change: the managed objects one request names.

Auth0 writes a `sapi` event to the tenant log for every successful POST, PATCH, PUT and
DELETE, with the request's method, path and body. `touched_by` maps one such request to the
objects whose live state it can have changed, so that an incremental drift check reads only
those again. A write to an endpoint of the table (`reconciler.engine.endpoints`) touches what
its entry says; other writes (the dashboard's, scripts') are read from their paths. It errs on
the side of reading more: a path it does not know below an organization touches all of it,
and one that can change any organization (deleting a connection or a user, linking accounts,
importing users, an API it does not know) touches the whole tenant.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.kinds import Kind, Verb
from reconciler.engine.organization_endpoints import ORGANIZATION_PARTS

__all__ = ["BELOW_ORGANIZATION", "ORGANIZATION_PARTS", "Kind", "Touched", "segments", "touched_by"]

API_PREFIX = "/api/v2"
BELOW_ORGANIZATION = ORGANIZATION_PARTS[1:]
"""What hangs below an organization, read apart from its own fields."""


@dataclass(frozen=True)
class Touched:
    """One object a write can have changed."""

    kind: Kind
    id: str | None = None
    """The id the path names: the organization's for its parts, the role's, the user's; None
    for a create, or for every role's permissions."""
    name: str | None = None
    """The name a create or a rename gives the object, when the request body says."""
    owner: str | None = None
    """The id of the organization that owns a role being created (org-owned roles)."""


NOTHING: tuple[Touched, ...] = ()

_ORG_LINKS = {
    "members": Kind.MEMBERS,
    "enabled_connections": Kind.CONNECTIONS,
    "connections": Kind.CONNECTIONS,
    "discovery-domains": Kind.DISCOVERY_DOMAINS,
    "invitations": Kind.INVITATIONS,
    "client-grants": Kind.API_ACCESS,
    "clients": Kind.ORGANIZATION_APPLICATIONS,
}
_USER_FIELDS = frozenset({"email", "name"})
"""The fields of a user that member lists show."""
_UNRELATED = frozenset(
    {
        "anomaly",
        "attack-protection",
        "blacklists",
        "branding",
        "custom-domains",
        "device-credentials",
        "email-templates",
        "emails",
        "event-streams",
        "flows",
        "forms",
        "grants",
        "guardian",
        "hooks",
        "keys",
        "log-streams",
        "prompts",
        "refresh-tokens",
        "rules",
        "rules-configs",
        "self-service-profiles",
        "sessions",
        "stats",
        "tenants",
        "tickets",
        "token-exchange-profiles",
        "user-blocks",
    }
)
"""Top-level collections whose writes change nothing organizations, roles or members show."""
_UNRELATED_USER_PARTS = frozenset(
    {
        "authentication-methods",
        "authenticators",
        "multifactor",
        "permissions",
        "recovery-code-regeneration",
        "refresh-tokens",
        "roles",
        "sessions",
    }
)
"""Below a user: tenant-level roles and permissions, factors, sessions."""


def segments(path: str) -> list[str]:
    """The percent-decoded segments of a Management API path, without `/api/v2` or a query."""
    bare = urlsplit(path).path
    if bare.startswith(API_PREFIX):
        bare = bare[len(API_PREFIX) :]
    return [unquote(part) for part in bare.strip("/").split("/") if part]


def touched_by(method: str, path: str, body: Any = None) -> tuple[Touched, ...]:
    """The objects a successful write can have changed; `body` is the request's JSON body as
    the log carries it (None when it does not)."""
    verb = method.upper()
    parts = segments(path)
    if not parts:
        return (Touched(Kind.TENANT),)
    fields = body if isinstance(body, Mapping) else None
    known = ENDPOINTS.write_at(Verb(verb), parts) if verb in Verb.__members__ else None
    if known is not None:
        return _from_table(*known, fields)
    head, rest = parts[0], parts[1:]
    if head == "organizations":
        return _organization(verb, rest, fields)
    if head == "roles":
        return _role(verb, rest, fields)
    if head == "users":
        return _user(verb, rest, fields)
    if head == "resource-servers":
        # Deleting an API deletes its client grants, and with them their organizations'.
        if verb == "DELETE" and len(rest) == 1:
            return (Touched(Kind.PERMISSIONS), Touched(Kind.API_ACCESS))
        return (Touched(Kind.PERMISSIONS),) if rest else NOTHING
    if head == "client-grants":
        grant = Touched(Kind.CLIENT_GRANT, rest[0] if rest else None)
        if verb == "DELETE" and len(rest) == 1:
            # Organizations name their API access by grant id: it goes with the grant.
            return (grant, Touched(Kind.API_ACCESS))
        return (grant,)
    if head == "connections":
        # Deleting a connection disables it in every organization, which can also change
        # who is admitted by `assign_membership_on_login`.
        return (Touched(Kind.TENANT),) if verb == "DELETE" and len(rest) == 1 else NOTHING
    if head == "jobs":
        # An import can change the email of existing users (upsert).
        return (Touched(Kind.TENANT),) if rest[:1] == ["users-imports"] else NOTHING
    if head == "actions":
        return (Touched(Kind.ACTION),)
    if head == "clients":
        application = Touched(Kind.APPLICATION, rest[0] if rest else None)
        if verb == "DELETE" and len(rest) == 1:
            # Its client grants and its organizations' links to it go with it.
            return (
                application,
                Touched(Kind.API_ACCESS),
                Touched(Kind.ORGANIZATION_APPLICATIONS),
            )
        return (application,)
    if head in _UNRELATED:
        return NOTHING
    return (Touched(Kind.TENANT),)


def _from_table(
    endpoint: Endpoint, params: tuple[str, ...], body: Mapping[str, Any] | None
) -> tuple[Touched, ...]:
    """What the table says a write to `endpoint` touches, named from the path and body."""
    found: list[Touched] = []
    for touch in endpoint.touches:
        if touch.only_with and body is not None and touch.only_with.isdisjoint(body):
            continue
        name = owner = None
        if touch.named:
            name = _field(body, "name")
            if touch.kind is Kind.ROLE and not params:
                owner = _field(body, "owner_id")
        found.append(
            Touched(touch.kind, params[0] if touch.by_id and params else None, name, owner)
        )
    return tuple(found)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _field(body: Mapping[str, Any] | None, key: str) -> str | None:
    """A text field of a request body; None without a body or when it is not text."""
    return _text(body.get(key)) if body is not None else None


def _organization(
    verb: str, rest: list[str], body: Mapping[str, Any] | None
) -> tuple[Touched, ...]:
    if not rest:
        return (Touched(Kind.ORGANIZATION, name=_field(body, "name")),)
    org = rest[0]
    if len(rest) == 1:
        if verb == "DELETE":
            return tuple(Touched(kind, org) for kind in ORGANIZATION_PARTS)
        return (Touched(Kind.ORGANIZATION, org, _field(body, "name")),)
    link = rest[1]
    if link == "members" and len(rest) >= 4 and rest[3] == "roles":
        return (Touched(Kind.MEMBER_ROLES, org),)
    if link in _ORG_LINKS:
        return (Touched(_ORG_LINKS[link], org),)
    return tuple(Touched(kind, org) for kind in ORGANIZATION_PARTS)


def _role(verb: str, rest: list[str], body: Mapping[str, Any] | None) -> tuple[Touched, ...]:
    if not rest:
        return (Touched(Kind.ROLE, name=_field(body, "name"), owner=_field(body, "owner_id")),)
    role = rest[0]
    if len(rest) == 1:
        if verb == "DELETE":
            return (Touched(Kind.ROLE, role), Touched(Kind.PERMISSIONS, role))
        if body is None:
            return (Touched(Kind.ROLE, role), Touched(Kind.ROLE_DESCRIPTION, role))
        found: list[Touched] = []
        if "name" in body:
            found.append(Touched(Kind.ROLE, role, _text(body["name"])))
        if "description" in body:
            found.append(Touched(Kind.ROLE_DESCRIPTION, role))
        return tuple(found)
    if rest[1] == "permissions":
        return (Touched(Kind.PERMISSIONS, role),)
    if rest[1] == "users":
        return NOTHING  # tenant-level role assignments, not organization member roles
    return (Touched(Kind.ROLE, role), Touched(Kind.PERMISSIONS, role))


def _user(verb: str, rest: list[str], body: Mapping[str, Any] | None) -> tuple[Touched, ...]:
    if not rest:
        return NOTHING  # a new user is nobody's member yet
    user = rest[0]
    if len(rest) == 1:
        if verb == "DELETE" or body is None or _USER_FIELDS & set(body):
            return (Touched(Kind.USER, user),)
        return NOTHING
    if rest[1] in _UNRELATED_USER_PARTS:
        return NOTHING
    # Linking and unlinking accounts moves a user's identities (and its memberships) between
    # user ids; anything else unknown below a user, likewise, cannot be narrowed down.
    return (Touched(Kind.TENANT),)
