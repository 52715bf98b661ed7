"""The wheel as a user installs it: built from the sources, installed into a fresh virtualenv,
then `reconciler init`, `validate`, `plan` and `apply` on the embedded sandbox in a directory
outside the checkout. The runtime dependencies are taken from this checkout's environment (a
path file), so the test needs no package index beyond what building the wheel takes."""

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from reconciler.config.schemas import render_schemas

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "reconciler", "schemas", ".github")


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the sources (the checkout is left as it is)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(path, source / name, symlinks=True, ignore=ignore)
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(path, source / name)
    built = run(
        sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", base, source, cwd=base
    )
    assert built.returncode == 0, built.stderr
    (found,) = base.glob("auth0_org_reconciler-*.whl")
    return found


def test_the_wheel_ships_the_schemas_and_the_skeleton_and_no_tests(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for schema, text in render_schemas().items():
            assert archive.read(f"reconciler/schemas/{schema}").decode() == text
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        requires = [
            line
            for line in archive.read(metadata).decode().splitlines()
            if line.startswith("Requires-Dist:")
        ]
    for name in ("tenant.yaml", "gitignore", "workflows/plan.yml", "workflows/apply.yml"):
        assert f"reconciler/config/skeleton/{name}" in names, name
    assert not any(name.startswith("tests/") for name in names)
    dev = [line for line in requires if "pytest" in line or "ruff" in line or "mypy" in line]
    assert dev and all('extra == "dev"' in line for line in dev)


def test_the_installed_wheel_inits_validates_plans_and_applies_outside_the_checkout(
    wheel: Path, tmp_path: Path
):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    installed = run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-deps",
        wheel,
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stderr
    site = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
        ).stdout.strip()
    )
    (site / "runtime-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    where = run(python, "-c", "import reconciler; print(reconciler.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(env_dir), where.stdout

    reconciler = env_dir / "bin" / "reconciler"
    work = tmp_path / "work"
    work.mkdir()
    assert not work.resolve().is_relative_to(ROOT)
    init = run(reconciler, "init", "config", cwd=work)
    assert init.returncode == 0, init.stderr
    config = work / "config"
    assert ".sandbox/\n.reconciler/\n" in (config / ".gitignore").read_text()
    assert sorted(p.name for p in (config / "schemas").iterdir()) == sorted(render_schemas())
    validated = run(reconciler, "validate", cwd=config)
    assert validated.stdout == "example: 1 organization, 1 role, 1 member: valid\n"
    planned = run(reconciler, "plan", "--detailed-exitcode", cwd=config)
    assert planned.returncode == 2, planned.stderr
    applied = run(reconciler, "apply", "-y", cwd=config)
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.splitlines()[-1] == "Verified: Auth0 matches the files."
    again = run(reconciler, "plan", "--detailed-exitcode", cwd=config)
    assert (again.returncode, again.stdout.splitlines()[-1]) == (0, "No changes.")
    assert (config / ".sandbox" / "example.json").is_file()


@pytest.mark.parametrize(("target", "dev"), [("plan", False), ("apply", False), ("pytest", True)])
def test_make_plan_installs_no_dev_tool_and_make_test_does(target: str, dev: bool, tmp_path: Path):
    fresh = tmp_path / ".venv"  # a fresh clone: no virtualenv yet
    dry = run("make", "-n", target, f"VENV={fresh}", cwd=ROOT)
    assert dry.returncode == 0, dry.stderr
    installs = [line for line in dry.stdout.splitlines() if "pip install" in line]
    assert any(line.endswith("pip install --quiet -e .") for line in installs), installs
    assert any("[dev]" in line for line in installs) is dev
