"""Every command README.md and docs/ show is run, page by page, in a copy of this repository's
tenants on the embedded sandbox, and its exit code and shown output are checked, so the pages
cannot drift from what the reconciler does (the rules are in tests/docs/snippets.py)."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconciler.cli import main
from tests.docs.snippets import (
    Block,
    Command,
    WriteFile,
    blocks,
    documents,
    hidden_commands,
    matches,
    steps,
)

ROOT = Path(__file__).resolve().parents[2]
PAGES = {str(path.relative_to(ROOT)): path for path in documents(ROOT)}
BIN = Path(sys.executable).parent

# The blocks left out, per page, each with a `<!-- not run: reason -->`: a new one must be
# counted here, so commands cannot quietly stop being run.
NOT_RUN = {
    "README.md": 1,
    "docs/ci-setup.md": 1,
    "docs/getting-started.md": 1,
    "docs/sandbox.md": 3,
}

_SHELL_ONLY = re.compile(r"[$`*?~\\]")


def page_blocks(page: str) -> list[Block]:
    return blocks(PAGES[page].read_text(encoding="utf-8"), page)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's tenants with its Makefile, whose `.venv` is this
    environment (marked installed, so make installs nothing); the current directory."""
    work = tmp_path / "repo"
    work.mkdir()
    for name in ("tenants", "schemas"):
        shutil.copytree(ROOT / name, work / name)
    shutil.copy(ROOT / "Makefile", work / "Makefile")
    shutil.copy(ROOT / "pyproject.toml", work / "pyproject.toml")
    os.utime(work / "pyproject.toml", (0, 0))
    (work / ".venv").mkdir()
    (work / ".venv" / "bin").symlink_to(BIN, target_is_directory=True)
    for marker in (".installed", ".installed-dev"):
        (work / ".venv" / marker).touch()
    (tmp_path / "run").mkdir(mode=0o700)
    for name in list(os.environ):
        if name.startswith(("AUTH0_", "ORG_ROUTING_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("TENANT", raising=False)
    # Under `make test` the pages' own `make` runs would be sub-makes, which print the
    # directories they enter; a reader's shell has no outer make.
    for name in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(work)
    return work


def in_process(shell: str) -> list[str] | None:
    """The arguments of a plain `reconciler ...` command, which runs in this process;
    None for anything that needs a shell (pipes, `&&`, variables, make, sed...)."""
    lexer = shlex.shlex(shell, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words = list(lexer)
    if not words or words[0] != "reconciler" or _SHELL_ONLY.search(shell.partition("#")[0]):
        return None
    if any(set(word) <= set("();<>|&") for word in words):
        return None
    return words[1:]


def run(command: Command, cwd: Path, exported: dict[str, str]) -> tuple[int, str]:
    """Run one command: its exit code and its output, stdout and stderr as a terminal
    shows them."""
    argv = in_process(command.shell)
    if argv is not None:
        result = CliRunner().invoke(
            main, argv, env=exported, prog_name="reconciler", catch_exceptions=False
        )
        return result.exit_code, result.output
    env = {**os.environ, **exported, "PYTHONUNBUFFERED": "1"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "-c", command.shell],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout


def exports(shell: str) -> dict[str, str] | None:
    """The variables of an `export A=1 B=2` line, which later commands of the page see."""
    words = shlex.split(shell, comments=True)
    if not words or words[0] != "export":
        return None
    return dict(word.split("=", 1) for word in words[1:])


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_command_of_the_page_runs_as_shown(page: str, workdir: Path) -> None:
    exported: dict[str, str] = {}
    for step in steps(page_blocks(page)):
        if isinstance(step, WriteFile):
            target = workdir / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.text, encoding="utf-8")
            continue
        variables = exports(step.shell)
        if variables is not None:
            exported.update(variables)
            continue
        code, output = run(step, workdir, exported)
        assert code == step.exit_code, f"{step.where}: `{step.shell}` exited {code}:\n{output}"
        if step.shown is not None:
            assert matches(step.shown, output), (
                f"{step.where}: `{step.shell}` printed\n{output}\nwhere the page shows\n"
                + "\n".join(step.shown)
            )


def test_blocks_left_out_are_marked_and_counted() -> None:
    counted = {}
    for page in PAGES:
        left_out = [block for block in page_blocks(page) if block.not_run is not None]
        if left_out:
            counted[page] = len(left_out)
    assert counted == NOT_RUN


def test_no_command_is_shown_outside_a_block_that_runs() -> None:
    hidden = [where for page in PAGES for where in hidden_commands(page_blocks(page))]
    assert hidden == []


def test_the_pages_show_commands_that_run() -> None:
    runs = {page: steps(page_blocks(page)) for page in PAGES}
    commands = [s for found in runs.values() for s in found if isinstance(s, Command)]
    assert sum(1 for c in commands if c.shell.startswith("make ")) >= 5
    assert sum(1 for c in commands if c.shown is not None) >= 20
    for page in ("README.md", "docs/getting-started.md", "docs/onboarding.md"):
        assert any(isinstance(s, Command) for s in runs[page]), page
