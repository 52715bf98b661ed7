"""Terminal text: `+ ~ - =` rows grouped by organization, coloured when asked; the changes
and the notes, and with `verbose` every `=` row too."""

from reconciler.engine.plan import Action
from reconciler.render.view import (
    PlanView,
    breakdown_line,
    deletion_lines,
    field_parts,
    row_title,
    shown_sections,
    summary_line,
    text_field,
)
from reconciler.safe_text import inert

_COLOURS = {
    Action.CREATE: "\x1b[32m",
    Action.UPDATE: "\x1b[33m",
    Action.DELETE: "\x1b[31m",
    Action.KEEP: "\x1b[2m",
}
_RESET = "\x1b[0m"


def render_text(view: PlanView, *, colour: bool = False, verbose: bool = False) -> str:
    """The plan as terminal text, ending with what it changes by kind and the summary line;
    the changes and the notes, and with `verbose` every `=` row too."""
    read = f": {view.read}" if view.read is not None else ""
    lines = [f"Tenant {inert(view.tenant)} ({inert(view.target)}){read}.", ""]
    for section in shown_sections(view, verbose=verbose):
        lines.append(section.title)
        for row in section.rows:
            title = row_title(row) + view.origin(row)
            if colour:
                title = f"{_COLOURS[row.action]}{title}{_RESET}"
            lines.append(f"  {title}")
            lines.extend(
                f"      {text_field(part)}{view.origin(row, change)}"
                for change in row.fields
                for part in field_parts(row, change)
            )
        lines.append("")
    if view.plan.unmanaged_organizations:
        names = ", ".join(inert(n) for n in view.plan.unmanaged_organizations)
        lines.extend([f"Unmanaged organizations (in Auth0, in no file): {names}", ""])
    deletions = deletion_lines(view)
    if deletions:
        lines.extend([*deletions, ""])
    if view.refusals:
        lines.append("Warning: apply would refuse this plan:")
        lines.extend(f"  ! {inert(refusal)}" for refusal in view.refusals)
        lines.append("")
    breakdown = breakdown_line(view.plan)
    if breakdown:
        lines.append(f"By kind: {breakdown}.")
    lines.append(summary_line(view.plan, view.limits))
    return "\n".join(lines) + "\n"
