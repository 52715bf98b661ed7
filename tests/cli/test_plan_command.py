"""`reconciler plan` as a user runs it: output formats and exit codes."""

import json

from tests.cli.conftest import edit, embedded_sandbox

BETA = "tenants/example/organizations/beta-llc.yaml"
SUMMARY = "Plan: 4 to create, 0 to change, 0 to delete; 17 API calls."


def test_plan_of_the_example_creates_both_orgs(run):
    result = run("plan")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == SUMMARY
    assert "  + organization acme-corp" in result.stdout
    assert "  + organization beta-llc" in result.stdout


def test_detailed_exitcode_is_2_with_changes_and_0_without(run):
    assert run("plan", "--detailed-exitcode").exit_code == 2
    assert run("apply", "--yes").exit_code == 0
    result = run("plan", "--detailed-exitcode")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "No changes."


def test_json_format_has_stable_keys_and_counts(run):
    document = json.loads(run("plan", "--format", "json").stdout)
    assert document["summary"] == {"create": 4, "update": 0, "delete": 0, "api_calls": 17}
    assert document["tenant"] == "example"
    assert document["target"] == "embedded sandbox"
    assert document["operations"][0] == {
        "method": "POST",
        "path": "/roles",
        "body": {"name": "admin", "description": "Workspace administrator"},
        "org": None,
    }


def test_markdown_format_is_a_pr_comment(run):
    output = run("plan", "--format", "markdown").stdout
    assert output.startswith("### Auth0 plan for `example`")
    assert f"**{SUMMARY}**" in output


def test_plan_never_writes(run, project):
    run("plan")
    run("plan")
    sandbox = embedded_sandbox(project)
    assert sandbox.store.state.organizations == {}


def test_org_option_limits_the_plan(run):
    result = run("plan", "--org", "beta-llc")
    assert "organization acme-corp" not in result.stdout
    assert "+ organization beta-llc" in result.stdout


def test_unknown_org_option_is_an_error(run):
    result = run("plan", "--org", "gamma")
    assert result.exit_code == 1
    assert result.stderr == "--org gamma: no organization file defines it\n"


def test_real_domain_without_credentials_is_an_error_not_a_fallback(run, monkeypatch):
    monkeypatch.delenv("AUTH0_CLIENT_ID", raising=False)
    monkeypatch.delenv("AUTH0_CLIENT_SECRET", raising=False)
    result = run("plan", "--domain", "acme.eu.auth0.com")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (named in tenant.yaml credentials) "
        "or AUTH0_TOKEN to reach the tenant at https://acme.eu.auth0.com\n"
    )


def test_yaml_error_names_file_line_and_column_and_reaches_no_api(run, project):
    edit(project, BETA, "display_name: Beta LLC", "display_name: [Beta")
    result = run("plan")
    assert result.exit_code == 1
    assert result.stderr == (
        "tenants/example/organizations/beta-llc.yaml:4:9: YAML syntax error: expected ',' or "
        "']', but got ':' (while parsing a flow sequence at line 3)\n"
    )
    assert not (project / ".sandbox").exists()


def test_plan_file_holds_no_secrets(run, project):
    run("plan", "--out", "plan.json")
    text = (project / "plan.json").read_text()
    assert "sandbox-only-secret" not in text
    assert json.loads(text)["format"] == "auth0-org-reconciler/plan@4"


def test_unknown_connection_is_an_error_naming_file_line_and_column(run, project):
    edit(project, BETA, "- name: beta-okta", "- name: beta-okta-typo")
    result = run("plan")
    assert result.exit_code == 1
    assert result.stderr == (
        "tenants/example/organizations/beta-llc.yaml:6:11: unknown connection 'beta-okta-typo': "
        "no connection of that name exists in the tenant\n"
    )
