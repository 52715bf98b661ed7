"""A copy of the example tenant in a temporary directory, and a way to run commands on it."""

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.sandbox import Sandbox

EXAMPLE = Path(__file__).resolve().parents[2] / "tenants" / "example"
Run = Callable[..., Result]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory holding tenants/example; the current directory during the test.
    Apply locks go to a folder of the test (as for another user session)."""
    shutil.copytree(EXAMPLE, tmp_path / "tenants" / "example")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AUTH0_TOKEN", raising=False)
    monkeypatch.delenv("AUTH0_DOMAIN", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    return tmp_path


@pytest.fixture
def run(project: Path) -> Run:
    """Run `reconciler ARGS...` and return click's result (stdout and stderr apart)."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def embedded_sandbox(project: Path) -> Sandbox:
    """The example tenant's embedded sandbox as the commands left it."""
    tenant = project / "tenants" / "example"
    return Sandbox.from_world_file(
        tenant / "sandbox.yaml", state_file=project / ".sandbox" / "example.json"
    )


def edit(project: Path, relative: str, old: str, new: str) -> None:
    """Replace `old` (which must be there) with `new` in a file of the project."""
    path = project / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def start(project: Path, *args: str) -> subprocess.Popen[str]:
    """`reconciler ARGS...` in its own process, in `project`, without AUTH0_TOKEN."""
    env = {k: v for k, v in os.environ.items() if k != "AUTH0_TOKEN"}
    return subprocess.Popen(
        [sys.executable, "-m", "reconciler", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
