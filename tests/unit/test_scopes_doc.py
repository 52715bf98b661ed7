"""The scopes SECURITY.md and docs/scopes.md list are the endpoint table's, rendered afresh."""

from pathlib import Path

import pytest

from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.scopes_doc import (
    BEGIN,
    DOCS,
    END,
    calls_table,
    every_scope,
    main,
    scopes_table,
    with_table,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", DOCS)
def test_the_committed_scopes_table_is_current(name: str):
    text = (ROOT / name).read_text(encoding="utf-8")
    assert with_table(text, name) == text, (
        f"{name} is stale: run `python -m reconciler.engine.scopes_doc`"
    )


def test_every_scope_of_the_table_is_listed_once_with_its_command():
    table = scopes_table()
    for endpoint in ENDPOINTS:
        assert f"`{endpoint.scope}`" in table
    rows = {line.split(" | ")[0]: line for line in table.splitlines()[2:]}
    assert "`read:logs`" in rows["| `drift --incremental`, `--from-snapshot` (the reads, plus)"]
    assert "`delete:organizations` (only with `policy.prune_organizations`)" in table
    assert table.count("`update:roles`") == 1


def test_check_fails_on_a_stale_table_and_rewriting_fixes_it(tmp_path: Path, capsys):
    doc = tmp_path / "SECURITY.md"
    doc.write_text(f"intro\n{BEGIN}\n| job | scopes |\n{END}\nrest\n", encoding="utf-8")
    assert main(["--check", str(doc)]) == 1
    assert "the scopes table is stale" in capsys.readouterr().out
    assert main([str(doc)]) == 0
    assert main(["--check", str(doc)]) == 0
    assert doc.read_text(encoding="utf-8") == f"intro\n{BEGIN}\n{scopes_table()}\n{END}\nrest\n"


def test_a_document_without_the_markers_is_an_error():
    with pytest.raises(ValueError, match=r"docs/scopes\.md: no scopes table"):
        with_table("no table here", "docs/scopes.md")


def test_the_per_scope_table_names_each_scopes_calls_and_commands():
    rows = {line.split(" | ")[0]: line for line in calls_table().splitlines()[2:]}
    assert set(rows) == {f"| `{s}`" for s in every_scope()}
    assert "`POST /organizations`" in rows["| `create:organization_connections`"]
    assert "`drift --incremental`" in rows["| `read:logs`"]


def test_only_the_listed_documents_hold_a_scopes_table():
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "SECURITY.md"]
    holding = {str(p.relative_to(ROOT)) for p in documents if BEGIN in p.read_text("utf-8")}
    assert holding == set(DOCS)
