"""The routing table of a tenant: every organization's rules, as Python evaluates them and as
the generated Action carries them."""

from dataclasses import dataclass

from reconciler.model.desired import Desired
from reconciler.routing.rules import OrgRules, org_rules


@dataclass(frozen=True)
class RoutingTable:
    """The organizations the Action knows, and the claims' namespace."""

    organizations: tuple[OrgRules, ...]
    """Every organization with rules or `absent` entries, by name."""
    namespace: str | None = None
    """`claims.namespace` of tenant.yaml without a trailing slash; None when it is not set."""

    @property
    def has_rules(self) -> bool:
        """Whether any organization's rules can admit a user (else no Action is managed)."""
        return any(org.has_rules for org in self.organizations)

    def find(self, name: str) -> OrgRules | None:
        """The organization of that name, if it is in the table."""
        return next((org for org in self.organizations if org.name == name), None)

    def claim(self, name: str) -> str | None:
        """The full name of a custom claim (`https://app.example/organization`), if any."""
        return f"{self.namespace}/{name}" if self.namespace is not None else None

    def data(self) -> dict[str, object]:
        """The table as JSON-ready data, in the shape the Action reads."""
        return {
            "namespace": self.namespace,
            "organizations": [org.data() for org in self.organizations],
        }


def routing_table(desired: Desired) -> RoutingTable:
    """The routing table of a tenant's files; organizations without rules or `absent` entries
    are left out."""
    rules = (org_rules(desired.organizations[name]) for name in sorted(desired.organizations))
    claims = desired.tenant.claims
    return RoutingTable(
        organizations=tuple(org for org in rules if org.in_table),
        namespace=claims.namespace.rstrip("/") if claims is not None else None,
    )
