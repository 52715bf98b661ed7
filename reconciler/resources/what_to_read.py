"""What to read, decided from the read scope and from what has been read before: pure
functions, no I/O. Each resource decides its own part (its `tenant_lists`,
`organization_lists` and the look-ups its reads make); these are the decisions they share."""

from collections.abc import Iterable

from reconciler.model.live import LiveOrganization, Snapshot
from reconciler.resources.scope import OrgScope, Scope


def organizations_to_read(scope: Scope, found: Iterable[str]) -> list[tuple[OrgScope, str]]:
    """(scope, name) of each name, current or previous, of the scope's organizations that
    exists: an organization found under both its names is read under each."""
    there = set(found)
    return [
        (org_scope, name)
        for org_scope in scope.organizations.values()
        for name in org_scope.names
        if name in there
    ]


def live_of(snapshot: Snapshot, scope: OrgScope) -> LiveOrganization | None:
    """The organization read for this scope, under its name or a previous one."""
    for name in scope.names:
        if name in snapshot.organizations:
            return snapshot.organizations[name]
    return None
