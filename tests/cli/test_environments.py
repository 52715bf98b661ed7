"""The staging and prod examples, which extend tenants/_shared: their plans say where values
came from, and a change to a base file selects the tenants that extend it."""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.sandbox import Sandbox

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("_shared", "staging", "prod"):
        shutil.copytree(TENANTS / name, tmp_path / "tenants" / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AUTH0_TOKEN", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)


def test_a_plan_says_which_rows_a_base_file_and_values_gave(project: Path) -> None:
    text = run("plan", "--tenant", "staging").stdout
    assert "  + application ProjectManager  (from tenants/_shared/applications.yaml:4)\n" in text
    assert (
        '      callbacks = ["http://localhost:3000/callback"]  (from '
        'tenants/_shared/applications.yaml:7 with values.app_url = "http://localhost:3000")\n'
    ) in text
    assert "organization acme-corp  (" not in text
    markdown = run("plan", "--tenant", "prod", "--format", "markdown").stdout
    assert (
        '+     callbacks = ["https://app.projectmanager.example/callback"]  (from '
        "tenants/_shared/applications.yaml:7 with values.app_url = "
        '"https://app.projectmanager.example")\n'
    ) in markdown


def test_the_plan_of_a_tenant_without_a_base_names_no_origin(project: Path) -> None:
    shutil.copytree(TENANTS / "example", project / "tenants" / "example")
    assert "(from " not in run("plan", "--tenant", "example").stdout


def test_a_changed_base_file_plans_every_tenant_extending_it(project: Path) -> None:
    for tenant in ("staging", "prod"):
        assert run("apply", "--tenant", tenant, "--yes").exit_code == 0
    (project / ".gitignore").write_text(".sandbox/\n.reconciler/\nrun/\n")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    git(project, "tag", "base")

    def since(tenant: str) -> dict[str, Any]:
        result = run("plan", "--tenant", tenant, "--changed-since", "base", "--format", "json")
        assert result.exit_code == 0, result.stderr
        return dict(json.loads(result.stdout))

    before = {tenant: since(tenant) for tenant in ("staging", "prod")}
    assert all(document["organizations"] == [] for document in before.values())
    roles = project / "tenants" / "_shared" / "roles.yaml"
    roles.write_text(roles.read_text().replace("Workspace member", "Project member"))
    for tenant in ("staging", "prod"):
        document = since(tenant)
        rows = [row for org in document["organizations"] for row in org["rows"]]
        assert {"kind": "role", "name": "member", "action": "update"}.items() <= rows[0].items()
        assert document["read_calls"] > before[tenant]["read_calls"]


GOLDEN = Path(__file__).parent / "golden"


def test_compare_shows_what_promoting_one_tenant_to_another_changes(project: Path) -> None:
    result = run("compare", "prod", "staging", "--detailed-exitcode")
    assert result.exit_code == 2, result.stderr
    assert result.stdout == (GOLDEN / "compare_prod_staging.txt").read_text(encoding="utf-8")
    same = run("compare", "staging", "staging", "--detailed-exitcode")
    assert (same.exit_code, same.stdout) == (0, "Compare staging -> staging.\n\nSame.\n")


def test_import_into_an_extending_tenant_writes_only_what_the_base_lacks(project: Path) -> None:
    assert run("apply", "--tenant", "staging", "--yes").exit_code == 0
    sandbox = Sandbox.from_world_file(
        project / "tenants" / "staging" / "sandbox.yaml",
        state_file=project / ".sandbox" / "staging.json",
    )
    org = sandbox.store.create_organization("hand-made", "Hand Made")
    support = sandbox.store.create_role("support", "Support desk")
    carol = sandbox.store.users_by_email("carol@beta.io")[0]["user_id"]
    sandbox.store.add_members(org.id, [carol])
    sandbox.store.assign_member_roles(org.id, carol, [support.id])
    sandbox.save()
    result = run("import", "--tenant", "staging", "--org", "hand-made")
    assert result.exit_code == 0, result.stderr
    roles = (project / "tenants" / "staging" / "roles.yaml").read_text()
    assert "support:" in roles
    assert "admin" not in roles and "member:" not in roles
    assert run("plan", "--tenant", "staging", "--detailed-exitcode").exit_code == 0
