"""``/organizations/{id}/discovery-domains``: the domains an organization is discovered by."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import conflict, not_found
from ..pagination import checkpoint_page, read_checkpoint
from ..records import DiscoveryDomain, JsonObject
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase
from ..validation import Body

DOMAIN = re.compile(
    r"^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*"
    r"([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])$"
)
DOMAIN_STATUSES = ("pending", "verified")


class DiscoveryDomainOps(StoreBase):
    """Operations on discovery domains."""

    def add_discovery_domain(
        self,
        org_id: str,
        domain: str,
        status: str = "pending",
        use_for_organization_discovery: bool = True,
    ) -> DiscoveryDomain:
        """Register a discovery domain (used for discovery unless told); 409 if the
        organization already has it. Its TXT record goes under ``_ss-verification.<org id>``."""
        org = self.organization(org_id)
        if any(d.domain.lower() == domain.lower() for d in org.discovery_domains.values()):
            raise conflict("The domain already exists for this organization.")
        record = DiscoveryDomain(
            id=self.ids.prefixed("ord_", 22),
            seq=self.next_seq(),
            domain=domain,
            status=status,
            use_for_organization_discovery=use_for_organization_discovery,
            verification_txt=self.ids.hex(32),
            verification_host=f"_ss-verification.{org_id}.{domain}",
        )
        org.discovery_domains[record.id] = record
        return record

    def discovery_domain(self, org_id: str, domain_id: str) -> DiscoveryDomain:
        """One discovery domain by id, or 404."""
        record = self.organization(org_id).discovery_domains.get(domain_id)
        if record is None:
            raise not_found("The discovery domain does not exist.")
        return record

    def discovery_domain_by_name(self, org_id: str, domain: str) -> DiscoveryDomain:
        """One discovery domain by its domain name, or 404."""
        for record in self.organization(org_id).discovery_domains.values():
            if record.domain.lower() == domain.lower():
                return record
        raise not_found("The discovery domain does not exist.")

    def update_discovery_domain(
        self, org_id: str, domain_id: str, changes: Mapping[str, Any]
    ) -> DiscoveryDomain:
        """Change status or the discovery flag."""
        record = self.discovery_domain(org_id, domain_id)
        for key, value in changes.items():
            setattr(record, key, value)
        return record

    def delete_discovery_domain(self, org_id: str, domain_id: str) -> None:
        """Remove a discovery domain; one already gone is no error (Auth0 answers 204)."""
        self.organization(org_id).discovery_domains.pop(domain_id, None)


routes = RouteTable()


def render_domain(record: DiscoveryDomain) -> JsonObject:
    """A discovery domain with the DNS record its owner must publish."""
    return {
        "id": record.id,
        "domain": record.domain,
        "status": record.status,
        "use_for_organization_discovery": record.use_for_organization_discovery,
        "verification_txt": record.verification_txt,
        "verification_host": record.verification_host,
    }


@routes.get(
    "/organizations/{id}/discovery-domains",
    "read:organization_discovery_domains",
    "List discovery domains",
)
def list_discovery_domains(ctx: Context) -> Reply:
    paging = read_checkpoint(ctx.query)
    domains = list(ctx.store.organization(ctx.params["id"]).discovery_domains.values())
    return Reply(200, checkpoint_page(domains, paging, "domains", render_domain, lambda d: d.seq))


@routes.post(
    "/organizations/{id}/discovery-domains",
    "create:organization_discovery_domains",
    "Add a discovery domain",
)
def add_discovery_domain(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("domain", "status", "use_for_organization_discovery"), ("domain",))
    domain = body.string("domain", min_len=3, max_len=255, pattern=DOMAIN) or ""
    record = ctx.store.add_discovery_domain(
        ctx.params["id"],
        domain,
        body.enum("status", DOMAIN_STATUSES) or "pending",
        body.boolean("use_for_organization_discovery") is not False,
    )
    return Reply(201, render_domain(record))


@routes.get(
    "/organizations/{id}/discovery-domains/name/{discovery_domain}",
    "read:organization_discovery_domains",
    "Get a discovery domain by name",
)
def get_discovery_domain_by_name(ctx: Context) -> Reply:
    record = ctx.store.discovery_domain_by_name(ctx.params["id"], ctx.params["discovery_domain"])
    return Reply(200, render_domain(record))


@routes.get(
    "/organizations/{id}/discovery-domains/{discovery_domain_id}",
    "read:organization_discovery_domains",
    "Get a discovery domain",
)
def get_discovery_domain(ctx: Context) -> Reply:
    record = ctx.store.discovery_domain(ctx.params["id"], ctx.params["discovery_domain_id"])
    return Reply(200, render_domain(record))


@routes.patch(
    "/organizations/{id}/discovery-domains/{discovery_domain_id}",
    "update:organization_discovery_domains",
    "Update a discovery domain",
)
def update_discovery_domain(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("status", "use_for_organization_discovery"))
    changes: dict[str, Any] = {}
    if body.has("status"):
        changes["status"] = body.enum("status", DOMAIN_STATUSES)
    if body.has("use_for_organization_discovery"):
        changes["use_for_organization_discovery"] = body.boolean("use_for_organization_discovery")
    record = ctx.store.update_discovery_domain(
        ctx.params["id"], ctx.params["discovery_domain_id"], changes
    )
    return Reply(200, render_domain(record))


@routes.delete(
    "/organizations/{id}/discovery-domains/{discovery_domain_id}",
    "delete:organization_discovery_domains",
    "Delete a discovery domain",
)
def delete_discovery_domain(ctx: Context) -> Reply:
    ctx.store.delete_discovery_domain(ctx.params["id"], ctx.params["discovery_domain_id"])
    return Reply(204)
