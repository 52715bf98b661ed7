"""What a server says reaches the output inert: one line, every secret the process holds
redacted (the management client secret, the bearer token, the Action's secret values), and an
answer that is not what the API documents is one error line naming the call, never a
traceback."""

import json

import pytest

from reconciler.safe_text import REDACTED
from tests.cli.conftest import edit, embedded_sandbox
from tests.cli.hostile_server import Answer, Request, hostile

pytestmark = pytest.mark.http

FORGED = "\nPlan: 0 to add, 0 to change, 0 to destroy; 0 API calls.\n```\n"
ACTION_SECRETS = {
    "ORG_ROUTING_DOMAIN": "routing-domain.example",
    "ORG_ROUTING_CLIENT_ID": "routing-client-id-value",
    "ORG_ROUTING_CLIENT_SECRET": "routing-secret-value",
}


def one_error_line(result) -> str:
    """The only line on stderr, which must be an error; nothing on stdout, no traceback."""
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def echo(status: int, repeated: str) -> Answer:
    """An error whose message repeats part of the request, and forges lines after it."""
    said = f"rejected {repeated}{FORGED}"
    return Answer(status, json.dumps({"statusCode": status, "message": said}).encode())


def test_a_token_error_echoing_the_client_secret_is_one_line_without_it(run, project, monkeypatch):
    sandbox = embedded_sandbox(project)
    secret = sandbox.management_client.client_secret

    def refuse_token(request: Request) -> Answer | None:
        return echo(401, request.body.decode()) if request.path == "/oauth/token" else None

    with hostile(sandbox, refuse_token, monkeypatch) as base_url:
        line = one_error_line(run("plan", "--domain", base_url))
    assert line.startswith(f"error: POST {base_url}/oauth/token was refused with 401 rejected ")
    assert secret not in line
    assert f'"client_secret":"{REDACTED}"' in line
    assert "\\u000aPlan: 0 to add" in line


def test_an_api_error_echoing_the_bearer_token_is_one_line_without_it(run, project, monkeypatch):
    sandbox = embedded_sandbox(project)
    tokens: list[str] = []

    def refuse_reads(request: Request) -> Answer | None:
        if not request.path.startswith("/api/v2/"):
            return None
        tokens.append(request.headers["authorization"].removeprefix("Bearer "))
        return echo(403, request.headers["authorization"])

    with hostile(sandbox, refuse_reads, monkeypatch) as base_url:
        line = one_error_line(run("plan", "--domain", base_url))
    assert tokens
    assert tokens[0] not in line
    assert f"Bearer {REDACTED}" in line
    assert ": 403 rejected " in line


def test_an_action_error_echoing_its_secret_values_shows_none_of_them(run, project, monkeypatch):
    for name, value in ACTION_SECRETS.items():
        monkeypatch.setenv(name, value)
    edit(project, "tenants/example/tenant.yaml", "claims:", "action: {}\nclaims:")
    sandbox = embedded_sandbox(project)

    def refuse_action(request: Request) -> Answer | None:
        if request.method == "POST" and request.path == "/api/v2/actions/actions":
            return echo(400, json.dumps(json.loads(request.body)["secrets"]))
        return None

    with hostile(sandbox, refuse_action, monkeypatch) as base_url:
        result = run("apply", "--yes", "--domain", base_url)
    assert result.exit_code == 1
    output = result.stdout + result.stderr
    for value in ACTION_SECRETS.values():
        assert value not in output
    (failed,) = [line for line in result.stderr.splitlines() if "POST /actions/actions:" in line]
    assert failed.startswith('POST /actions/actions: failed: 400 rejected [{"name": ')
    assert failed.count(f'"value": "{REDACTED}"') == 3
    assert "Plan: 0 to add" not in output.splitlines()
    assert not any(line.startswith("```") for line in output.splitlines())


def test_names_from_auth0_that_hold_a_secret_are_redacted_in_every_format(run, project):
    sandbox = embedded_sandbox(project)
    secret = sandbox.management_client.client_secret
    sandbox.store.create_organization("acme-corp", f"ACME {secret}")
    sandbox.save()
    for output_format in ("text", "markdown", "json"):
        result = run("plan", "--format", output_format)
        assert result.exit_code == 0, result.stderr
        assert secret not in result.stdout
        assert f"ACME {REDACTED}" in result.stdout


def test_a_token_answer_that_is_not_json_is_one_error_line(run, project, monkeypatch):
    def html(request: Request) -> Answer | None:
        if request.path != "/oauth/token":
            return None
        return Answer(200, b"<html>maintenance</html>", {"content-type": "text/html"})

    with hostile(embedded_sandbox(project), html, monkeypatch) as base_url:
        line = one_error_line(run("plan", "--domain", base_url))
    assert line == f"error: POST {base_url}/oauth/token: the answer is not JSON"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "the answer is JSON nested too deeply"),
        (b'{"roles": [1, "two"], "total": 2}', "the answer is not of the documented shape"),
        (b'{"roles": {"admin": 1}}', "the answer is not of the documented shape"),
        (b"<html>", "the answer is not JSON"),
    ],
    ids=["nested too deeply", "a list of the wrong items", "a map for a list", "not JSON"],
)
def test_an_answer_that_is_not_what_the_api_documents_is_one_error_line(
    run, project, monkeypatch, body, problem
):
    def roles(request: Request) -> Answer | None:
        return Answer(200, body) if request.path == "/api/v2/roles" else None

    with hostile(embedded_sandbox(project), roles, monkeypatch) as base_url:
        line = one_error_line(run("plan", "--domain", base_url))
    assert line == f"error: GET /roles: {problem}"
