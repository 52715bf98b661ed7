"""Discovery domains: they follow `routing.email_domains` (wildcard entries are for the
routing Action only: Auth0 discovers organizations by exact domains)."""

from typing import Any

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import Action, FieldChange, Phase
from reconciler.model.live import LiveDomain, Snapshot
from reconciler.resources.importing import OrgImport
from reconciler.resources.reads import PAGE
from reconciler.resources.resource import OrgReading, Planning, Resource
from reconciler.resources.scope import OrgScope


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


def diff_domains(ctx: OrgContext, builder: PlanBuilder) -> None:
    """Discovery domains follow `routing.email_domains` (wildcard entries are for the routing
    Action only: Auth0 discovers organizations by exact domains)."""
    routing = ctx.desired.routing
    wanted = routing.discovery_domains if routing is not None else None
    if wanted is None:
        return
    have = (ctx.live.domains or {}) if ctx.live else {}
    for domain in wanted:
        current = have.get(domain)
        if current is None:
            key = builder.call(
                ENDPOINTS.add_discovery_domain,
                ctx.key(Kind.DISCOVERY_DOMAIN, domain, Step.ADD),
                Phase.ORG_LINKS,
                ctx.id,
                body={"domain": domain, "use_for_organization_discovery": True},
                depends_on=(ctx.created_by,),
            )
            builder.row(
                ctx.name,
                Action.CREATE,
                Kind.DISCOVERY_DOMAIN,
                domain,
                note="verify it by publishing the TXT record Auth0 returns",
                operations=(key,),
            )
        elif not current.use_for_organization_discovery:
            key = builder.call(
                ENDPOINTS.update_discovery_domain,
                ctx.key(Kind.DISCOVERY_DOMAIN, domain, Step.UPDATE),
                Phase.ORG_LINKS,
                ctx.id,
                current.id,
                body={"use_for_organization_discovery": True},
            )
            builder.row(
                ctx.name,
                Action.UPDATE,
                Kind.DISCOVERY_DOMAIN,
                domain,
                (FieldChange("use_for_organization_discovery", False, True),),
                operations=(key,),
            )
        elif current.status == "pending" and current.verification_txt:
            builder.row(
                ctx.name,
                Action.KEEP,
                Kind.DISCOVERY_DOMAIN,
                domain,
                note=f"pending: publish TXT {current.verification_txt!r} at "
                f"{current.verification_host}",
            )
    for domain, current in sorted(have.items()):
        if domain not in wanted:
            key = builder.call(
                ENDPOINTS.remove_discovery_domain,
                ctx.key(Kind.DISCOVERY_DOMAIN, domain, Step.REMOVE),
                Phase.ORG_LINK_REMOVALS,
                ctx.id,
                current.id,
            )
            builder.row(ctx.name, Action.DELETE, Kind.DISCOVERY_DOMAIN, domain, operations=(key,))


class DiscoveryDomains(Resource):
    """Each organization's discovery domains."""

    name = "discovery domains"
    row_kinds = (Kind.DISCOVERY_DOMAIN,)
    row_rank = 5

    def organization_lists(self, scope: OrgScope) -> frozenset[Endpoint]:
        """The organization's domains, when its file routes email domains."""
        return frozenset({ENDPOINTS.list_discovery_domains} if scope.domains else ())

    async def read_organization(self, reading: OrgReading) -> None:
        """The organization's discovery domains."""
        if ENDPOINTS.list_discovery_domains not in reading.lists:
            return
        domains = reading.api.client.organizations.discovery_domains
        items = await reading.pages(
            ENDPOINTS.list_discovery_domains,
            lambda _: domains.list(reading.live.id, take=PAGE),
        )
        found = (live_domain(item) for item in items)
        reading.live.domains = {d.domain: d for d in found if d is not None}

    def plan_organization(self, ctx: OrgContext, planning: Planning) -> None:
        """Add, turn on and remove discovery domains."""
        diff_domains(ctx, planning.builder)

    def existing(self, live: Snapshot) -> int:
        """The domains read."""
        return sum(len(org.domains or {}) for org in live.organizations.values())

    def import_organization(self, importing: OrgImport) -> dict[str, Any]:
        """The domains as `routing.email_domains`, when they can be written so."""
        domains = _importable(importing)
        return {"routing": {"email_domains": domains}} if domains else {}


def _importable(importing: OrgImport) -> list[str]:
    org = importing.org
    domains = sorted((org.domains or {}).values(), key=lambda d: d.domain)
    if any(not d.use_for_organization_discovery for d in domains):
        importing.left_out.append(
            f"{org.name}: routing left out: a discovery domain is not used for "
            "organization discovery, which routing.email_domains would turn on"
        )
        return []
    routed = {
        domain: other.name
        for other in importing.desired.organizations.values()
        if other.name != org.name
        for domain in ((other.routing.email_domains or []) if other.routing else [])
    }
    taken = [d.domain for d in domains if d.domain in routed]
    if taken:
        importing.left_out.append(
            f"{org.name}: routing left out: {', '.join(taken)} is routed to "
            f"{routed[taken[0]]} in the files"
        )
        return []
    return [d.domain for d in domains]


DISCOVERY_DOMAINS = DiscoveryDomains()
