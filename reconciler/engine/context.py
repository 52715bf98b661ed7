"""What the diff knows about one organization while it plans it."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from reconciler.engine.app_refs import Applications
from reconciler.engine.connection_refs import PlannedConnection
from reconciler.engine.identity import ObjectKey, OpKey, Ref
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import PathPart
from reconciler.model import Organization
from reconciler.model.desired import Desired
from reconciler.model.live import LiveOrganization, Snapshot


@dataclass(frozen=True)
class OrgContext:
    """One desired organization, its live counterpart, and how later calls address it."""

    desired_state: Desired
    snapshot: Snapshot
    desired: Organization
    live: LiveOrganization | None
    created_by: OpKey | None
    """Key of the create operation when the plan creates the organization."""
    applications: Applications | None = None
    """The tenant's applications and client grants as the plan addresses them."""
    connections: Mapping[str, PlannedConnection] = field(default_factory=dict)
    """The declared enterprise connections as the plan addresses them, by name."""

    @property
    def name(self) -> str:
        """The organization's name in the files."""
        return self.desired.name

    @property
    def id(self) -> PathPart:
        """The live id, or a reference to the id the plan's create call returns."""
        if self.live is not None:
            return self.live.id
        return Ref(ObjectKey.organization(self.name))

    def where(self, *path: str | int) -> str:
        """`file:line:col: ` of a key path inside this organization's file."""
        return self.desired_state.where("organizations", self.name, *path)

    def key(self, kind: Kind, name: str, verb: Step) -> OpKey:
        """The key of an operation on this organization."""
        return OpKey(self.name, kind, name, verb)
