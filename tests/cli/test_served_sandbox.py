"""plan and apply over real HTTP against a served sandbox, as against a test host."""

import pytest

from reconciler.sandbox import serving
from tests.cli.conftest import embedded_sandbox

pytestmark = pytest.mark.http


def test_plan_and_apply_over_http_with_credentials_from_the_environment(run, project, monkeypatch):
    sandbox = embedded_sandbox(project)
    monkeypatch.setenv("AUTH0_CLIENT_ID", sandbox.management_client.client_id)
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", sandbox.management_client.client_secret)
    with serving(sandbox) as base_url:
        planned = run("plan", "--domain", base_url, "--detailed-exitcode")
        assert planned.exit_code == 2
        assert planned.stdout.splitlines()[0] == (
            # organizations, roles, connections, 5 users-by-email, one user id, the APIs of the
            # permissions to add and the invitations' application
            f"Tenant example ({base_url}): live state read in 11 API calls, about 4 s at Free "
            "limits."
        )
        applied = run("apply", "--domain", base_url, "--yes")
        assert applied.exit_code == 0, applied.stderr
        again = run("plan", "--domain", base_url, "--detailed-exitcode")
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-1] == "No changes."
    assert {o.name for o in sandbox.store.state.organizations.values()} == {
        "acme-corp",
        "beta-llc",
    }


def test_wrong_credentials_are_refused_without_echoing_the_secret(run, project, monkeypatch):
    sandbox = embedded_sandbox(project)
    monkeypatch.setenv("AUTH0_CLIENT_ID", sandbox.management_client.client_id)
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", "not-the-secret-123")
    with serving(sandbox) as base_url:
        result = run("plan", "--domain", base_url)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: POST {base_url}/oauth/token was refused with 401")
    assert "not-the-secret-123" not in result.stderr + result.stdout


def test_plan_saved_for_the_embedded_sandbox_is_refused_on_another_target(
    run, project, monkeypatch
):
    assert run("plan", "--out", "plan.json").exit_code == 0
    other = embedded_sandbox(project)
    monkeypatch.setenv("AUTH0_CLIENT_ID", other.management_client.client_id)
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", other.management_client.client_secret)
    with serving(other) as base_url:
        result = run("apply", "plan.json", "--domain", base_url)
    assert result.exit_code == 1
    assert result.stderr == f"error: the plan was made for embedded sandbox, not {base_url}\n"
    assert [c for c in other.api_calls() if c.method != "GET"] == []
