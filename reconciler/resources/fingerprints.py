"""Saved plans' fingerprints: a digest of every live object a plan depends on, made by the
resource of its kind, so a plan applied later can tell what changed since."""

from pathlib import Path

from reconciler.engine.identity import ObjectKey
from reconciler.engine.plan import Plan
from reconciler.engine.planfile import SavedPlan, save_plan_file
from reconciler.model.live import Snapshot
from reconciler.resources.registry import digest


def fingerprints(plan: Plan, live: Snapshot) -> dict[ObjectKey, str]:
    """Each object the plan touches -> digest of its live state, or `absent`."""
    return {key: digest(key, live) for key in plan.fingerprinted}


def stale_objects(saved: SavedPlan, live: Snapshot) -> list[str]:
    """The objects whose live state differs from when the plan was made."""
    return [
        str(key)
        for key, expected in sorted(saved.fingerprints.items(), key=lambda i: i[0].sort_key())
        if digest(key, live) != expected
    ]


def write_plan_file(
    path: Path, tenant: str, target: str, files: str, plan: Plan, live: Snapshot
) -> None:
    """Save a plan for a later `apply`, with the fingerprints of what it depends on."""
    saved = SavedPlan(
        tenant, target, files, plan, fingerprints(plan, live), live.organizations_listed
    )
    save_plan_file(path, saved)
