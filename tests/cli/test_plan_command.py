"""`reconciler plan` as a user runs it: output formats and exit codes."""

import json

import pytest

from reconciler.sandbox import serving
from tests.cli.conftest import edit, embedded_sandbox

BETA = "tenants/example/organizations/beta-llc.yaml"
SUMMARY = "Plan: 21 to add, 0 to change, 0 to destroy; 21 API calls, about 10 s at Free limits."
BY_KIND = (
    "By kind: add 2 organizations, 5 members, 4 connections, 2 discovery domains, 1 invitation, "
    "1 API access, 2 applications, 3 roles, 1 client grant."
)


def test_plan_of_the_example_creates_both_orgs(run):
    result = run("plan")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-2:] == [BY_KIND, SUMMARY]
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
    assert document["summary"] == {
        "create": 21,
        "update": 0,
        "delete": 0,
        "kinds": {
            "organization": {"create": 2},
            "member": {"create": 5},
            "connection": {"create": 4},
            "discovery domain": {"create": 2},
            "invitation": {"create": 1},
            "api access": {"create": 1},
            "application": {"create": 2},
            "role": {"create": 3},
            "client grant": {"create": 1},
        },
        "api_calls": 21,
    }
    assert document["tenant"] == "example"
    assert document["target"] == "embedded sandbox"
    assert document["operations"][0] == {
        "method": "POST",
        "path": "/clients",
        "body": {
            "name": "ProjectManager",
            "app_type": "regular_web",
            "grant_types": ["authorization_code", "refresh_token"],
            "callbacks": ["https://localhost:3000/callback"],
            "allowed_logout_urls": ["https://localhost:3000"],
            "organization_usage": "require",
            "organization_require_behavior": "pre_login_prompt",
        },
        "org": None,
    }


def test_markdown_format_is_a_pr_comment(run):
    output = run("plan", "--format", "markdown").stdout
    assert output.startswith("### Auth0 plan for <code>example</code>")
    assert f"**{SUMMARY}**" in output


def test_summary_is_the_whole_plan_in_markdown_with_the_comment(run, project):
    summary = project / "summary.md"
    result = run("plan", "--format", "markdown", "--max-chars", "400", "--summary", str(summary))
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("### Auth0 plan for <code>example</code>")
    assert f"**{SUMMARY}**" in written
    assert "sections are not shown" in result.stdout
    assert "sections are not shown" not in written
    assert "organization acme-corp" in written


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
    assert json.loads(text)["format"] == "auth0-org-reconciler/plan@5"


def test_unknown_connection_is_an_error_naming_file_line_and_column(run, project):
    edit(project, BETA, "- name: beta-okta", "- name: beta-okta-typo")
    result = run("plan")
    assert result.exit_code == 1
    assert result.stderr == (
        "tenants/example/organizations/beta-llc.yaml:6:11: unknown connection 'beta-okta-typo': "
        "no connection of that name exists in the tenant; did you mean 'beta-okta'?\n"
    )


def test_an_unknown_connection_like_none_gets_no_suggestion(run, project):
    edit(project, BETA, "- name: beta-okta", "- name: zzz")
    assert run("plan").stderr == (
        "tenants/example/organizations/beta-llc.yaml:6:11: unknown connection 'zzz': "
        "no connection of that name exists in the tenant\n"
    )


def test_a_changed_sandbox_world_is_a_warning_until_reset(run, project):
    assert run("apply", "--yes").exit_code == 0
    world = project / "tenants" / "example" / "sandbox.yaml"
    world.write_text(world.read_text() + "\n# edited\n")
    result = run("plan")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: sandbox.yaml changed since the embedded sandbox state was created; run "
        "`reconciler sandbox reset --tenant example` to rebuild it\n"
    )
    assert run("sandbox", "reset").exit_code == 0
    assert run("plan").stderr == ""


def test_plan_warns_when_apply_would_refuse_it_and_keeps_its_exit_code(run, project):
    run("apply", "--yes")
    sandbox = embedded_sandbox(project)
    sandbox.store.create_organization("old-co")
    sandbox.save()
    edit(
        project,
        "tenants/example/tenant.yaml",
        "prune_organizations: false",
        "prune_organizations: true",
    )
    result = run("plan", "--format", "markdown")
    assert result.exit_code == 0
    assert (
        "> [!WARNING]\n> Deletions waiting for approval: <code>old-co</code>. Apply leaves them "
        "out, applies the rest and fails. To approve, list them under `policy.approved_deletions` "
        "in `tenant.yaml` in this pull request.\n"
    ) in result.stdout
    assert "--allow-delete" not in result.stdout
    text = run("plan").stdout
    assert (
        "Deletions waiting for approval (apply leaves them out and fails): old-co; approve it "
        "in the change that removes its file: list it under policy.approved_deletions in "
        "tenant.yaml (applying by hand: --allow-delete)\n"
    ) in text
    assert json.loads(run("plan", "--format", "json").stdout)["deletions"] == {
        "approved": [],
        "waiting": ["old-co"],
    }


@pytest.mark.http
def test_show_checks_a_saved_plan_with_the_reads_of_a_plan_of_its_organizations(
    run, project, monkeypatch
):
    sandbox = embedded_sandbox(project)
    monkeypatch.setenv("AUTH0_CLIENT_ID", sandbox.management_client.client_id)
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", sandbox.management_client.client_secret)
    with serving(sandbox) as base_url:
        made = run("plan", "--domain", base_url, "--format", "json", "--out", "plan.json")
        sandbox.reset_calls()
        result = run("show", "plan.json", "--domain", base_url, "--format", "markdown")
        reads = sandbox.api_calls()
    assert result.exit_code == 0, result.stderr
    assert f"**{SUMMARY}** (target <code>{base_url}</code>)" in result.stdout
    assert len(reads) == json.loads(made.stdout)["read_calls"]
    assert all(call.method == "GET" for call in reads)


ROUTING_SECRETS = ("ORG_ROUTING_DOMAIN", "ORG_ROUTING_CLIENT_ID", "ORG_ROUTING_CLIENT_SECRET")


def test_plan_names_the_action_secrets_apply_needs_that_are_not_set(run, project, monkeypatch):
    for name in ROUTING_SECRETS:
        monkeypatch.delenv(name, raising=False)
    with open(project / "tenants/example/tenant.yaml", "a") as tenant_file:
        tenant_file.write("action: {}\n")
    monkeypatch.setenv("ORG_ROUTING_DOMAIN", "tenant.example")
    result = run("plan")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "apply needs the environment variables ORG_ROUTING_CLIENT_ID, ORG_ROUTING_CLIENT_SECRET "
        "(secrets of the post-login Action, named in tenant.yaml action) and they are not set\n"
    )
    before = len(embedded_sandbox(project).store.state.logs)
    assert run("apply", "--yes").exit_code == 1
    assert len(embedded_sandbox(project).store.state.logs) == before
    monkeypatch.setenv("ORG_ROUTING_CLIENT_ID", "routing-client")
    monkeypatch.setenv("ORG_ROUTING_CLIENT_SECRET", "routing-secret")
    assert run("plan").exit_code == 0
