"""``reconciler sandbox serve`` argument handling."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reconciler.sandbox.cli import resolve_world_file, sandbox_cli
from reconciler.sandbox.server import check_host


def _tenant(root: Path, name: str) -> None:
    folder = root / "tenants" / name
    folder.mkdir(parents=True)
    (folder / "sandbox.yaml").write_text("connections: []\n")


def test_the_only_tenant_is_the_default(tmp_path: Path) -> None:
    _tenant(tmp_path, "example")
    assert resolve_world_file(None, tmp_path) == tmp_path / "tenants" / "example" / "sandbox.yaml"
    _tenant(tmp_path, "prod")
    with pytest.raises(click.UsageError, match=r"found: example, prod"):
        resolve_world_file(None, tmp_path)
    assert resolve_world_file("prod", tmp_path).parent.name == "prod"
    with pytest.raises(click.UsageError, match="does not exist"):
        resolve_world_file("staging", tmp_path)


def test_serve_refuses_other_hosts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tenant(tmp_path, "example")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(sandbox_cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0" in result.output


def test_serve_checks_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tenant(tmp_path, "example")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(sandbox_cli, ["serve", "--fail-rate", "2"])
    assert result.exit_code == 2
    assert "fail_rate" in result.output


def test_loopback_hosts() -> None:
    for host in ("127.0.0.1", "localhost", "::1"):
        check_host(host)
    check_host("0.0.0.0", unsafe_listen=True)
    with pytest.raises(ValueError):
        check_host("192.168.1.10")
