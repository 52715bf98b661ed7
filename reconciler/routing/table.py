"""The routing table of a tenant: every organization's rules, as Python evaluates them and as
the generated Action carries them."""

from dataclasses import dataclass

from reconciler.model.desired import Desired
from reconciler.routing.rules import OrgRules, org_rules


@dataclass(frozen=True)
class RoutingTable:
    """The organizations that have routing rules, by name, and the claims' namespace."""

    organizations: tuple[OrgRules, ...]
    namespace: str | None = None
    """`claims.namespace` of tenant.yaml without a trailing slash; None when it is not set."""

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
    """The routing table of a tenant's files; organizations without rules are left out."""
    rules = (org_rules(desired.organizations[name]) for name in sorted(desired.organizations))
    claims = desired.tenant.claims
    return RoutingTable(
        organizations=tuple(org for org in rules if org.has_rules),
        namespace=claims.namespace.rstrip("/") if claims is not None else None,
    )
