"""Markdown for pull-request comments and drift issues: a summary table with a line per
organization, then the changed rows of each in a collapsible section, within GitHub's
comment limit."""

import html
import re
from dataclasses import dataclass

from reconciler.engine.plan import Action, Row
from reconciler.render.view import (
    PlanView,
    Section,
    counts,
    field_line,
    row_title,
    sections,
    summary_line,
)
from reconciler.safe_text import inert

COMMENT_LIMIT = 65_536
"""The most characters GitHub takes in a comment or an issue body."""
_NOTE_ROOM = 400


@dataclass(frozen=True)
class Block:
    """One organization (or the tenant roles): its line in the table and its details."""

    row: str
    details: str


def render_markdown(
    view: PlanView, *, verbose: bool = False, limit: int | None = COMMENT_LIMIT
) -> str:
    """The plan as a comment: a table of what changes per organization, the changed rows in
    a collapsible section each (`=` rows too when `verbose`), at most `limit` characters."""
    read = f", {view.read}" if view.read is not None else ""
    head = [
        f"### Auth0 plan for {code(view.tenant)}",
        "",
        f"**{summary_line(view.plan, view.limits)}** (target {code(view.target)}{read})",
        "",
    ]
    if view.approved:
        names = ", ".join(code(n) for n in view.approved)
        head += ["> [!NOTE]", f"> Deletions approved in `policy.approved_deletions`: {names}", ""]
    if view.waiting:
        names = ", ".join(code(n) for n in view.waiting)
        head += [
            "> [!WARNING]",
            f"> Deletions waiting for approval: {names}. Apply leaves them out, applies the "
            "rest and fails. To approve, list them under `policy.approved_deletions` in "
            "`tenant.yaml` in this pull request.",
            "",
        ]
    if view.refusals:
        head += ["> [!WARNING]", "> Apply would refuse this plan:"]
        head += [f"> - {text(refusal)}" for refusal in view.refusals]
        head.append("")
    calls: dict[str | None, int] = {}
    for op in view.plan.operations:
        calls[op.org] = calls.get(op.org, 0) + 1
    blocks = []
    for section in sections(view.plan):
        rows = tuple(r for r in section.rows if verbose or r.action is not Action.KEEP)
        if not rows:
            continue
        create, change, delete = counts(rows)
        blocks.append(
            Block(
                f"| {_label(section)} | {create} | {change} | {delete} | "
                f"{calls.get(section.org, 0)} |",
                details(section.title, _diff_lines(view, rows)),
            )
        )
    tail = []
    if view.plan.unmanaged_organizations:
        names = ", ".join(code(n) for n in view.plan.unmanaged_organizations)
        tail = [f"Unmanaged organizations (in Auth0, in no file): {names}", ""]
    columns = ["| | create | change | delete | API calls |", "|:--|--:|--:|--:|--:|"]
    return compose(head, columns, blocks, tail, limit, "plan")


def compose(
    head: list[str],
    columns: list[str],
    blocks: list[Block],
    tail: list[str],
    limit: int | None,
    what: str,
) -> str:
    """`head`, a table of the blocks' rows, their details, `tail`. Beyond `limit` characters
    details and then table rows are left out from the end, and a note says so."""
    shown_rows = shown_details = len(blocks)
    if limit:
        budget = limit - _size(head) - _size(tail) - _size(columns) - _NOTE_ROOM
        shown_rows = _fitting([b.row for b in blocks], budget)
        budget -= sum(len(b.row) + 1 for b in blocks[:shown_rows])
        shown_details = _fitting([b.details for b in blocks[:shown_rows]], budget)
    lines = list(head)
    if blocks:
        lines += [*columns, *(b.row for b in blocks[:shown_rows])]
        if shown_rows < len(blocks):
            empty = " |" * (columns[0].count("|") - 2)
            lines.append(f"| … {len(blocks) - shown_rows} more |{empty}")
        lines.append("")
    lines += [b.details for b in blocks[:shown_details]]
    if shown_details < len(blocks):
        lines += [
            f"**Truncated** to fit {limit:,} characters: the rows of {len(blocks) - shown_details}"
            f" of {len(blocks)} sections are not shown. Render the whole {what} with "
            "`--max-chars 0`; in CI it is in the job summary.",
            "",
        ]
    lines += tail
    return "\n".join(lines)


def _fitting(parts: list[str], budget: int) -> int:
    """How many of `parts`, from the first, fit in `budget` characters (one line each)."""
    used = 0
    for index, part in enumerate(parts):
        used += len(part) + 1
        if used > budget:
            return index
    return len(parts)


def _size(lines: list[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def _label(section: Section) -> str:
    return "Tenant roles" if section.org is None else code(section.org)


def _diff_lines(view: PlanView, rows: tuple[Row, ...]) -> list[str]:
    lines = []
    for row in rows:
        lines.append(row_title(row) + view.origin(row))
        lines.extend(
            f"{row.action.symbol}     {field_line(row, c)}{view.origin(row, c)}" for c in row.fields
        )
    return lines


def details(title: str, lines: list[str]) -> str:
    """A collapsible section holding a `diff` block. The fence is longer than any run of
    backticks in the lines, so no value can close it (and open HTML after it)."""
    body = "\n".join(lines)
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    fence = "`" * max(3, longest + 1)
    return (
        f"<details><summary>{text(title)}</summary>\n\n{fence}diff\n{body}\n{fence}\n\n</details>\n"
    )


def code(value: str) -> str:
    """A name as inline code that nothing in it can break out of (a table cell included)."""
    return f"<code>{text(value)}</code>"


def text(value: str) -> str:
    """User-controlled text inert in Markdown and HTML: control and bidi characters escaped,
    HTML special characters and the characters that make Markdown syntax turned into
    entities."""
    escaped = html.escape(inert(value), quote=True)
    return "".join(_MARKDOWN.get(c, c) for c in escaped)


_BACKTICKS = re.compile(r"`+")
_MARKDOWN = {c: f"&#{ord(c)};" for c in "\\`*_[]|#!~"}
