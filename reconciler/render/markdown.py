"""Markdown for pull-request comments and drift issues."""

from reconciler.render.view import PlanView, field_line, row_title, sections, summary_line


def render_markdown(view: PlanView) -> str:
    """The plan as a Markdown comment: a summary, then a diff block per section."""
    lines = [
        f"### Auth0 plan for `{view.tenant}`",
        "",
        f"**{summary_line(view.plan)}** (target `{view.target}`, "
        f"live state read in {view.read_calls} API calls)",
        "",
    ]
    for section in sections(view.plan):
        lines.extend([f"#### {section.title}", "", "```diff"])
        for row in section.rows:
            lines.append(row_title(row))
            lines.extend(f"{row.action.symbol}     {field_line(row, c)}" for c in row.fields)
        lines.extend(["```", ""])
    if view.plan.unmanaged_organizations:
        names = ", ".join(f"`{n}`" for n in view.plan.unmanaged_organizations)
        lines.extend([f"Unmanaged organizations (in Auth0, in no file): {names}", ""])
    return "\n".join(lines)
