"""The managed kinds, one module each: what it reads, how it parses Auth0's answers, its
diff, its digest for saved plans, its count for the change-share rail and its import back to
YAML (`resource.Resource`). The planner, the reader, saved plans, the rails and import
iterate over `registry.RESOURCES`. No HTTP here: reads go through `reads.Reads`."""

from reconciler.resources.planner import diff

__all__ = ["diff"]
