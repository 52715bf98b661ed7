"""Writing small tenant directories for tests."""

from pathlib import Path


def write_tenant(directory: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path -> text) under `directory`, with a minimal tenant.yaml and
    sandbox.yaml (an empty world)."""
    minimal = {"tenant.yaml": "domain: sandbox\n", "sandbox.yaml": "{}\n"}
    for relative, text in {**minimal, **files}.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory
