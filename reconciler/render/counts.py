"""What a plan's headline counts: objects by kind, Terraform-style (`Plan: 3 to add, 2 to
change, 5 to destroy`), with one label per kind that every renderer uses."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reconciler.engine.kinds import Kind
from reconciler.engine.plan import JSON, Action, Row

LABELS: Mapping[Kind, tuple[str, str]] = {
    Kind.ORGANIZATION: ("organization", "organizations"),
    Kind.MEMBER: ("member", "members"),
    Kind.CONNECTION: ("connection", "connections"),
    Kind.DISCOVERY_DOMAIN: ("discovery domain", "discovery domains"),
    Kind.INVITATION: ("invitation", "invitations"),
    Kind.API_ACCESS: ("API access", "API accesses"),
    Kind.APPLICATION: ("application", "applications"),
    Kind.ROLE: ("role", "roles"),
    Kind.CLIENT_GRANT: ("client grant", "client grants"),
    Kind.ENTERPRISE_CONNECTION: ("enterprise connection", "enterprise connections"),
    Kind.CONNECTION_CLIENTS: ("connection's applications", "connections' applications"),
    Kind.SSO_PROFILE: ("self-service profile", "self-service profiles"),
    Kind.ACTION: ("action", "actions"),
    Kind.BINDING: ("post-login binding", "post-login bindings"),
}
"""The singular and plural label of each kind of row, in the order counts list them."""

VERBS: Mapping[Action, str] = {
    Action.CREATE: "add",
    Action.UPDATE: "change",
    Action.DELETE: "destroy",
}
"""The headline's word for each action that changes something."""


def label(kind: Kind, count: int = 1) -> str:
    """`member`, `3 members`: the kind's label, with the count when it is not 1."""
    one, many = LABELS.get(kind, (str(kind), str(kind)))
    return one if count == 1 else many


@dataclass(frozen=True)
class Counts:
    """Objects to add, change and destroy, each by kind (rows that change something: an
    organization deleted counts with everything that goes with it)."""

    by_action: Mapping[Action, Mapping[Kind, int]]

    @classmethod
    def of(cls, rows: Iterable[Row]) -> "Counts":
        """Count the rows that add, change or destroy an object."""
        found: dict[Action, dict[Kind, int]] = {action: {} for action in VERBS}
        for row in rows:
            if row.action in found:
                found[row.action][row.kind] = found[row.action].get(row.kind, 0) + 1
        order = {kind: index for index, kind in enumerate(LABELS)}
        return cls(
            {
                action: dict(sorted(kinds.items(), key=lambda k: order.get(k[0], len(order))))
                for action, kinds in found.items()
            }
        )

    def total(self, action: Action) -> int:
        """Objects the action applies to."""
        return sum(self.by_action[action].values())

    @property
    def headline(self) -> str:
        """`3 to add, 2 to change, 5 to destroy`."""
        return ", ".join(f"{self.total(a)} to {verb}" for a, verb in VERBS.items())

    @property
    def breakdown(self) -> str:
        """`add 1 organization, 2 members; destroy 1 member` (actions with objects only)."""
        parts = []
        for action, verb in VERBS.items():
            kinds = self.by_action[action]
            if kinds:
                listed = ", ".join(f"{n} {label(kind, n)}" for kind, n in kinds.items())
                parts.append(f"{verb} {listed}")
        return "; ".join(parts)

    def document(self) -> dict[str, JSON]:
        """`{"create": 3, "update": 2, "delete": 5, "kinds": {"member": {"create": 2}}}`."""
        kinds: dict[str, dict[str, int]] = {}
        for action, counted in self.by_action.items():
            for kind, n in counted.items():
                kinds.setdefault(str(kind), {})[action.value] = n
        return {**{a.value: self.total(a) for a in VERBS}, "kinds": kinds}
