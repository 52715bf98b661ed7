"""Safety rails checked for every plan before anything is written."""

from dataclasses import dataclass

from reconciler.engine.plan import Action, Phase, Plan
from reconciler.model import Policy

MIN_EXISTING = 10
"""Below this many existing managed objects the change-share rail does not apply."""


@dataclass(frozen=True)
class Refusal:
    """Why a plan may not be applied, and the flag that would allow it (if any)."""

    message: str
    override: str | None = None

    def __str__(self) -> str:
        hint = f" (pass {self.override} to apply it anyway)" if self.override else ""
        return f"{self.message}{hint}"


def check_plan(
    plan: Plan,
    existing: int,
    policy: Policy,
    *,
    allow_delete: bool = False,
    force: bool = False,
) -> list[Refusal]:
    """Every reason to refuse the plan; empty when it may be applied.

    `existing` counts the managed objects that exist (see
    `reconciler.resources.registry.existing_objects`).
    """
    refusals: list[Refusal] = []
    deletes = sorted({op.org for op in plan.operations if op.phase is Phase.ORG_DELETES and op.org})
    protected = [name for name in deletes if name in policy.protected_organizations]
    if protected:
        refusals.append(
            Refusal(f"protected organizations would be deleted: {', '.join(protected)}")
        )
    if deletes and not policy.prune_organizations:
        refusals.append(
            Refusal(f"deleting {', '.join(deletes)} needs policy.prune_organizations: true")
        )
    elif deletes and not allow_delete:
        refusals.append(
            Refusal(f"the plan deletes organizations: {', '.join(deletes)}", "--allow-delete")
        )
    changed = sum(r.action in (Action.UPDATE, Action.DELETE) for r in plan.rows)
    if not force and existing >= MIN_EXISTING:
        percent = 100 * changed / existing
        if percent > policy.max_change_percent:
            refusals.append(
                Refusal(
                    f"the plan changes or deletes {changed} of {existing} existing managed "
                    f"objects ({percent:.1f}%), more than policy.max_change_percent "
                    f"({policy.max_change_percent:g}%)",
                    "--force",
                )
            )
    return refusals
