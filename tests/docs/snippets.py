"""The commands a Markdown page shows, read as steps to run, and the rule that compares their
output with what the page shows.

A fenced block marked `console` is a session: `$ ` starts a command (a line ending in `\\`
continues it), the lines up to the next command are the output the page shows for it.
A block marked `sh` holds commands only, one a line. A command ending in `# exits N` is
expected to exit with N, any other with 0. `<!-- not run: REASON -->` on the line before a
block leaves it out, with its reason; `<!-- file: PATH -->` before any other block writes the
block's text to PATH, relative to the page's working directory, when the steps reach it.

Output is compared line by line, blank lines left out of both: a line `…` stands for any
lines (none included), and `…` inside a line for any text within it. A command shown without
output is checked by its exit code only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RUN = ("console", "sh")
ELISION = "…"
_FENCE = re.compile(r"^```([\w-]*)\s*$")
_NOT_RUN = re.compile(r"^<!-- not run: (.+) -->$")
_FILE = re.compile(r"^<!-- file: (\S+) -->$")
_EXITS = re.compile(r"#\s*exits (\d+)\b")
_SHOWN_COMMAND = re.compile(r"^\$ (reconciler|make)\b", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    """A fenced block of a page: its info string, its text, the line it starts at and the
    mark on the line before it."""

    page: str
    line: int
    info: str
    text: str
    not_run: str | None
    file: str | None


@dataclass(frozen=True)
class Command:
    """A command to run in the page's directory, and what the page shows of its result."""

    where: str
    shell: str
    shown: tuple[str, ...] | None
    exit_code: int


@dataclass(frozen=True)
class WriteFile:
    """A file the page tells the reader to write."""

    where: str
    path: str
    text: str


Step = Command | WriteFile


def blocks(text: str, page: str) -> list[Block]:
    """The fenced blocks of a Markdown page, in order."""
    found = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        start = index
        index += 1
        body = []
        while index < len(lines) and lines[index].rstrip() != "```":
            body.append(lines[index])
            index += 1
        before = lines[start - 1].strip() if start else ""
        not_run, file = _NOT_RUN.match(before), _FILE.match(before)
        found.append(
            Block(
                page=page,
                line=start + 1,
                info=opening.group(1),
                text="\n".join(body) + "\n",
                not_run=not_run.group(1) if not_run else None,
                file=file.group(1) if file else None,
            )
        )
        index += 1
    return found


def _commands(block: Block) -> Iterator[Command]:
    """The commands of a `console` or `sh` block."""
    lines = block.text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        where = f"{block.page}:{block.line + 1 + index}"
        if block.info == "console" and not line.startswith("$ "):
            raise ValueError(f"{where}: output before any command in a console block")
        if block.info == "sh" and (not line.strip() or line.lstrip().startswith("#")):
            index += 1
            continue
        command = [line.removeprefix("$ ") if block.info == "console" else line]
        while command[-1].endswith("\\") and index + 1 < len(lines):
            index += 1
            command.append(lines[index])
        index += 1
        shown: list[str] | None = None
        if block.info == "console":
            shown = []
            while index < len(lines) and not lines[index].startswith("$ "):
                shown.append(lines[index])
                index += 1
        shell = "\n".join(command)
        exits = _EXITS.search(shell)
        yield Command(
            where=where,
            shell=shell,
            shown=tuple(shown) if shown else None,
            exit_code=int(exits.group(1)) if exits else 0,
        )


def steps(page_blocks: list[Block]) -> list[Step]:
    """What a page tells the reader to do, in order: files to write, commands to run."""
    found: list[Step] = []
    for block in page_blocks:
        if block.not_run is not None:
            continue
        if block.info in RUN:
            found.extend(_commands(block))
        elif block.file is not None:
            found.append(WriteFile(f"{block.page}:{block.line}", block.file, block.text))
    return found


def hidden_commands(page_blocks: list[Block]) -> list[str]:
    """Where a block that is not run shows a `$ reconciler` or `$ make` line."""
    return [
        f"{block.page}:{block.line}"
        for block in page_blocks
        if block.info not in RUN and _SHOWN_COMMAND.search(block.text)
    ]


def _line_matches(shown: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in shown.split(ELISION))
    return re.fullmatch(pattern, actual) is not None


def matches(shown: tuple[str, ...], output: str) -> bool:
    """Whether the output is what the page shows, blank lines aside (see the module)."""
    want = [line.rstrip() for line in shown if line.strip()]
    have = [line.rstrip() for line in output.splitlines() if line.strip()]

    @cache
    def rest(i: int, j: int) -> bool:
        if i == len(want):
            return j == len(have)
        if want[i] == ELISION:
            return any(rest(i + 1, k) for k in range(j, len(have) + 1))
        return j < len(have) and _line_matches(want[i], have[j]) and rest(i + 1, j + 1)

    return rest(0, 0)


def documents(root: Path) -> list[Path]:
    """The pages whose commands are run: the README and every page of docs/."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]
