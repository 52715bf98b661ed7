"""The plan: typed rows for people and the exact list of API calls that carries them out."""

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any
from urllib.parse import quote

from reconciler.engine.identity import ObjectKey, OpKey, Ref, SecretRef
from reconciler.engine.kinds import Kind, Step, Verb

JSON = Any
"""A JSON-serialisable value (request bodies); bodies may also hold `Ref`s and `SecretRef`s."""
PathPart = str | Ref


class Action(StrEnum):
    """What a row does to its object."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    KEEP = "keep"

    @property
    def symbol(self) -> str:
        """The terraform-like marker: `+`, `~`, `-` or `=`."""
        return {"create": "+", "update": "~", "delete": "-", "keep": "="}[self.value]


class Phase(IntEnum):
    """Apply order: a phase starts when the one before it is done.

    The post-login Action is deployed once the organizations and roles it routes to exist,
    and before any removal, so that it stops admitting whom the files remove.
    """

    APPLICATIONS = -1
    """Applications, client grants and enterprise connections (with the applications they
    are enabled for), before anything that names them."""
    ROLES = 0
    ORGANIZATIONS = 1
    ORG_ROLES = 2
    ORG_LINKS = 3
    """What links an organization to other objects: its connections, discovery domains, API
    access (client grants) and applications."""
    MEMBERS_ADD = 4
    MEMBER_ROLES = 5
    INVITATIONS = 6
    ACTIONS = 7
    MEMBERS_REMOVE = 8
    ORG_LINK_REMOVALS = 9
    """The removals of those links."""
    ORG_DELETES = 10
    ROLE_DELETES = 11


@dataclass(frozen=True)
class FieldChange:
    """One field of a row: its value before and after (None where it has none)."""

    field: str
    before: JSON
    after: JSON


@dataclass(frozen=True)
class Row:
    """One line of the plan as people read it: an object, what happens to it, and the keys of
    the operations that carry it out (none for `=` rows)."""

    org: str | None
    action: Action
    kind: Kind
    name: str
    fields: tuple[FieldChange, ...] = ()
    note: str | None = None
    operations: tuple[OpKey, ...] = ()


class Settle(StrEnum):
    """How the executor settles a call whose outcome it does not know (a lost response, a 5xx,
    or a 409 on a create): send it again, or look for the object it creates."""

    REPEAT = "repeat"
    """Idempotent: sending it twice is the same as once."""
    FIND_ORGANIZATION = "find organization"
    FIND_ROLE = "find role"
    FIND_CONNECTION = "find connection"
    FIND_TENANT_CONNECTION = "find tenant connection"
    """A connection of the tenant, by name (names are unique)."""
    FIND_SSO_PROFILE = "find self-service profile"
    FIND_DOMAIN = "find domain"
    FIND_INVITATION = "find invitation"
    FIND_APPLICATION = "find application"
    FIND_CLIENT_GRANT = "find client grant"
    FIND_ORGANIZATION_GRANT = "find organization client grant"
    FIND_ORGANIZATION_APPLICATIONS = "find organization applications"
    FIND_ACTION = "find action"


@dataclass(frozen=True)
class Operation:
    """Exactly one Management API request.

    `path` is a tuple of segments (percent-encoded when sent); segments and `body` may hold
    `Ref`s to ids that an earlier operation of the same plan creates (`creates` names the
    object whose id the response carries).
    """

    key: OpKey
    phase: Phase
    method: Verb
    path: tuple[PathPart, ...]
    body: JSON = None
    depends_on: tuple[OpKey, ...] = ()
    creates: ObjectKey | None = None
    settle: Settle = Settle.REPEAT
    batch: str | None = None
    """The body key of a list that may be sent in parts when Auth0 rejects the whole (400),
    so that the valid items still go through."""

    @property
    def org(self) -> str | None:
        """The organization the call belongs to (None: tenant-wide)."""
        return self.key.org

    @property
    def path_text(self) -> str:
        """The path as people read it: `/organizations/{org:acme-corp}/members`."""
        return path_text(self.path)

    def sort_key(self) -> tuple[int, str, tuple[str, str, str, int, str]]:
        """Phase first, then organization, then the operation's own key."""
        return (self.phase, self.org or "", self.key.sort_key())


def path_text(parts: tuple[PathPart, ...]) -> str:
    """Segments joined into a path; ids such as `auth0|123` percent-encoded."""
    return "".join("/" + (str(p) if isinstance(p, Ref) else quote(p, safe="")) for p in parts)


def display_body(body: JSON) -> JSON:
    """A body with each Ref shown as its placeholder text and each secret as the variable it
    comes from, `(secret from NAME)` (for renderers)."""
    if isinstance(body, Ref | SecretRef):
        return str(body)
    if isinstance(body, list):
        return [display_body(item) for item in body]
    if isinstance(body, dict):
        return {key: display_body(value) for key, value in body.items()}
    return body


@dataclass(frozen=True)
class Summary:
    """Counts of the plan's top-level objects (organizations and tenant-wide objects) and of its
    API calls."""

    create: int
    update: int
    delete: int
    api_calls: int

    @property
    def changes(self) -> bool:
        """True when the plan would call the API."""
        return self.api_calls > 0


@dataclass(frozen=True)
class Plan:
    """The rows to show and the operations to run, each list in a stable order."""

    rows: tuple[Row, ...]
    operations: tuple[Operation, ...]
    unmanaged_organizations: tuple[str, ...] = ()
    fingerprinted: tuple[ObjectKey, ...] = ()
    """Live objects whose state the plan depends on (for stale-plan checks), sorted."""

    def only(self, orgs: frozenset[str]) -> "Plan":
        """The part of the plan for these organizations, plus its tenant-wide part."""

        def kept(org: str | None) -> bool:
            return org is None or org in orgs

        return Plan(
            rows=tuple(r for r in self.rows if kept(r.org)),
            operations=tuple(op for op in self.operations if kept(op.org)),
            unmanaged_organizations=(),
            fingerprinted=tuple(k for k in self.fingerprinted if kept(k.owner)),
        )

    @property
    def summary(self) -> Summary:
        """Objects (organizations and tenant-wide objects) to create, change, delete, and the
        number of API calls."""
        created: set[tuple[Kind, str]] = set()
        deleted: set[tuple[Kind, str]] = set()
        changed: set[tuple[Kind, str]] = set()
        for row in self.rows:
            top = top_level(row)
            if row.action is Action.KEEP:
                continue
            if top == (row.kind, row.name) and row.action is Action.CREATE:
                created.add(top)
            elif top == (row.kind, row.name) and row.action is Action.DELETE:
                deleted.add(top)
            else:
                changed.add(top)
        changed -= created | deleted
        return Summary(len(created), len(changed), len(deleted), len(self.operations))


def goes_with_organization(row: Row) -> bool:
    """Whether the row is a part of an organization that the organization's deletion takes
    with it (a member, a connection, ...): carried out by that one call."""
    return row.kind is not Kind.ORGANIZATION and any(
        key.kind is Kind.ORGANIZATION and key.verb is Step.DELETE for key in row.operations
    )


def top_level(row: Row) -> tuple[Kind, str]:
    """The organization or tenant-wide object (role, application, client grant) a row
    belongs to."""
    if row.org is not None:
        return (Kind.ORGANIZATION, row.org)
    return (row.kind, row.name)
