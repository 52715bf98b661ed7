"""An enterprise customer onboarded in one file: its Okta connection's secret is sent from its
variable and never appears in output, plan files, journals or errors (a canary value)."""

from pathlib import Path

import pytest

from tests.cli.conftest import Run, embedded_sandbox

CANARY = "sso-canary-3f9a7c21e0"
GAMMA = """# yaml-language-server: $schema=../../../schemas/organization.schema.json
name: gamma
display_name: Gamma Inc
enterprise_connections:
  gamma-okta:
    strategy: okta
    display_name: Gamma
    options:
      domain: gamma.okta.com
      client_id: 0oa1gamma
      client_secret_env: GAMMA_OKTA_SECRET
      domain_aliases: [gamma.example]
    applications: [ProjectManager]
    link:
      assign_membership_on_login: true
"""


@pytest.fixture
def gamma(project: Path) -> Path:
    path = project / "tenants" / "example" / "organizations" / "gamma.yaml"
    path.write_text(GAMMA)
    return path


def everything_written(project: Path) -> str:
    """Every file the commands left in the project, but the sandbox's own state (Auth0)."""
    texts = []
    for path in sorted(project.rglob("*")):
        if path.is_file() and ".sandbox" not in path.parts:
            texts.append(path.read_text(errors="replace"))
    return "\n".join(texts)


def test_the_secret_is_sent_and_never_shown_or_stored(
    run: Run, project: Path, gamma: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAMMA_OKTA_SECRET", CANARY)
    outputs = []
    for fmt in ("text", "markdown", "json"):
        result = run("plan", "--format", fmt, "--out", f"plan-{fmt}.json")
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert "(secret from GAMMA_OKTA_SECRET)" in outputs[0]
    applied = run("apply", "plan-text.json", "--yes")
    assert applied.exit_code == 0, applied.output
    outputs.append(applied.output)
    outputs.append(run("drift").output)
    conn = embedded_sandbox(project).store.connection_by_name("gamma-okta")
    assert conn is not None and conn["options"]["client_secret"] == CANARY
    assert CANARY not in "\n".join(outputs)
    assert CANARY not in everything_written(project)


def test_a_missing_secret_variable_fails_the_call_naming_the_variable(
    run: Run, project: Path, gamma: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GAMMA_OKTA_SECRET", raising=False)
    result = run("apply", "--yes")
    assert result.exit_code != 0
    assert "GAMMA_OKTA_SECRET" in result.output
    assert embedded_sandbox(project).store.connection_by_name("gamma-okta") is None


PROFILES = """# yaml-language-server: $schema=../../schemas/sso-profiles.schema.json
profiles:
  customers:
    description: Customers' own single sign-on
    allowed_strategies: [samlp, okta, oidc, waad]
"""
DELTA = """# yaml-language-server: $schema=../../../schemas/organization.schema.json
name: delta
self_service_sso:
  profile: customers
  applications: [ProjectManager]
  assign_membership_on_login: true
  domain_verification: optional
"""


def test_sso_ticket_prints_the_link_once_and_revoke_ends_it(run: Run, project: Path) -> None:
    tenant = project / "tenants" / "example"
    (tenant / "sso-profiles.yaml").write_text(PROFILES)
    (tenant / "organizations" / "delta.yaml").write_text(DELTA)
    assert run("apply", "--yes", "--force").exit_code == 0
    made = run("sso-ticket", "delta")
    assert made.exit_code == 0, made.output
    url = made.stdout.strip()
    assert url.startswith("https://") and "?ticket=" in url
    ticket = url.rsplit("=", 1)[1]
    assert f"ticket id {ticket}" in made.stderr
    assert ticket not in everything_written(project)
    revoked = run("revoke-sso-ticket", "delta", ticket)
    assert revoked.exit_code == 0, revoked.output
    sandbox = embedded_sandbox(project)
    assert sandbox.store.state.sso_tickets[ticket]["state"] == "revoked"
    missing = run("sso-ticket", "acme-corp")
    assert missing.exit_code == 1
    assert "acme-corp: its file has no self_service_sso" in missing.stderr
