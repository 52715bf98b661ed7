"""`reconciler schema`: JSON Schemas from the models, and a check that they are current."""

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from reconciler.cli import main
from reconciler.config import schemas
from reconciler.model import Organization

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "schemas"


def _copy_committed(tmp_path: Path) -> Path:
    copy = tmp_path / "schemas"
    shutil.copytree(COMMITTED, copy)
    return copy


def test_check_passes_on_the_committed_schemas() -> None:
    result = CliRunner().invoke(main, ["schema", "--check", "--dir", str(COMMITTED)])
    assert (result.exit_code, result.stderr) == (0, "")


def test_check_fails_naming_the_schema_of_a_changed_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class ColouredOrganization(Organization):
        colour: str | None = None

    changed = dict(schemas.SCHEMAS)
    changed["organization.schema.json"] = (ColouredOrganization, "organization")
    monkeypatch.setattr(schemas, "SCHEMAS", changed)
    directory = _copy_committed(tmp_path)
    result = CliRunner().invoke(main, ["schema", "--check", "--dir", str(directory)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{directory / 'organization.schema.json'}: out of date: run `reconciler schema`\n"
    )


def test_check_fails_on_an_edited_or_missing_file(tmp_path: Path) -> None:
    directory = _copy_committed(tmp_path)
    tenant = directory / "tenant.schema.json"
    tenant.write_text(tenant.read_text().replace('"domain"', '"domian"'))
    (directory / "roles.schema.json").unlink()
    result = CliRunner().invoke(main, ["schema", "--check", "--dir", str(directory)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tenant}: out of date: run `reconciler schema`",
        f"{directory / 'roles.schema.json'}: missing: run `reconciler schema`",
    ]


def test_schema_writes_stable_files_with_dialect_and_title(tmp_path: Path) -> None:
    directory = tmp_path / "out"
    first = CliRunner().invoke(main, ["schema", "--dir", str(directory)])
    assert first.exit_code == 0
    assert len(first.stdout.splitlines()) == 7
    second = CliRunner().invoke(main, ["schema", "--dir", str(directory)])
    assert second.stdout == ""
    for path in directory.iterdir():
        text = path.read_text(encoding="utf-8")
        document = json.loads(text)
        assert text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        assert list(document)[:2] == ["$schema", "title"]
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(
    ("schema", "pattern"),
    [
        ("tenant.schema.json", "tenant.yaml"),
        ("roles.schema.json", "roles.yaml"),
        ("applications.schema.json", "applications.yaml"),
        ("organization.schema.json", "organizations/*.yaml"),
        ("sandbox.schema.json", "sandbox.yaml"),
    ],
)
def test_the_example_files_conform_to_the_committed_schemas(schema: str, pattern: str) -> None:
    validator = jsonschema.Draft202012Validator(json.loads((COMMITTED / schema).read_text()))
    files = sorted((REPO / "tenants" / "example").glob(pattern))
    assert files
    for path in files:
        validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_the_example_files_point_editors_at_the_schemas() -> None:
    for path in (REPO / "tenants" / "example").rglob("*.yaml"):
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        target = first_line.removeprefix("# yaml-language-server: $schema=")
        assert (path.parent / target).resolve().is_file(), path
