"""Markdown for pull-request comments and drift issues: the headline, the notes, a summary
table with a line per organization, then the changed rows of each in a `diff` block that
GitHub colours, in a section open for a small plan and collapsed for a large one, within
GitHub's comment limit."""

import html
import re
from dataclasses import dataclass

from reconciler.engine.kinds import Kind
from reconciler.engine.plan import Action, Row
from reconciler.render.counts import label
from reconciler.render.view import (
    PlanView,
    Section,
    breakdown_line,
    counts,
    field_parts,
    is_note,
    row_title,
    shown_sections,
    summary_line,
    text_field,
)
from reconciler.safe_text import inert

COMMENT_LIMIT = 65_536
"""The most characters GitHub takes in a comment or an issue body."""
EXPANDED_LINES = 60
"""A comment whose sections hold at most this many lines of rows shows every section open;
a longer one collapses them all (the table above them says what each holds)."""
_NOTE_ROOM = 400
_MARKERS = {Action.CREATE: "+", Action.UPDATE: "!", Action.DELETE: "-", Action.KEEP: "="}
"""The first character of a row's line in a `diff` block: GitHub colours `+` green, `-` red
and `!` orange, and leaves other lines plain."""


@dataclass(frozen=True)
class Block:
    """One organization (or group of tenant-wide objects): its line in the table and its
    details."""

    row: str
    details: str


def render_markdown(
    view: PlanView, *, verbose: bool = False, limit: int | None = COMMENT_LIMIT
) -> str:
    """The plan as a comment: the headline and what it counts by kind, the notes, a table of
    what changes per organization, then the changed rows of each in a section (`=` rows too
    when `verbose`), open up to EXPANDED_LINES lines, at most `limit` characters."""
    read = f", {view.read}" if view.read is not None else ""
    head = [
        f"### Auth0 plan for {code(view.tenant)}",
        "",
        f"**{summary_line(view.plan, view.limits)}** (target {code(view.target)}{read})",
        "",
    ]
    breakdown = breakdown_line(view.plan)
    if breakdown:
        head += [f"By kind: {text(breakdown)}.", ""]
    head += _callouts(view)
    calls: dict[str | None, int] = {}
    for op in view.plan.operations:
        calls[op.org] = calls.get(op.org, 0) + 1
    shown = [
        Section(s.org, s.title, tuple(r for r in s.rows if not is_note(r, view.notes)))
        for s in shown_sections(view, verbose=verbose)
    ]
    bodies = [(section, _diff_lines(view, section.rows)) for section in shown if section.rows]
    expanded = sum(len(lines) for _, lines in bodies) <= EXPANDED_LINES
    blocks = []
    for section, lines in bodies:
        create, change, delete = counts(section.rows)
        spent = calls.get(section.org, 0) if section.org is not None else _calls(view, section)
        blocks.append(
            Block(
                f"| {_label(section)} | {create} | {change} | {delete} | {spent} |",
                details(section.title, lines, expanded=expanded),
            )
        )
    tail = []
    if view.plan.unmanaged_organizations:
        names = ", ".join(code(n) for n in view.plan.unmanaged_organizations)
        tail = [f"Unmanaged organizations (in Auth0, in no file): {names}", ""]
    columns = ["| | add | change | destroy | API calls |", "|:--|--:|--:|--:|--:|"]
    return compose(head, columns, blocks, tail, limit, "plan")


def _callouts(view: PlanView) -> list[str]:
    """The notes (what intentionally does not change), the deletions approved and waiting,
    and what apply would refuse, as GitHub alerts."""
    lines = []
    notes = [
        row
        for section in shown_sections(view, verbose=False)
        for row in section.rows
        if is_note(row, view.notes)
    ]
    if notes:
        lines += ["> [!NOTE]", "> Kept as they are (nothing changes):"]
        lines += [f"> - {_note(row)}" for row in notes]
        lines.append("")
    if view.approved:
        names = ", ".join(code(n) for n in view.approved)
        lines += ["> [!NOTE]", f"> Deletions approved in `policy.approved_deletions`: {names}", ""]
    if view.waiting:
        names = ", ".join(code(n) for n in view.waiting)
        lines += [
            "> [!WARNING]",
            f"> Deletions waiting for approval: {names}. Apply leaves them out, applies the "
            "rest and fails. To approve, list them under `policy.approved_deletions` in "
            "`tenant.yaml` in this pull request.",
            "",
        ]
    if view.refusals:
        lines += ["> [!WARNING]", "> Apply would refuse this plan:"]
        lines += [f"> - {text(refusal)}" for refusal in view.refusals]
        lines.append("")
    return lines


def _note(row: Row) -> str:
    inside = row.org is not None and row.kind is not Kind.ORGANIZATION
    where = f" of {code(row.org or '')}" if inside else ""
    return f"{label(row.kind)} {code(row.name)}{where} ({text(row.note or '')})"


def _calls(view: PlanView, section: Section) -> int:
    """The API calls of a group of tenant-wide rows: those their rows name."""
    return len({key for row in section.rows for key in row.operations})


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
    return section.title if section.org is None else code(section.org)


def _diff_lines(view: PlanView, rows: tuple[Row, ...]) -> list[str]:
    """Each row's line, marked for GitHub's colours, then its fields: an element added or
    removed (or a value) one `+` or `-` line each, a changed value as `-` before, `+` after."""
    lines = []
    for row in rows:
        lines.append(_MARKERS[row.action] + row_title(row)[1:] + view.origin(row))
        for change in row.fields:
            origin = view.origin(row, change)
            for part in field_parts(row, change):
                if part.sign == "~":
                    lines.append(f"-     {part.name}: {part.before}")
                    lines.append(f"+     {part.name}: {part.after}{origin}")
                elif part.whole:
                    lines.append(f"{part.sign}     {text_field(part)}{origin}")
                else:  # an element added or removed
                    lines.append(f"{part.sign}     {part.name}: {part.text}{origin}")
    return lines


def details(title: str, lines: list[str], *, expanded: bool = False) -> str:
    """A collapsible section (open when `expanded`) holding a `diff` block. The fence is
    longer than any run of backticks in the lines, so no value can close it (and open HTML
    after it)."""
    body = "\n".join(lines)
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    fence = "`" * max(3, longest + 1)
    tag = "<details open>" if expanded else "<details>"
    return f"{tag}<summary>{text(title)}</summary>\n\n{fence}diff\n{body}\n{fence}\n\n</details>\n"


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
