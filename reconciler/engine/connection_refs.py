"""How the plan addresses a declared enterprise connection: a live id, or a reference to the
id that an earlier operation of the plan creates."""

from dataclasses import dataclass

from reconciler.engine.identity import OpKey
from reconciler.engine.plan import PathPart


@dataclass(frozen=True)
class PlannedConnection:
    """A declared connection's id (or the reference to it), its strategy, and the create
    that must succeed before anything links to it."""

    id: PathPart
    strategy: str
    created_by: OpKey | None = None
