"""`reconciler init DIR`: a config repository's skeleton that plans on the sandbox at once,
with the shipped workflows using the pinned action, and nothing overwritten."""

from pathlib import Path

from reconciler.config.repo_skeleton import ACTION_PLACEHOLDER
from reconciler.config.schemas import render_schemas

ROOT = Path(__file__).resolve().parents[2]
ACTION = "acme/auth0-org-reconciler@0123456789abcdef0123456789abcdef01234567"


def test_init_writes_a_skeleton_that_validates_plans_and_applies(run, project, monkeypatch):
    result = run("init", "config", "--tenant", "production", "--action", ACTION)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Then: cd config && reconciler plan"
    config = project / "config"
    ignored = (config / ".gitignore").read_text().splitlines()
    assert {".sandbox/", ".reconciler/"} <= set(ignored)
    for name, text in render_schemas().items():
        assert (config / "schemas" / name).read_text() == text
    monkeypatch.chdir(config)
    assert run("validate").stdout == "production: 1 organization, 1 role, 1 member: valid\n"
    assert run("apply", "-y").exit_code == 0
    assert run("plan").stdout.splitlines()[-1] == "No changes."


def test_the_workflows_are_the_shipped_ones_with_the_pinned_action(run, project):
    run("init", "config", "--action", ACTION)
    for name in ("plan.yml", "apply.yml", "drift.yml"):
        ours = (ROOT / ".github" / "workflows" / name).read_text().splitlines()
        theirs = (project / "config" / ".github" / "workflows" / name).read_text().splitlines()
        removed = [line for line in ours if line not in theirs]
        added = [line for line in theirs if line not in ours]
        assert removed[-1] == "      - uses: ./", name
        assert added[-1] == f"      - uses: {ACTION}", name
        assert len(removed) == len(added) == 3, name
    assert not (project / "config" / ".github" / "workflows" / "ci.yml").exists()


def test_without_action_the_placeholder_is_named_as_the_next_step(run, project):
    result = run("init", "config")
    assert f"replace {ACTION_PLACEHOLDER}" in result.stdout
    plan = (project / "config" / ".github" / "workflows" / "plan.yml").read_text()
    assert f"      - uses: {ACTION_PLACEHOLDER}\n" in plan


def test_init_overwrites_nothing(run, project):
    (project / "config").mkdir()
    (project / "config" / ".gitignore").write_text("mine\n")
    result = run("init", "config")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: config/.gitignore: exists; init writes only files that do not\n"
    )
    assert (project / "config" / ".gitignore").read_text() == "mine\n"
    assert not (project / "config" / "tenants").exists()


def test_a_tenant_name_that_is_no_folder_name_is_a_usage_error(run, project):
    result = run("init", "config", "--tenant", "../up")
    assert result.exit_code == 1
    assert "a folder name" in result.stderr
    assert not (project / "config").exists()
