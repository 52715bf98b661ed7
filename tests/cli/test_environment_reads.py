"""The staging and prod examples plan and apply on their own embedded sandboxes, and their base
costs no request: each reads exactly what a tenant holding the same files without `extends`
reads."""

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from reconciler.cli import main
from reconciler.config.layers import merged
from reconciler.config.loader import load_tenant
from reconciler.core import targets
from reconciler.model.desired import Desired
from reconciler.sandbox import Sandbox

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
MERGED_FILES = ("tenant.yaml", "roles.yaml", "applications.yaml")


def _read(path: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8"))) if path.is_file() else {}


def without_base(tenant: Path, base: Path, into: Path) -> Path:
    """A copy of `tenant` with its base's files merged into its own and no `extends`: the same
    effective files, with `${values...}` still to be put in by the loader."""
    shutil.copytree(tenant, into)
    for name in MERGED_FILES:
        data = merged(_read(base / name), _read(tenant / name))
        data.pop("extends", None)
        if data:
            (into / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    for inherited in sorted((base / "organizations").glob("*.yaml")):
        if not (into / "organizations" / inherited.name).exists():
            shutil.copy(inherited, into / "organizations" / inherited.name)
    return into


def effective(desired: Desired) -> dict[str, Any]:
    """What a tenant's files desire, without where each part is written (or what it extends)."""
    return {
        "tenant": desired.tenant.model_dump(exclude={"extends"}),
        "roles": {name: role.model_dump() for name, role in desired.roles.items()},
        "organizations": {n: o.model_dump() for n, o in desired.organizations.items()},
        "applications": {n: a.model_dump() for n, a in desired.applications.items()},
    }


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[Sandbox]:
    """Every embedded sandbox the commands build, in order (each command builds its own)."""
    sandboxes: list[Sandbox] = []
    build = targets.embedded_sandbox

    def recorded(*args: Any) -> Sandbox:
        sandbox = build(*args)
        sandboxes.append(sandbox)
        return sandbox

    monkeypatch.setattr(targets, "embedded_sandbox", recorded)
    return sandboxes


def command(
    project: Path, monkeypatch: pytest.MonkeyPatch, built: list[Sandbox], *args: str
) -> tuple[str, list[tuple[str, str, str, int]]]:
    """`reconciler ARGS` run in `project`: its output and every request of every sandbox it
    built (the log of the whole command, loading included)."""
    monkeypatch.chdir(project)
    first = len(built)
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout, [
        (c.method, c.path, c.query, c.status) for s in built[first:] for c in s.calls
    ]


@pytest.mark.parametrize("tenant", ["staging", "prod"])
def test_an_environment_reads_and_writes_exactly_what_it_would_without_its_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: list[Sandbox], tenant: str
) -> None:
    monkeypatch.delenv("AUTH0_TOKEN", raising=False)
    monkeypatch.delenv("AUTH0_DOMAIN", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    based, flat = tmp_path / "based", tmp_path / "flat"
    for name in ("_shared", tenant):
        shutil.copytree(TENANTS / name, based / "tenants" / name)
    without_base(TENANTS / tenant, TENANTS / "_shared", flat / "tenants" / tenant)
    assert "extends" not in (flat / "tenants" / tenant / "tenant.yaml").read_text()
    assert effective(load_tenant(flat / "tenants" / tenant)) == effective(
        load_tenant(based / "tenants" / tenant)
    )

    def both(*args: str) -> tuple[list[tuple[str, str, str, int]], dict[str, Any] | None]:
        runs = [
            command(project, monkeypatch, built, *args, "--tenant", tenant)
            for project in (based, flat)
        ]
        (based_out, based_calls), (flat_out, flat_calls) = runs
        assert based_calls == flat_calls
        if "--format" not in args:
            return based_calls, None
        plans = [json.loads(out) for out in (based_out, flat_out)]
        assert plans[0]["operations"] == plans[1]["operations"]
        assert plans[0]["summary"] == plans[1]["summary"]
        return based_calls, plans[0]

    reads, plan = both("plan", "--format", "json")
    assert plan is not None and plan["summary"]["api_calls"] > 0
    assert [c for c in reads if c[0] != "GET" and c[1] != "/oauth/token"] == []
    assert len([c for c in reads if c[1].startswith("/api/v2/")]) == plan["read_calls"]
    writes, _ = both("apply", "--yes")
    api_writes = [c for c in writes if c[0] != "GET" and c[1].startswith("/api/v2/")]
    assert len(api_writes) == plan["summary"]["api_calls"]
    again, after = both("plan", "--format", "json")
    assert after is not None and after["operations"] == []
    assert len([c for c in again if c[1].startswith("/api/v2/")]) == after["read_calls"]
