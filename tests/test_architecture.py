"""Imports point one way, only the application core runs a plan's operations, and modules
stay small."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "reconciler"


def imports(path: Path) -> set[str]:
    """The modules a file imports, relative imports made absolute."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            name = node.module or ""
            found.add(f"{base}.{name}".strip(".") if node.level else name)
    return found


def ours(path: Path) -> set[str]:
    return {name for name in imports(path) if name.startswith("reconciler")}


def layer(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else name


ALLOWED = {
    "reconciler.model": {"reconciler.model"},
    "reconciler.engine": {
        "reconciler.engine",
        "reconciler.model",
        "reconciler.routing",
        "reconciler.collection",
        "reconciler.safe_text",
    },
    "reconciler.routing": {"reconciler.routing", "reconciler.model"},
    "reconciler.sandbox": {"reconciler.sandbox"},
    "reconciler.resources": {
        "reconciler.resources",
        "reconciler.engine",
        "reconciler.model",
        "reconciler.routing",
        "reconciler.collection",
        "reconciler.progress",
        "reconciler.safe_text",
    },
    "reconciler.render": {
        "reconciler.render",
        "reconciler.engine",
        "reconciler.model",
        "reconciler.safe_text",
    },
    "reconciler.auth0": {
        "reconciler.auth0",
        "reconciler.resources",
        "reconciler.engine",
        "reconciler.model",
        "reconciler.clock",
        "reconciler.progress",
        "reconciler.safe_text",
    },
    "reconciler.config": {
        "reconciler.config",
        "reconciler.model",
        "reconciler.sandbox",
        "reconciler.collection",
        "reconciler.safe_text",
    },
    "reconciler.core": {
        "reconciler.core",
        "reconciler.config",
        "reconciler.auth0",
        "reconciler.resources",
        "reconciler.engine",
        "reconciler.model",
        "reconciler.sandbox",
        "reconciler.clock",
        "reconciler.progress",
        "reconciler.safe_text",
    },
    "reconciler.drift": {
        "reconciler.drift",
        "reconciler.core",
        "reconciler.auth0",
        "reconciler.resources",
        "reconciler.engine",
        "reconciler.model",
    },
    "reconciler.cli": {
        "reconciler",
        "reconciler.cli",
        "reconciler.core",
        "reconciler.drift",
        "reconciler.config",
        "reconciler.render",
        "reconciler.auth0",
        "reconciler.resources",
        "reconciler.engine",
        "reconciler.routing",
        "reconciler.model",
        "reconciler.sandbox",
        "reconciler.progress",
        "reconciler.safe_text",
    },
}
LAYERS_DOC = ROOT / "docs" / "development.md"
LAYERS_INTRO = "Imports point one way; each package imports only these of the reconciler:"


def layer_lines() -> list[str]:
    """docs/development.md's list of what each package may import, made from `ALLOWED`."""
    lines = []
    for package, allowed in ALLOWED.items():
        others = sorted(name.removeprefix("reconciler.") for name in allowed - {package})
        uses = ", ".join(f"`{name}`" for name in others) or "nothing"
        lines.append(f"- `{package.removeprefix('reconciler.')}`: {uses}")
    return lines


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_its_layer_may(package):
    folder = ROOT / Path(*package.split("."))
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in folder.rglob("*.py")
        for name in ours(path)
        if layer(name) not in ALLOWED[package]
    }
    assert sorted(wrong) == []


def test_every_package_has_a_rule():
    packages = {f"reconciler.{p.name}" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(ALLOWED)


def test_the_development_doc_lists_exactly_these_rules():
    text = LAYERS_DOC.read_text(encoding="utf-8")
    assert LAYERS_INTRO in text
    listed = text.split(LAYERS_INTRO, 1)[1].strip().split("\n\n", 1)[0].splitlines()
    assert listed == layer_lines()


def test_only_the_application_core_runs_operations():
    users = {
        str(path.relative_to(ROOT))
        for folder in ("reconciler", "bench", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if "reconciler.auth0.executor" in imports(path)
    }
    assert users == {"reconciler/core/service.py", "tests/unit/test_executor.py"}


MAX_LINES = 400


def test_no_module_outside_the_sandbox_is_over_400_lines():
    long = {
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in PACKAGE.rglob("*.py")
        if PACKAGE / "sandbox" not in path.parents
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert sorted(long) == []
