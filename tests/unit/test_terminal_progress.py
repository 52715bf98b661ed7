"""Progress without a terminal: a line at most every few seconds, problems at once."""

import pytest

from reconciler.cli import terminal
from reconciler.progress import ProgressEvent


def test_without_a_terminal_progress_is_a_line_every_few_seconds(monkeypatch, capsys):
    now = [100.0]
    monkeypatch.setattr(terminal.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(terminal.sys.stderr, "isatty", lambda: False, raising=False)
    progress = terminal.TerminalProgress()
    for done in range(1, 11):
        now[0] += 1.0
        progress(ProgressEvent("reading organizations", done, 10))
    progress(ProgressEvent("applying", 3, 9, problem="acme: POST /x: failed: 400 bad"))
    assert capsys.readouterr().err.splitlines() == [
        "reading organizations 5/10, 4 s, about 4 s left",
        "reading organizations 10/10, 9 s",
        "acme: POST /x: failed: 400 bad",
    ]


@pytest.mark.parametrize("seconds", [0.5, 4.9])
def test_short_work_shows_no_progress(monkeypatch, capsys, seconds):
    now = [100.0]
    monkeypatch.setattr(terminal.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(terminal.sys.stderr, "isatty", lambda: False, raising=False)
    progress = terminal.TerminalProgress()
    now[0] += seconds
    progress(ProgressEvent("reading organizations", 1, 1))
    assert capsys.readouterr().err == ""


def test_on_a_terminal_the_line_is_redrawn_with_the_time_so_far_and_left(monkeypatch, capsys):
    now = [100.0]
    monkeypatch.setattr(terminal.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(terminal.sys.stderr, "isatty", lambda: True, raising=False)
    progress = terminal.TerminalProgress()
    progress(ProgressEvent("looking up users", 0, 900))
    now[0] += 6.0
    progress(ProgressEvent("looking up users", 300, 900))
    progress.clear()
    assert capsys.readouterr().err == (
        "\rlooking up users 300/900, 6 s, about 12 s left\x1b[K" + "\r\x1b[K"
    )


def test_each_phase_counts_its_own_time(monkeypatch, capsys):
    now = [100.0]
    monkeypatch.setattr(terminal.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(terminal.sys.stderr, "isatty", lambda: False, raising=False)
    progress = terminal.TerminalProgress()
    now[0] += 6.0
    progress(ProgressEvent("reading organizations", 10, 10))
    now[0] += 6.0
    progress(ProgressEvent("applying", 1, 4))
    assert capsys.readouterr().err.splitlines() == [
        "reading organizations 10/10, 0 s",
        "applying 1/4, 0 s",
    ]
