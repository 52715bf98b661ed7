"""Every Management API endpoint the reconciler calls: what it reads and what it writes.

Each entry says its method and path template (relative to `/api/v2`), the scope a token needs
for it, how its lists are paged, how the executor settles a write whose outcome it does not
know, and which kinds of objects a logged write to it changes. Plans build their operations
from these entries (`PlanBuilder.call`), incremental drift maps logged writes to kinds through
them (`touched_by`), the reader names its reads by them, and the scopes the docs list are
rendered from them (`reconciler.engine.scopes_doc`).
"""

from collections.abc import Iterable, Iterator

from reconciler.engine.endpoint import Endpoint
from reconciler.engine.kinds import Verb
from reconciler.engine.organization_endpoints import OrganizationEndpoints
from reconciler.engine.tenant_endpoints import TenantEndpoints


class Endpoints(OrganizationEndpoints, TenantEndpoints):
    """The table: one attribute per endpoint, those of organizations first."""

    def __iter__(self) -> Iterator[Endpoint]:
        return iter(
            e for area in type(self).__mro__ for e in vars(area).values() if isinstance(e, Endpoint)
        )

    @property
    def writes(self) -> tuple[Endpoint, ...]:
        """The entries that change the tenant."""
        return tuple(e for e in self if e.verb.writes)

    def write_at(self, verb: Verb, segments: list[str]) -> tuple[Endpoint, tuple[str, ...]] | None:
        """The write entry whose template a decoded path matches, with the path's parameters;
        literal segments win over parameters."""
        return self._at(self.writes, verb, segments)

    def at(self, verb: Verb, segments: list[str]) -> tuple[Endpoint, tuple[str, ...]] | None:
        """The entry whose template a decoded path matches, as `write_at` for any method."""
        return self._at(self, verb, segments)

    @staticmethod
    def _at(
        entries: Iterable[Endpoint], verb: Verb, segments: list[str]
    ) -> tuple[Endpoint, tuple[str, ...]] | None:
        found = [
            (e, params)
            for e in entries
            if e.verb is verb and (params := e.match(segments)) is not None
        ]
        if not found:
            return None
        return min(found, key=lambda hit: hit[0].arity)


ENDPOINTS = Endpoints()
