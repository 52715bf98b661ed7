"""The managed kinds, in the order they are read and planned, and what iterates over them:
the lists a read needs, the rank of plan rows, saved plans' digests and the count of
existing managed objects."""

from collections.abc import Mapping

from reconciler.engine.endpoint import Endpoint
from reconciler.engine.identity import ObjectKey
from reconciler.engine.kinds import Kind
from reconciler.model.live import Snapshot
from reconciler.resources.api_access import API_ACCESS
from reconciler.resources.apis import APIS
from reconciler.resources.applications import APPLICATIONS
from reconciler.resources.discovery_domains import DISCOVERY_DOMAINS
from reconciler.resources.enterprise_connections import ENTERPRISE_CONNECTIONS
from reconciler.resources.invitations import INVITATIONS
from reconciler.resources.members import MEMBERS
from reconciler.resources.organization_applications import ORGANIZATION_APPLICATIONS
from reconciler.resources.organization_connections import ORGANIZATION_CONNECTIONS
from reconciler.resources.organizations import ORGANIZATIONS
from reconciler.resources.post_login import POST_LOGIN_ACTION
from reconciler.resources.resource import Resource
from reconciler.resources.roles import ROLES
from reconciler.resources.scope import OrgScope, Scope
from reconciler.resources.sso_profiles import SSO_PROFILES
from reconciler.resources.users import USERS

RESOURCES: tuple[Resource, ...] = (
    ORGANIZATIONS,
    ORGANIZATION_CONNECTIONS,
    ROLES,
    DISCOVERY_DOMAINS,
    APPLICATIONS,
    ENTERPRISE_CONNECTIONS,
    SSO_PROFILES,
    API_ACCESS,
    ORGANIZATION_APPLICATIONS,
    MEMBERS,
    INVITATIONS,
    USERS,
    APIS,
    POST_LOGIN_ACTION,
)
"""Every managed kind. Within each stage of a read and each step of a plan, resources take
their turn in this order (an organization's connections before its roles, its roles before
its members; applications before the API access that uses them and the enterprise connections
enabled for them)."""


def _row_ranks() -> dict[Kind, int]:
    ranks: dict[Kind, int] = {}
    ranked = sorted(
        (r for r in RESOURCES if r.row_rank < Resource.row_rank), key=lambda r: r.row_rank
    )
    for resource in ranked:
        for kind in resource.row_kinds:
            if kind in ranks:
                raise ValueError(f"{kind} is ranked twice")
            ranks[kind] = len(ranks)
    return ranks


ROW_RANKS: Mapping[Kind, int] = _row_ranks()
"""Kind of plan row -> its place among an organization's (or the tenant's) rows."""

_FINGERPRINTS: Mapping[Kind, Resource] = {
    kind: resource for resource in RESOURCES for kind in resource.fingerprinted
}


def tenant_lists(scope: Scope) -> frozenset[Endpoint]:
    """The tenant-wide lists a read needs (organizations aside)."""
    return frozenset().union(*(r.tenant_lists(scope) for r in RESOURCES))


def organization_lists(scope: OrgScope) -> frozenset[Endpoint]:
    """The lists of one organization a read needs: the parts its file manages."""
    return frozenset().union(*(r.organization_lists(scope) for r in RESOURCES))


def digest(key: ObjectKey, live: Snapshot) -> str:
    """The digest of one object as the snapshot has it (`absent` when it is not there)."""
    resource = _FINGERPRINTS.get(key.kind)
    if resource is None:
        raise ValueError(f"no resource keeps a digest of {key}")
    return resource.digest(key, live)


def existing_objects(live: Snapshot) -> int:
    """Managed objects that exist: organizations, their members, connections, domains, API
    access and applications, roles, and declared enterprise connections."""
    return sum(r.existing(live) for r in RESOURCES)
