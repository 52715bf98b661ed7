"""Notes: `=` rows for what a change intentionally leaves as it is, so that a reviewer sees
it instead of "No changes." (members that routing keeps are rows of the plan already; see
`view.is_note`)."""

from collections.abc import Mapping

from reconciler.engine.kinds import Kind
from reconciler.engine.plan import Action, Plan, Row
from reconciler.model import Policy

UNMANAGED_WHEN_REMOVED: Mapping[str, tuple[str, str]] = {
    "api_access": ("its client grants stay associated", "api_access: []"),
    "routing": ("its discovery domains stay as they are", "routing: {email_domains: []}"),
    "members": ("its members stay as they are", "members: []"),
    "connections": ("its connections stay as they are", "connections: []"),
    "applications": ("its applications stay as they are", "applications: []"),
}
"""The blocks of an organization file that, once removed, leave that part unmanaged: what
stays, and what to write instead to remove it all."""


def plan_notes(
    plan: Plan,
    policy: Policy,
    *,
    removed_blocks: Mapping[str, tuple[str, ...]] | None = None,
    renamed: Mapping[str, str] | None = None,
) -> tuple[Row, ...]:
    """The notes of a plan: unmanaged organizations that are protected; organizations
    created while others are deleted (or whose file Git saw renamed, `renamed` new -> old)
    without `previous_names`; and the blocks removed from organization files since the
    base revision (`removed_blocks`: organization -> keys), which are now unmanaged."""
    notes: list[Row] = []
    for name in plan.unmanaged_organizations:
        if name in policy.protected_organizations:
            text = "protected by policy.protected_organizations: in no file, never deleted"
            notes.append(_note(name, Kind.ORGANIZATION, text))
    created = [r.name for r in plan.rows if _whole(r, Action.CREATE)]
    deleted = [r.name for r in plan.rows if _whole(r, Action.DELETE)]
    renames = dict(renamed or {})
    if not renames and len(created) == 1 and len(deleted) == 1:
        renames = {created[0]: deleted[0]}
    for new, old in sorted(renames.items()):
        if new in created:
            fate = "deleted" if old in deleted else "left unmanaged"
            notes.append(
                _note(
                    new,
                    Kind.ORGANIZATION,
                    f"planned as a new organization, {old} {fate}: if it is {old} renamed, "
                    f"add previous_names: [{old}] to its file",
                )
            )
    for org, keys in sorted((removed_blocks or {}).items()):
        for key in keys:
            if key in UNMANAGED_WHEN_REMOVED:
                stays, instead = UNMANAGED_WHEN_REMOVED[key]
                text = f"{key} removed: now unmanaged, {stays}; to remove them, write {instead}"
                notes.append(_note(org, Kind.ORGANIZATION, text))
    return tuple(notes)


def _whole(row: Row, action: Action) -> bool:
    return row.kind is Kind.ORGANIZATION and row.action is action


def _note(org: str, kind: Kind, text: str) -> Row:
    return Row(org, Action.KEEP, kind, org, note=text)
