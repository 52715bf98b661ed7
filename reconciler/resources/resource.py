"""What one managed kind declares, and what its hooks are given.

The planner, the reader, plan files, the change-share rail and import iterate over the
registered resources (`registry.RESOURCES`); each hook's default declares nothing, so a
resource states only what its kind takes part in.
"""

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from reconciler.engine.app_refs import Applications
from reconciler.engine.builder import PlanBuilder
from reconciler.engine.connection_refs import PlannedConnection
from reconciler.engine.context import OrgContext
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.identity import ObjectKey
from reconciler.engine.kinds import Kind
from reconciler.model.desired import Desired
from reconciler.model.live import LiveOrganization, Snapshot
from reconciler.progress import Progress
from reconciler.resources.importing import OrgImport
from reconciler.resources.reads import PageFetch, Reads
from reconciler.resources.scope import OrgScope, Scope


class Stage(IntEnum):
    """When a tenant-wide read runs; reads of one stage run at once."""

    TENANT = 1
    """With the organizations' listing: what nothing else read decides."""
    ORGANIZATIONS = 2
    """With each organization's own reads: the organizations' ids are known."""
    MEMBERS_KNOWN = 3
    """After every organization is read (its members, invitations and links are known)."""
    LAST = 4
    """After that: what depends on the users looked up."""


@dataclass
class Reading:
    """One read of the tenant: where reads go, what they cover, what has been read."""

    api: Reads
    scope: Scope
    snapshot: Snapshot
    org_names: dict[str, str] = field(default_factory=dict)
    """Organization id -> name of the organizations found (from Stage.ORGANIZATIONS)."""
    progress: Progress | None = None
    """Hears of reads that take many calls (the users looked up)."""


@dataclass(frozen=True)
class OrgReading:
    """The read of one organization: each resource fills its part of `live`."""

    api: Reads
    scope: OrgScope
    live: LiveOrganization
    lists: frozenset[Endpoint]
    """The organization's lists that the read needs (`what_to_read.organization_lists`)."""

    async def pages(self, endpoint: Endpoint, fetch: PageFetch) -> list[Any]:
        """Every item of one of the organization's lists, its errors naming the organization."""
        return await self.api.pages(endpoint, fetch, self.live.id, org=self.live.name)


@dataclass
class Planning:
    """One plan being made: the builder, both states, and what resources hand each other."""

    builder: PlanBuilder
    desired: Desired
    live: Snapshot
    only: frozenset[str] | None
    member_batch: int
    applications: Applications | None = None
    """The applications as the plan addresses them (set by the applications resource)."""
    connections: dict[str, PlannedConnection] = field(default_factory=dict)
    """The declared enterprise connections as the plan addresses them, by name (set by the
    enterprise connections resource)."""

    def selected(self, name: str) -> bool:
        """Whether the plan covers the organization of this name."""
        return self.only is None or name in self.only


class Resource:
    """One managed kind. Subclasses override the hooks their kind takes part in."""

    name = ""
    """What the kind is, in words (`discovery domains`)."""
    row_kinds: tuple[Kind, ...] = ()
    """The kinds of plan rows it shows, in the order they are shown (see `row_rank`)."""
    row_rank = 100
    """Where its rows go within an organization (or the tenant): lower first."""
    fingerprinted: tuple[Kind, ...] = ()
    """The kinds of live objects whose digest (`digest`) a saved plan keeps."""

    def tenant_lists(self, scope: Scope) -> frozenset[Endpoint]:
        """The tenant-wide lists a read of `scope` needs for this kind."""
        return frozenset()

    def organization_lists(self, scope: OrgScope) -> frozenset[Endpoint]:
        """The lists of one organization a read of `scope` needs for this kind."""
        return frozenset()

    async def read(self, stage: Stage, reading: Reading) -> None:
        """Read this kind's tenant-wide part at `stage` into `reading.snapshot`."""

    async def read_organization(self, reading: OrgReading) -> None:
        """Read this kind's part of one organization into `reading.live`."""

    def plan(self, planning: Planning) -> None:
        """Plan this kind's tenant-wide part, before the organizations."""

    def plan_organization(self, ctx: OrgContext, planning: Planning) -> None:
        """Plan this kind's part of one organization."""

    def plan_after(self, planning: Planning) -> None:
        """Plan what depends on every organization being planned."""

    def digest(self, key: ObjectKey, live: Snapshot) -> str:
        """The digest of one object of a `fingerprinted` kind as the snapshot has it."""
        raise ValueError(f"{self.name} keeps no digest of {key}")

    def existing(self, live: Snapshot) -> int:
        """How many managed objects of this kind exist (for the change-share rail)."""
        return 0

    def import_organization(self, importing: OrgImport) -> dict[str, Any]:
        """The keys of an organization file that this kind writes, from what Auth0 holds."""
        return {}
