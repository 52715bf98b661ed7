"""The organizations a command's `--org` options select."""

from reconciler.engine.errors import PlanError, PlanErrors
from reconciler.model.desired import Desired


def selected(desired: Desired, orgs: tuple[str, ...]) -> frozenset[str] | None:
    """The organizations `--org` selects (None: all); unknown names are errors."""
    if not orgs:
        return None
    unknown = [name for name in orgs if name not in desired.organizations]
    if unknown:
        raise PlanErrors(
            [PlanError(f"--org {name}: no organization file defines it") for name in unknown]
        )
    return frozenset(orgs)
