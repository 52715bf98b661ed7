"""The example's applications and API access as a user plans and applies them."""

from pathlib import Path

from tests.cli.conftest import edit, embedded_sandbox

APPS = "tenants/example/applications.yaml"
API = "https://api.projectmanager.example"


def test_a_fresh_plan_creates_project_manager_with_its_organization_settings(run):
    lines = run("plan").stdout.splitlines()
    start = lines.index("  + application ProjectManager")
    assert lines[start : start + 7] == [
        "  + application ProjectManager",
        '      app_type = "regular_web"',
        '      grant_types = ["authorization_code", "refresh_token"]',
        '      callbacks = ["https://localhost:3000/callback"]',
        '      allowed_logout_urls = ["https://localhost:3000"]',
        '      organization_usage = "require"',
        '      organization_require_behavior = "pre_login_prompt"',
    ]
    assert f"  + client grant Reporting Service -> {API}" in lines
    assert f"  + API access Reporting Service -> {API}" in lines
    assert lines[2] == "Tenant roles"  # the roles' section holds roles only
    assert lines[start - 1] == "Applications"
    assert run("apply", "--yes").exit_code == 0
    assert run("plan").stdout.splitlines()[-1] == "No changes."


def secrets(project: Path) -> list[str]:
    clients = embedded_sandbox(project).store.state.clients.values()
    return [client["client_secret"] for client in clients]


def test_client_secrets_never_reach_output_or_plan_files(run, project):
    assert run("apply", "--yes").exit_code == 0
    edit(project, APPS, "allowed_logout_urls: [https://localhost:3000]", "allowed_logout_urls: []")
    shown = [run("plan").stdout, run("plan", "--format", "json", "--out", "plan.json").stdout]
    shown.append((project / "plan.json").read_text())
    applied = run("apply", "plan.json")
    assert applied.exit_code == 0, applied.stderr
    shown += [applied.stdout, applied.stderr]
    assert len(secrets(project)) == 3
    for secret in secrets(project):
        assert not [text for text in shown if secret in text]


def test_a_saved_plan_is_stale_when_its_application_changed_meanwhile(run, project):
    assert run("apply", "--yes").exit_code == 0
    edit(project, APPS, "organization_usage: require ", "organization_usage: allow ")
    assert run("plan", "--out", "plan.json").exit_code == 0
    sandbox = embedded_sandbox(project)
    (app,) = [c for c in sandbox.store.state.clients.values() if c["name"] == "ProjectManager"]
    sandbox.store.update_client(app["client_id"], {"callbacks": ["https://elsewhere.example"]})
    sandbox.save()
    result = run("apply", "plan.json")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: the plan is stale: application ProjectManager changed since it was made; "
        "plan again\n"
    )
