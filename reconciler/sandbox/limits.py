"""Auth0's per-subscription Management API limits as the sandbox enforces them: a tenant-wide
token bucket and one bucket per endpoint group, from Auth0's "Rate limit configurations"
pages (enterprise-public, essentials-professional-b2b, free-public; read 2026-12-02).

A route in no group a subscription lists takes from that subscription's bucket of "all
other endpoints combined" when it has one, else only from the tenant-wide bucket.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .ratelimit import TokenBucket

LimitsName = Literal["off", "free", "professional", "enterprise"]
TENANT = "Global"
"""The tenant-wide bucket's key (a 429 from it says "Global limit has been reached")."""
OTHER = "All other endpoints"


@dataclass(frozen=True)
class Rate:
    """A bucket: `burst` tokens, `per_second` refill."""

    burst: int
    per_second: float


def _minute(burst: int, requests: int) -> Rate:
    return Rate(burst, requests / 60)


@dataclass(frozen=True)
class Subscription:
    """One subscription's buckets."""

    tenant: Rate | None
    groups: dict[str, Rate] = field(default_factory=dict)

    def group_key(self, group: str) -> str | None:
        """The bucket a request of `group` takes from besides the tenant's (None: none)."""
        if group in self.groups:
            return group
        return OTHER if OTHER in self.groups else None


_ENTERPRISE_AND_PROFESSIONAL = {
    "Read Organization Member Roles": _minute(20, 200),
    "Write Organization Member Roles": _minute(20, 200),
    "Write Organization Members": _minute(20, 200),
    "Read Organization Client Grants": _minute(10, 100),
    "Write Organization Client Grants": _minute(5, 150),
}
SUBSCRIPTIONS: dict[str, Subscription] = {
    "enterprise": Subscription(
        tenant=Rate(50, 16),
        groups={
            **_ENTERPRISE_AND_PROFESSIONAL,
            "Read Organizations": _minute(10, 100),
            "Read Organizations by ID": _minute(10, 100),
            "Read User's Organizations": _minute(40, 500),
            "Read Organizations by Name": _minute(20, 200),
            "Write Organizations": _minute(5, 150),
            "Read Organization Members": _minute(40, 500),
            "Read Organization invitation": _minute(20, 200),
            "Write Organization invitation": _minute(20, 200),
            "Read Organization Connections": _minute(10, 100),
            "Write Organization Connections": _minute(5, 150),
        },
    ),
    "professional": Subscription(
        tenant=None,
        groups={
            **_ENTERPRISE_AND_PROFESSIONAL,
            "Read Organizations": _minute(5, 50),
            "Read Organizations by ID": _minute(20, 200),
            "Read Organizations by Name": _minute(10, 100),
            "Write Organizations": _minute(5, 25),
            # Listed twice on the page (40, 500/minute and 20, 200/minute): the lower one.
            "Read Organization Members": _minute(20, 200),
            "Read Organization Connections": _minute(5, 50),
            "Write Organization Connections": _minute(5, 25),
            "Read Users": _minute(40, 500),
            "Write Users": _minute(20, 200),
            "Read Logs": _minute(10, 100),
            "Read Clients": _minute(5, 100),
            "Read Connections": _minute(5, 50),
            OTHER: _minute(10, 150),
        },
    ),
    "free": Subscription(tenant=Rate(2, 2)),
}

_READ, _WRITES = ("GET",), ("POST", "PATCH", "DELETE")


def _routes(group: str, methods: tuple[str, ...], *templates: str) -> dict[tuple[str, str], str]:
    return {(m, t): group for m in methods for t in templates}


_ORG_CONNECTIONS = (
    "/organizations/{id}/enabled_connections",
    "/organizations/{id}/enabled_connections/{connectionId}",
    "/organizations/{id}/connections",
    "/organizations/{id}/connections/{connection_id}",
)
_GROUPS: dict[tuple[str, str], str] = {
    **_routes("Read Organizations", _READ, "/organizations"),
    **_routes("Read Organizations by ID", _READ, "/organizations/{id}"),
    **_routes("Read Organizations by Name", _READ, "/organizations/name/{name}"),
    **_routes("Write Organizations", _WRITES, "/organizations", "/organizations/{id}"),
    **_routes("Read User's Organizations", _READ, "/users/{id}/organizations"),
    **_routes("Read Organization Members", _READ, "/organizations/{id}/members"),
    **_routes("Write Organization Members", _WRITES, "/organizations/{id}/members"),
    **_routes(
        "Read Organization Member Roles", _READ, "/organizations/{id}/members/{user_id}/roles"
    ),
    **_routes(
        "Write Organization Member Roles", _WRITES, "/organizations/{id}/members/{user_id}/roles"
    ),
    **_routes("Read Organization Connections", _READ, *_ORG_CONNECTIONS),
    **_routes("Write Organization Connections", _WRITES, *_ORG_CONNECTIONS),
    **_routes(
        "Read Organization invitation",
        _READ,
        "/organizations/{id}/invitations",
        "/organizations/{id}/invitations/{invitation_id}",
    ),
    # The pages list these writes for POST only: deleting one is in no group.
    **_routes("Write Organization invitation", ("POST",), "/organizations/{id}/invitations"),
    **_routes("Read Organization Client Grants", _READ, "/organizations/{id}/client-grants"),
    **_routes("Write Organization Client Grants", ("POST",), "/organizations/{id}/client-grants"),
    **_routes("Read Users", _READ, "/users"),
    **_routes("Write Users", _WRITES, "/users", "/users/{id}"),
    **_routes("Read Clients", _READ, "/clients", "/clients/{id}"),
    **_routes("Read Connections", _READ, "/connections", "/connections/{id}"),
    **_routes("Read Logs", _READ, "/logs", "/logs/{id}"),
}
"""The endpoint group of each route in one; a by-id read the pages do not name goes with its
list when that is the smaller bucket (clients, connections), else with all other endpoints."""


def group_of(method: str, template: str) -> str:
    """The endpoint group of a route (`OTHER` when it is in none)."""
    return _GROUPS.get((method, template), OTHER)


def limit_reached(bucket: str) -> str:
    """A 429's message: the tenant-wide limit as Auth0 words it, or the group's by name."""
    if bucket == TENANT:
        return "Global limit has been reached"
    return f"Rate limit of the endpoint group {bucket!r} has been reached"


@dataclass(frozen=True)
class Taken:
    """The outcome of a request against the buckets."""

    allowed: bool
    headers: dict[str, str]
    """The `x-ratelimit-*` headers of the request's group, or the tenant's."""
    refused_by: str | None = None
    """The bucket that refused it: a group's name or `TENANT`."""


class RateLimits:
    """The sandbox's buckets under one subscription's limits, or under the settings' single
    tenant-wide bucket (`off`)."""

    def __init__(self) -> None:
        self._buckets: dict[str, TokenBucket] = {}

    def take(
        self,
        now: float,
        limits: LimitsName,
        group: str,
        rps: float | None,
        burst: int,
        speedup: float = 1.0,
    ) -> Taken:
        """Take a token from each bucket the request's group draws on, or from none. With
        `speedup` k, a subscription's buckets run on a clock k times faster: they refill k
        times faster and their reset is rounded up to 1/k second (Auth0's minutes in
        seconds, the headers as precise relative to the bucket as Auth0's)."""
        if limits == "off":
            allowed, headers = self._bucket(TENANT).take(now, rps, burst)
            return Taken(allowed, headers, None if allowed else TENANT)
        plan = SUBSCRIPTIONS[limits]
        own = plan.group_key(group)
        drawn = [(key, plan.groups[key]) for key in (own,) if key is not None]
        if plan.tenant is not None:
            drawn.append((TENANT, plan.tenant))
        step = 1 / speedup

        def visit(key: str, rate: Rate, take: bool) -> tuple[bool, dict[str, str]]:
            bucket = self._bucket(key)
            method = bucket.take if take else bucket.peek
            return method(now, rate.per_second * speedup, rate.burst, step)

        states = {key: visit(key, rate, False) for key, rate in drawn}
        refused = next((key for key, (ok, _) in states.items() if not ok), None)
        if refused is None:
            states = {key: visit(key, rate, True) for key, rate in drawn}
        shown = refused or drawn[0][0]
        return Taken(refused is None, states[shown][1], refused)

    def _bucket(self, key: str) -> TokenBucket:
        return self._buckets.setdefault(key, TokenBucket())
