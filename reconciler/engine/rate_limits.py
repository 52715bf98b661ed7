"""Auth0's Management API rate limits per subscription: the tenant-wide bucket and the
buckets of the endpoint groups the reconciler's endpoints fall into.

Transcribed from Auth0's "Rate limit configurations" pages (each `Limits.source`), as read
on `READ_ON`.
Each bucket is a token bucket: `burst` requests at once, refilled at `requests` per `unit`.
A group a page does not list shares the page's "all other endpoints combined" bucket when it
has one (Essentials/Professional); otherwise only the tenant-wide bucket limits it.
"""

from dataclasses import dataclass, field, replace
from enum import StrEnum

from reconciler.model.subscription import Subscription

READ_ON = "2026-12-02"
_PAGES = (
    "https://auth0.com/docs/troubleshoot/customer-support/operational-policies/"
    "rate-limit-policy/rate-limit-configurations/"
)


class RateGroup(StrEnum):
    """An endpoint group with a bucket of its own on some subscription: Auth0's names."""

    ORGANIZATIONS_READ = "Read Organizations"
    ORGANIZATION_BY_ID_READ = "Read Organizations by ID"
    ORGANIZATION_BY_NAME_READ = "Read Organizations by Name"
    ORGANIZATIONS_WRITE = "Write Organizations"
    USER_ORGANIZATIONS_READ = "Read User's Organizations"
    MEMBERS_READ = "Read Organization Members"
    MEMBERS_WRITE = "Write Organization Members"
    MEMBER_ROLES_WRITE = "Write Organization Member Roles"
    ORGANIZATION_CONNECTIONS_READ = "Read Organization Connections"
    ORGANIZATION_CONNECTIONS_WRITE = "Write Organization Connections"
    INVITATIONS_READ = "Read Organization invitation"
    INVITATIONS_WRITE = "Write Organization invitation"
    ORGANIZATION_GRANTS_READ = "Read Organization Client Grants"
    ORGANIZATION_GRANTS_WRITE = "Write Organization Client Grants"
    CLIENTS_READ = "Read Clients"
    CONNECTIONS_READ = "Read Connections"
    LOGS_READ = "Read Logs"
    USERS_READ = "Read Users"
    OTHER = "All other endpoints"
    """Endpoints in no listed group."""


class Unit(StrEnum):
    """What a sustained rate is counted per."""

    SECOND = "second"
    MINUTE = "minute"


@dataclass(frozen=True)
class Bucket:
    """A token bucket: `burst` requests at once, `requests` more per `unit`."""

    burst: int
    requests: int
    unit: Unit

    @property
    def per_second(self) -> float:
        """The sustained rate in requests per second."""
        return self.requests / self._unit_seconds

    @property
    def _unit_seconds(self) -> int:
        return 1 if self.unit is Unit.SECOND else 60

    def faster(self, speedup: int) -> "Bucket":
        """The bucket refilling `speedup` times faster (the same burst)."""
        return replace(self, requests=self.requests * speedup)

    def seconds_for(self, calls: int) -> float:
        """The least time `calls` take from a full bucket: the burst at once, the rest at the
        sustained rate."""
        return max(0, calls - self.burst) * self._unit_seconds / self.requests


@dataclass(frozen=True)
class Limits:
    """One subscription's Management API limits."""

    source: str
    """The page they were read from."""
    tenant: Bucket | None
    """The tenant-wide bucket every request also takes from (None: the page has none)."""
    groups: dict[RateGroup, Bucket] = field(default_factory=dict)
    """The groups the page lists; `OTHER`: its bucket of all other endpoints combined."""

    def bucket_of(self, group: RateGroup) -> RateGroup | None:
        """The group whose bucket a request of `group` takes from besides the tenant's, or
        None when only the tenant-wide bucket limits it."""
        if group in self.groups:
            return group
        return RateGroup.OTHER if RateGroup.OTHER in self.groups else None

    def faster(self, speedup: int) -> "Limits":
        """These limits with every bucket refilling `speedup` times faster: Auth0's limits
        on a clock `speedup` times faster (`reconciler sandbox serve --limits-speedup`)."""
        return replace(
            self,
            tenant=None if self.tenant is None else self.tenant.faster(speedup),
            groups={group: bucket.faster(speedup) for group, bucket in self.groups.items()},
        )

    def buckets(self, group: RateGroup) -> tuple[Bucket, ...]:
        """Every bucket a request of `group` takes a token from."""
        own = self.bucket_of(group)
        found = [] if own is None else [self.groups[own]]
        return tuple(found + ([self.tenant] if self.tenant is not None else []))


def _per_minute(burst: int, requests: int) -> Bucket:
    return Bucket(burst, requests, Unit.MINUTE)


_G = RateGroup
LIMITS: dict[Subscription, Limits] = {
    Subscription.ENTERPRISE: Limits(
        source=_PAGES + "enterprise-public",
        # Production tenants; non-production ones have burst 10, 2/second.
        tenant=Bucket(50, 16, Unit.SECOND),
        groups={
            _G.ORGANIZATIONS_READ: _per_minute(10, 100),
            _G.ORGANIZATION_BY_ID_READ: _per_minute(10, 100),
            _G.USER_ORGANIZATIONS_READ: _per_minute(40, 500),
            _G.ORGANIZATION_BY_NAME_READ: _per_minute(20, 200),
            _G.ORGANIZATIONS_WRITE: _per_minute(5, 150),
            _G.MEMBERS_READ: _per_minute(40, 500),
            _G.MEMBERS_WRITE: _per_minute(20, 200),
            _G.INVITATIONS_READ: _per_minute(20, 200),
            _G.INVITATIONS_WRITE: _per_minute(20, 200),
            _G.MEMBER_ROLES_WRITE: _per_minute(20, 200),
            _G.ORGANIZATION_CONNECTIONS_READ: _per_minute(10, 100),
            _G.ORGANIZATION_CONNECTIONS_WRITE: _per_minute(5, 150),
            _G.ORGANIZATION_GRANTS_READ: _per_minute(10, 100),
            _G.ORGANIZATION_GRANTS_WRITE: _per_minute(5, 150),
        },
    ),
    Subscription.PROFESSIONAL: Limits(
        source=_PAGES + "essentials-professional-b2b",
        tenant=None,
        groups={
            _G.ORGANIZATIONS_READ: _per_minute(5, 50),
            _G.ORGANIZATION_BY_ID_READ: _per_minute(20, 200),
            _G.ORGANIZATION_BY_NAME_READ: _per_minute(10, 100),
            _G.ORGANIZATIONS_WRITE: _per_minute(5, 25),
            # The page lists the members read twice (40, 500/minute and 20, 200/minute as
            # "Read Members of an Organization"): the lower one is taken.
            _G.MEMBERS_READ: _per_minute(20, 200),
            _G.MEMBERS_WRITE: _per_minute(20, 200),
            _G.MEMBER_ROLES_WRITE: _per_minute(20, 200),
            _G.ORGANIZATION_CONNECTIONS_READ: _per_minute(5, 50),
            _G.ORGANIZATION_CONNECTIONS_WRITE: _per_minute(5, 25),
            _G.LOGS_READ: _per_minute(10, 100),
            _G.USERS_READ: _per_minute(40, 500),
            _G.CLIENTS_READ: _per_minute(5, 100),
            _G.CONNECTIONS_READ: _per_minute(5, 50),
            _G.ORGANIZATION_GRANTS_READ: _per_minute(10, 100),
            _G.ORGANIZATION_GRANTS_WRITE: _per_minute(5, 150),
            _G.OTHER: _per_minute(10, 150),
        },
    ),
    Subscription.FREE: Limits(
        source=_PAGES + "free-public",
        tenant=Bucket(2, 2, Unit.SECOND),
    ),
}
"""What each subscription allows, as read on `READ_ON`."""


def limits_of(subscription: Subscription) -> Limits:
    """A subscription's limits."""
    return LIMITS[subscription]
