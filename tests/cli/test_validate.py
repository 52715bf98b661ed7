"""`reconciler validate`: a one-line summary, or every error on stderr and exit 1."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconciler import __version__
from reconciler.cli import main
from reconciler.config import parse_cache

REPO = Path(__file__).resolve().parents[2]
EMPTY_WORLD = {"sandbox.yaml": "{}\n"}


def _write(directory: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_example_tenant_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["validate", "--tenant", "example"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "example: 2 organizations, 2 roles, 6 members: valid\n"


def test_the_only_tenant_is_used_when_none_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "tenants" / "only", {"tenant.yaml": "domain: sandbox\n", **EMPTY_WORLD})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.stdout == "only: 0 organizations, 0 roles, 0 members: valid\n"


def test_several_tenants_and_none_named_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("prod", "staging"):
        _write(tmp_path / "tenants" / name, {"tenant.yaml": "domain: sandbox\n"})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: choose a tenant with --tenant NAME|PATH (tenants under tenants/: prod, staging)\n"
    )


def test_the_summary_uses_singular_nouns_for_one(tmp_path: Path) -> None:
    _write(
        tmp_path / "solo",
        {
            "tenant.yaml": "domain: sandbox\n",
            **EMPTY_WORLD,
            "roles.yaml": "roles:\n  admin: {}\n",
            "organizations/acme.yaml": "name: acme\nmembers:\n  - email: a@acme.com\n",
        },
    )
    result = CliRunner().invoke(main, ["validate", "--tenant", str(tmp_path / "solo")])
    assert result.stdout == "solo: 1 organization, 1 role, 1 member: valid\n"


def test_errors_go_to_stderr_one_per_line_with_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path / "tenants" / "bad",
        {
            "tenant.yaml": "domain: sandbox\nextra: 1\n",
            "organizations/acme-corp.yaml": "name: Acme Corp\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "--tenant", "bad"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        'tenants/bad/tenant.yaml:2:1: unknown key "extra" (allowed: domain, credentials, policy, '
        "rate_limit, claims, invitations, action, drift, extends, values)",
        "tenants/bad/organizations/acme-corp.yaml:1:7: name: must be 1..50 lowercase letters, "
        'digits, "-" or "_" (got "Acme Corp")',
    ]


def test_an_unknown_tenant_is_one_line_and_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["validate", "--tenant", "nope"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == 'error: no tenant "nope" (tenants under tenants/: example, prod, staging)\n'
    )


def test_version_is_printed() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.stdout == f"reconciler, version {__version__}\n"


def test_a_second_command_reads_the_unchanged_organization_files_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REPO / "tenants" / "example", tmp_path / "tenants" / "example")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["validate", "--tenant", "example"]).exit_code == 0
    cache = tmp_path / ".reconciler" / "example.parsed-files"
    assert len(cache.read_text(encoding="utf-8").splitlines()) == 3  # a header, 2 files
    parsed: list[str] = []
    monkeypatch.setattr(parse_cache, "fast_mapping", lambda text, raw: parsed.append(text))
    result = CliRunner().invoke(main, ["validate", "--tenant", "example"])
    assert (result.exit_code, result.stderr, parsed) == (0, "", [])
    assert result.stdout == "example: 2 organizations, 2 roles, 6 members: valid\n"
