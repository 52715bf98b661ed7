"""What the commands show on the terminal: colour, questions and progress. Everything they
print goes through `echo`, which redacts every secret the process holds."""

import os
import sys
import time
from pathlib import Path

import click

from reconciler.config.layout import RECORDS_DIR, parsed_files_file
from reconciler.config.loader import TenantFiles, load_tenant_files
from reconciler.config.parse_cache import ParseCache
from reconciler.config.tenant_id import TenantId
from reconciler.progress import ProgressEvent
from reconciler.safe_text import inert, redact

SHOW_AFTER = 1.0
"""Seconds of work before progress is shown on a terminal."""
LOG_EVERY = 5.0
"""Without a terminal (CI), a progress line at most this often."""


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print `text` (on stderr with `err`), every secret the process holds redacted."""
    click.echo(redact(text), nl=nl, err=err)


def problem(prefix: str, message: str) -> None:
    """One `prefix: message` line on stderr, the message made inert (it may carry names,
    file names or what a server said)."""
    echo(f"{prefix}: {inert(message)}", err=True)


_colour_allowed = True


def allow_colour(allowed: bool) -> None:
    """`--no-color` says False; each run of the command line starts allowing it."""
    global _colour_allowed  # noqa: PLW0603 (one setting of the process, reset per command)
    _colour_allowed = allowed


def colour() -> bool:
    """Colour plan text on a terminal, unless NO_COLOR is set or --no-color given."""
    return _colour_allowed and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def interactive() -> bool:
    """True when someone can answer a question on standard input."""
    return sys.stdin.isatty()


class TerminalProgress:
    """Shows progress on stderr (never stdout, which carries plans): the stage, how far it
    is, the seconds it took so far and an estimate of those left; a line that rewrites
    itself on a terminal (after SHOW_AFTER seconds), a plain line every LOG_EVERY seconds
    in CI; problems (failed calls) at once, one line each."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()
        self.last_log = self.started
        self.shown = False
        self.stage = ""
        self.stage_started = self.started

    def __call__(self, event: ProgressEvent) -> None:
        if event.problem is not None:
            self.clear()
            echo(inert(event.problem), err=True)
        now = time.monotonic()
        if event.stage != self.stage:
            self.stage, self.stage_started = event.stage, now
        line = progress_line(event, now - self.stage_started)
        if self.tty:
            if now - self.started >= SHOW_AFTER:
                self.shown = True
                echo(f"\r{line}\x1b[K", nl=False, err=True)
        elif now - self.last_log >= LOG_EVERY:
            self.last_log = now
            echo(line, err=True)

    def clear(self) -> None:
        """Remove the rewriting line, if one is shown."""
        if self.shown:
            echo("\r\x1b[K", nl=False, err=True)
            self.shown = False


def progress_line(event: ProgressEvent, elapsed: float) -> str:
    """`looking up users 300/900, 5 s, about 10 s left`: the estimate (after a second) assumes
    the rest goes as fast as what is done."""
    line = f"{event.stage} {event.done}/{event.total}, {elapsed:.0f} s"
    if 0 < event.done < event.total and elapsed >= 1:
        left = elapsed / event.done * (event.total - event.done)
        line += f", about {left:.0f} s left"
    return line


def warn(message: str) -> None:
    """One `warning: ...` line on stderr."""
    problem("warning", message)


def load_files(tenant: Path) -> TenantFiles:
    """Load the tenant's files (those unchanged since the last command from its cache of
    parsed files), showing their warnings."""
    cache = ParseCache(parsed_files_file(RECORDS_DIR, TenantId.of_directory(tenant)))
    files = load_tenant_files(tenant, cache)
    for message in files.desired.warnings:
        warn(message)
    return files
