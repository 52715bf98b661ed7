"""The plan: typed rows for people and the exact list of API calls that carries them out."""

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

JSON = Any
"""A JSON-serialisable value (request bodies)."""


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
    """Apply order: a phase starts when the one before it is done."""

    ROLES = 0
    ORGANIZATIONS = 1
    ORG_ROLES = 2
    CONNECTIONS = 3
    MEMBERS_ADD = 4
    MEMBER_ROLES = 5
    INVITATIONS = 6
    MEMBERS_REMOVE = 7
    CONNECTION_REMOVALS = 8
    ORG_DELETES = 9
    ROLE_DELETES = 10


@dataclass(frozen=True)
class FieldChange:
    """One field of a row: its value before and after (None where it has none)."""

    field: str
    before: JSON
    after: JSON


@dataclass(frozen=True)
class Row:
    """One line of the plan as people read it: an object and what happens to it."""

    org: str | None
    action: Action
    kind: str
    name: str
    fields: tuple[FieldChange, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Operation:
    """Exactly one Management API request.

    `path` and `body` may hold references like `{org:acme-corp}` or `{role:acme-corp/admin}`
    to ids that an earlier operation of the same plan creates (`creates` names the reference).
    """

    key: str
    phase: Phase
    method: str
    path: str
    body: JSON = None
    org: str | None = None
    depends_on: tuple[str, ...] = ()
    creates: str | None = None

    def sort_key(self) -> tuple[int, str, str]:
        """Phase first, then organization, then the operation's own key."""
        return (self.phase, self.org or "", self.key)


@dataclass(frozen=True)
class Summary:
    """Counts of the plan's top-level objects (organizations and roles) and of its API calls."""

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
    touched: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Live objects whose state the plan depends on, by kind (for stale-plan checks)."""

    @property
    def summary(self) -> Summary:
        """Objects to create, change, delete, and the number of API calls."""
        created: set[tuple[str, str]] = set()
        deleted: set[tuple[str, str]] = set()
        changed: set[tuple[str, str]] = set()
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


def top_level(row: Row) -> tuple[str, str]:
    """The organization or tenant role a row belongs to."""
    if row.org is not None:
        return ("organization", row.org)
    return (row.kind, row.name)
