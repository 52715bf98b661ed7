"""Resolving `--tenant NAME|PATH` to a tenant directory."""

from pathlib import Path

import pytest

from reconciler.config.tenants import TenantNotFoundError, list_tenants, resolve_tenant


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with `tenants/prod` and `tenants/staging`."""
    for name in ("prod", "staging", ".hidden"):
        (tmp_path / "tenants" / name).mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_name_is_a_directory_under_tenants(repo: Path) -> None:
    assert resolve_tenant("prod") == Path("tenants/prod")


def test_a_path_is_used_as_given(repo: Path) -> None:
    assert resolve_tenant("tenants/staging") == Path("tenants/staging")
    assert resolve_tenant(str(repo / "tenants" / "prod")) == repo / "tenants" / "prod"


def test_a_bare_name_that_is_only_a_local_directory_is_a_path(repo: Path) -> None:
    (repo / "elsewhere").mkdir()
    assert resolve_tenant("elsewhere") == Path("elsewhere")


def test_an_unknown_name_lists_the_tenants(repo: Path) -> None:
    with pytest.raises(
        TenantNotFoundError, match=r'no tenant "dev" \(tenants under tenants/: prod, staging\)'
    ):
        resolve_tenant("dev")


def test_a_missing_path_is_named(repo: Path) -> None:
    with pytest.raises(TenantNotFoundError, match=r"tenant directory \./nowhere does not exist"):
        resolve_tenant("./nowhere")


def test_omitted_with_several_tenants_asks_to_choose(repo: Path) -> None:
    with pytest.raises(
        TenantNotFoundError, match=r"--tenant NAME\|PATH \(tenants under tenants/: prod, staging\)"
    ):
        resolve_tenant(None)


def test_omitted_with_one_tenant_picks_it(repo: Path) -> None:
    (repo / "tenants" / "staging").rmdir()
    assert resolve_tenant(None) == Path("tenants/prod")


def test_omitted_without_tenants_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert list_tenants() == []
    with pytest.raises(TenantNotFoundError, match="no tenants under tenants/"):
        resolve_tenant(None)


def test_a_file_is_not_a_tenant(repo: Path) -> None:
    (repo / "tenant.yaml").write_text("domain: sandbox\n")
    with pytest.raises(TenantNotFoundError, match=r"tenant\.yaml is not a directory"):
        resolve_tenant("tenant.yaml")
