"""Command-line conventions: -h, -y, --no-color, AUTH0_DOMAIN, the environment variables in
--help, and JSON output of validate and apply."""

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from reconciler.cli import main
from tests.cli.conftest import edit, embedded_sandbox

VARIABLES = (
    "AUTH0_CLIENT_ID",
    "AUTH0_CLIENT_SECRET",
    "AUTH0_TOKEN",
    "AUTH0_DOMAIN",
    "ORG_ROUTING_DOMAIN",
    "ORG_ROUTING_CLIENT_ID",
    "ORG_ROUTING_CLIENT_SECRET",
    "NO_COLOR",
)


@pytest.mark.parametrize("args", [["-h"], ["plan", "-h"], ["apply", "-h"], ["validate", "-h"]])
def test_dash_h_is_help(run, args):
    result = run(*args)
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    assert result.stdout == run(*args[:-1], "--help").stdout


@pytest.mark.parametrize("command", [[], ["plan"], ["apply"]])
def test_help_lists_the_environment_variables(run, command):
    text = run(*command, "--help").stdout
    assert "Environment variables:" in text
    for name in VARIABLES:
        assert name in text, name


def test_dash_y_applies_without_asking(run, project):
    result = run("apply", "-y")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Verified: Auth0 matches the files."


def coloured_plan(monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """The plan's stdout as on a terminal that shows colours."""
    terminal = SimpleNamespace(isatty=lambda: True)
    monkeypatch.setattr(
        "reconciler.cli.terminal.sys", SimpleNamespace(stdout=terminal, stderr=sys.stderr)
    )
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, color=True)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_no_color_turns_the_colours_off(project, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[32m" in coloured_plan(monkeypatch, "plan")
    assert "\x1b[" not in coloured_plan(monkeypatch, "plan", "--no-color")
    assert "\x1b[" not in coloured_plan(monkeypatch, "--no-color", "plan")
    # Each command line starts with colours allowed again.
    assert "\x1b[32m" in coloured_plan(monkeypatch, "plan")


def test_auth0_domain_overrides_the_tenant_files_domain(run, project, monkeypatch):
    monkeypatch.delenv("AUTH0_CLIENT_ID", raising=False)
    monkeypatch.delenv("AUTH0_CLIENT_SECRET", raising=False)
    monkeypatch.setenv("AUTH0_DOMAIN", "acme.eu.auth0.com")
    result = run("plan")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (named in tenant.yaml credentials) "
        "or AUTH0_TOKEN to reach the tenant at https://acme.eu.auth0.com\n"
    )
    # --domain wins over the variable.
    assert run("plan", "--domain", "sandbox").exit_code == 0


def test_validate_as_json(run, project):
    result = run("validate", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "tenant": "example",
        "valid": True,
        "organizations": 2,
        "roles": 2,
        "members": 6,
        "warnings": [],
        "errors": [],
    }
    edit(project, "tenants/example/organizations/beta-llc.yaml", "name: beta-llc", "name: Beta")
    invalid = run("validate", "--format", "json")
    assert invalid.exit_code == 1
    document = json.loads(invalid.stdout)
    assert document["valid"] is False
    (error,) = document["errors"]
    assert (error["file"], error["line"], error["column"]) == (
        "tenants/example/organizations/beta-llc.yaml",
        2,
        7,
    )


def test_apply_as_json_says_what_each_call_did(run, project: Path):
    refused = run("apply", "--format", "json")
    assert refused.exit_code == 1
    assert refused.stderr == "error: no terminal to confirm on: pass --yes to apply\n"
    result = run("apply", "--yes", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["plan"]["tenant"] == "example"
    writes = len(embedded_sandbox(project).store.state.logs)
    assert document["applied"] == {"done": writes, "already": 0, "failed": 0, "skipped": 0}
    assert len(document["calls"]) == writes
    assert {call["outcome"] for call in document["calls"]} == {"done"}
    assert (document["converged"], document["remaining"]) == (True, [])
    assert document["waiting_for_approval"] == []
    again = json.loads(run("apply", "-y", "--format", "json").stdout)
    assert (again["calls"], again["converged"]) == ([], True)
