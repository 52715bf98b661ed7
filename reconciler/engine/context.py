"""What the diff knows about one organization while it plans it."""

from dataclasses import dataclass

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
    id: str
    """The live id, or a reference to the id the plan's create call returns."""
    created_by: str | None
    """Key of the create operation when the plan creates the organization."""

    @property
    def name(self) -> str:
        """The organization's name in the files."""
        return self.desired.name

    def where(self, *path: str | int) -> str:
        """`file:line:col: ` of a key path inside this organization's file."""
        return self.desired_state.where("organizations", self.name, *path)

    @property
    def path(self) -> str:
        """The API path of the organization."""
        return f"/organizations/{self.id}"
