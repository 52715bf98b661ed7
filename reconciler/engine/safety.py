"""Safety rails checked for every plan before anything is written."""

from dataclasses import dataclass

from reconciler.engine.plan import Action, Phase, Plan, goes_with_organization
from reconciler.model import Policy

MIN_EXISTING = 10
"""Below this many existing managed objects the change-share rail does not apply."""
APPROVAL_HINT = (
    "approve it in the change that removes its file: list it under policy.approved_deletions "
    "in tenant.yaml (applying by hand: --allow-delete)"
)
"""How an organization's deletion is approved, where the plan shows it waiting."""


@dataclass(frozen=True)
class Refusal:
    """Why a plan may not be applied, and the flag that would allow it (if any)."""

    message: str
    override: str | None = None

    def __str__(self) -> str:
        hint = f" (pass {self.override} to apply it anyway)" if self.override else ""
        return f"{self.message}{hint}"


@dataclass(frozen=True)
class Verdict:
    """What the rails make of a plan: refusals of the whole plan, and the organizations it
    deletes, approved (in the files or by the flag) or waiting for approval. An apply leaves
    the waiting deletions out, does the rest, and fails."""

    refusals: tuple[Refusal, ...] = ()
    approved: tuple[str, ...] = ()
    waiting: tuple[str, ...] = ()

    @property
    def waiting_lines(self) -> tuple[str, ...]:
        """One line per deletion that waits, with how to approve it."""
        return tuple(
            f"deleting organization {name} waits for approval: {APPROVAL_HINT}"
            for name in self.waiting
        )


def deletions(plan: Plan) -> list[str]:
    """The organizations the plan deletes, sorted."""
    return sorted({op.org for op in plan.operations if op.phase is Phase.ORG_DELETES and op.org})


def withhold(plan: Plan, orgs: tuple[str, ...]) -> Plan:
    """The plan without the deletion of these organizations (its row and its call) and
    without whatever depends on that call."""
    if not orgs:
        return plan
    held = {op.key for op in plan.operations if op.phase is Phase.ORG_DELETES and op.org in orgs}
    kept = []
    for op in plan.operations:  # in apply order: what an operation depends on comes first
        if op.key in held or any(dep in held for dep in op.depends_on):
            held.add(op.key)
        else:
            kept.append(op)
    rows = tuple(r for r in plan.rows if not any(key in held for key in r.operations))
    return Plan(rows, tuple(kept), plan.unmanaged_organizations, plan.fingerprinted)


def check_plan(
    plan: Plan,
    existing: int,
    policy: Policy,
    *,
    allow_delete: bool = False,
    force: bool = False,
) -> Verdict:
    """What the rails say of the plan: nothing refused and nothing waiting means it may be
    applied as it is.

    An organization's deletion needs `policy.prune_organizations`, never touches a protected
    organization (both refuse the whole plan), and is approved by `policy.approved_deletions`
    or `allow_delete`; the others wait. The change-share rail counts what would be applied
    (an organization deleted counts once, not with what goes with it).
    `existing` counts the managed objects that exist (see
    `reconciler.resources.registry.existing_objects`).
    """
    refusals: list[Refusal] = []
    deletes = deletions(plan)
    protected = [name for name in deletes if name in policy.protected_organizations]
    if protected:
        refusals.append(
            Refusal(f"protected organizations would be deleted: {', '.join(protected)}")
        )
    approved: list[str] = []
    waiting: list[str] = []
    if deletes and not policy.prune_organizations:
        refusals.append(
            Refusal(f"deleting {', '.join(deletes)} needs policy.prune_organizations: true")
        )
    else:
        listed = set(policy.approved_deletions)
        for name in deletes:
            (approved if allow_delete or name in listed else waiting).append(name)
    applied = withhold(plan, tuple(waiting))
    changed = sum(
        r.action in (Action.UPDATE, Action.DELETE) and not goes_with_organization(r)
        for r in applied.rows
    )
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
    return Verdict(tuple(refusals), tuple(approved), tuple(waiting))
