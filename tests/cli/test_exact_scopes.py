"""The example's management client holds exactly the scopes docs/scopes.md lists: every
command runs with them, and without any one of them the command that needs it stops with one
line naming the scope and the call.

One scenario (apply, plan, drift, incremental drift, import, an SSO ticket made and revoked, a
second apply that updates and deletes, repair) runs once with every scope, each step's project
kept as it was before the step; each scope's case runs again only the first step that needed
it, without that scope. The files declare enterprise connections and self-service SSO, so
that every scope the table lists is needed by some step.
"""

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from reconciler.cli import main
from reconciler.core import targets
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.scopes_doc import every_scope
from reconciler.sandbox import OrgConnection, Sandbox, load_world
from tests.cli.conftest import EXAMPLE, edit, embedded_sandbox

ACTION_ENV = {
    "ORG_ROUTING_DOMAIN": "example.eu.auth0.com",
    "ORG_ROUTING_CLIENT_ID": "routing-client",
    "ORG_ROUTING_CLIENT_SECRET": "routing-secret-value",
    "GAMMA_OKTA_SECRET": "okta-secret-value",
}
ACME = "tenants/example/organizations/acme-corp.yaml"
BETA = "tenants/example/organizations/beta-llc.yaml"
TENANT = "tenants/example/tenant.yaml"
GAMMA = "tenants/example/organizations/gamma.yaml"
PROFILES = "tenants/example/sso-profiles.yaml"
OKTA = """    strategy: okta
    options:
      domain: gamma.okta.com
      client_id: 0oa1gamma
      client_secret_env: GAMMA_OKTA_SECRET
"""
TICKET = "{ticket}"
"""Stands for the id of the ticket the scenario's `sso-ticket` step printed."""


def _first_apply(project: Path) -> None:
    """The Action, application associations, a second org's API access and an extra role."""
    edit(
        project,
        TENANT,
        "  inviter_name: ProjectManager\n",
        "  inviter_name: ProjectManager\naction: {}\n",
    )
    edit(project, ACME, "api_access:", "applications: [ProjectManager]\napi_access:")
    edit(project, ACME, "email_domains: [acme.com]", "email_domains: [acme.com, acme.io]")
    beta = project / BETA
    beta.write_text(
        beta.read_text()
        + "applications: [ProjectManager]\n"
        + "api_access:\n  - application: Reporting Service\n"
        + "    api: https://api.projectmanager.example\n    scopes: [projects:read]\n"
    )
    roles = project / "tenants/example/roles.yaml"
    roles.write_text(roles.read_text() + "  auditor:\n    description: Reads everything\n")
    # Enterprise connections of their own, and a self-service SSO profile for another one.
    (project / GAMMA).write_text(
        "name: gamma\nenterprise_connections:\n"
        f"  gamma-okta:\n{OKTA}    display_name: Gamma\n    applications: [ProjectManager]\n"
        f"  gamma-okta-old:\n{OKTA}"
    )
    (project / PROFILES).write_text(
        "profiles:\n  customers:\n    description: Customers' own single sign-on\n"
        "    allowed_strategies: [samlp, okta]\n"
    )
    (project / "tenants/example/organizations/delta.yaml").write_text(
        "name: delta\nself_service_sso:\n  profile: customers\n  applications: [ProjectManager]\n"
    )


def _hand_made_org(project: Path) -> None:
    sandbox = embedded_sandbox(project)
    org = sandbox.store.create_organization("hand-made", "Hand Made")
    google = sandbox.store.connection_by_name("google-oauth2")
    assert google is not None
    sandbox.store.link_connection(org.id, OrgConnection(google["id"]))
    sandbox.save()


def _changes(project: Path) -> None:
    """Edits that make apply update and delete one of everything; drift made by hand for the
    flags the files only ever switch on."""
    sandbox = embedded_sandbox(project)
    store = sandbox.store
    acme = next(o for o in store.state.organizations.values() if o.name == "acme-corp")
    app = next(c for c in store.state.clients.values() if c["name"] == "ProjectManager")
    store.update_org_client(acme.id, app["client_id"], False)
    domain = store.discovery_domain_by_name(acme.id, "acme.com")
    store.update_discovery_domain(acme.id, domain.id, {"use_for_organization_discovery": False})
    sandbox.save()
    edit(
        project,
        TENANT,
        "prune_organizations: false",
        "prune_organizations: true\n  prune_connections: true",
    )
    edit(
        project,
        GAMMA,
        "display_name: Gamma\n    applications: [ProjectManager]",
        "display_name: Gamma SSO\n    applications: []",
    )
    edit(
        project, GAMMA, f"  gamma-okta-old:\n{OKTA}", f"  gamma-okta-old:\n{OKTA}    absent: true\n"
    )
    edit(project, PROFILES, "Customers' own single sign-on", "Customers' single sign-on")
    (project / "tenants/example/organizations/hand-made.yaml").unlink()
    edit(project, ACME, "display_name: Acme Corp", "display_name: Acme Corporation")
    edit(project, ACME, "email_domains: [acme.com, acme.io]", "email_domains: [acme.com]")
    edit(
        project,
        ACME,
        "  - email: alice@acme.com\n    roles: [admin]\n",
        "  - email: alice@acme.com\n    roles: []\n",
    )
    edit(project, ACME, "assign_membership_on_login: true", "assign_membership_on_login: false")
    edit(project, ACME, "  - name: Username-Password-Authentication\n", "")
    edit(project, ACME, "default_roles: [member]", "default_roles: []")
    text = (project / ACME).read_text()
    start, end = (
        text.index("roles:                                   # org-owned"),
        text.index("\nmembers:"),
    )
    text = text[:start] + "roles: {}" + text[end:]
    start = text.index("  - email: new.hire@acme.com")
    text = text[:start] + text[text.index("applications:") :]
    (project / ACME).write_text(text[: text.index("api_access:")] + "api_access: []\n")
    edit(project, BETA, "applications: [ProjectManager]\n", "applications: []\n")
    edit(project, BETA, "routing:\n  email_domains: [beta.io]\n", "")
    edit(project, BETA, "  - email: dave@beta.io\n    roles: [member]\n", "")
    edit(
        project,
        BETA,
        "  - email: carol@beta.io\n    roles: [admin]\n",
        "  - email: carol@beta.io\n    roles: []\n",
    )
    edit(project, BETA, "scopes: [projects:read]", "scopes: [projects:read, projects:write]")
    edit(
        project, "tenants/example/roles.yaml", "  auditor:\n    description: Reads everything\n", ""
    )
    edit(project, "tenants/example/roles.yaml", "Workspace member", "Workspace member (read only)")
    edit(
        project,
        "tenants/example/applications.yaml",
        "callbacks: [https://localhost:3000/callback]",
        "callbacks: [https://localhost:3000/callback, https://localhost:3001/callback]",
    )


def _duplicate_application(project: Path) -> None:
    sandbox = embedded_sandbox(project)
    sandbox.store.create_client("Reporting Service", app_type="non_interactive")
    sandbox.save()


@dataclass(frozen=True)
class Step:
    """One command of the scenario, after what prepares it."""

    args: tuple[str, ...]
    prepare: Callable[[Path], None] | None = None

    def __str__(self) -> str:
        return " ".join(self.args)


STEPS = (
    Step(("apply", "--yes"), _first_apply),
    Step(("plan",)),
    Step(("drift",)),
    Step(("drift", "--incremental")),
    Step(("drift", "--incremental")),
    Step(("import", "--org", "hand-made"), _hand_made_org),
    Step(("sso-ticket", "delta")),
    Step(("revoke-sso-ticket", "delta", TICKET)),
    Step(("apply", "--yes", "--force", "--allow-delete"), _changes),
    Step(("repair-applications", "--yes"), _duplicate_application),
)


def endpoint_of(method: str, path: str) -> Endpoint | None:
    """The endpoint-table entry of a logged call (literal segments win)."""
    segments = [unquote(s) for s in path.removeprefix("/api/v2/").split("/")]
    found = [e for e in ENDPOINTS if e.verb.value == method and e.match(segments) is not None]
    return min(found, key=lambda e: e.arity) if found else None


def scopes_of(calls: list[tuple[str, str]]) -> dict[str, str]:
    """The scopes calls needed, each with the first call (`GET /organizations`)."""
    needed: dict[str, str] = {}
    for method, path in calls:
        endpoint = endpoint_of(method, path)
        if endpoint is not None:
            for scope in (endpoint.scope, *endpoint.also_needs):
                needed.setdefault(scope, f"{method} {path.removeprefix('/api/v2')}")
    return needed


class Runner:
    """Runs `reconciler` in a project, the embedded sandbox's client limited to `scopes`,
    and keeps the Management API calls of the last command."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, scopes: list[str]) -> None:
        self.scopes = scopes
        self.calls: list[tuple[str, str]] = []
        real = targets.embedded_sandbox

        def limited(*args: object, **kwargs: object) -> Sandbox:
            sandbox = real(*args, **kwargs)  # type: ignore[arg-type]
            client = sandbox.world.management_client.model_copy(update={"scopes": self.scopes})
            sandbox.world = sandbox.world.model_copy(update={"management_client": client})
            self.sandboxes.append(sandbox)
            return sandbox

        self.sandboxes: list[Sandbox] = []
        monkeypatch.setattr(targets, "embedded_sandbox", limited)

    def __call__(self, project: Path, args: tuple[str, ...]):
        self.sandboxes.clear()
        with pytest.MonkeyPatch.context() as env:
            env.chdir(project)
            env.delenv("AUTH0_TOKEN", raising=False)
            env.setenv("XDG_RUNTIME_DIR", str(project / "run"))
            for name, value in ACTION_ENV.items():
                env.setenv(name, value)
            result = CliRunner().invoke(main, list(args), catch_exceptions=False)
        self.calls = [(c.method, c.path) for s in self.sandboxes for c in s.api_calls()]
        return result


@dataclass(frozen=True)
class Scenario:
    """Each step's project before it ran, and the scopes each step needed first."""

    before: tuple[Path, ...]
    first_needed: dict[str, tuple[int, str]]
    """scope -> (step index, the first call that needed it)"""
    ticket: str
    """The id of the SSO ticket the scenario made."""

    def args(self, number: int) -> tuple[str, ...]:
        """The arguments of a step, the ticket's id in place of `TICKET`."""
        return tuple(self.ticket if a == TICKET else a for a in STEPS[number].args)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    root = tmp_path_factory.mktemp("scopes")
    project = root / "project"
    shutil.copytree(EXAMPLE, project / "tenants" / "example")
    with pytest.MonkeyPatch.context() as patch:
        run = Runner(patch, list(every_scope()))
        before: list[Path] = []
        first: dict[str, tuple[int, str]] = {}
        ticket = ""
        for number, step in enumerate(STEPS):
            if step.prepare is not None:
                step.prepare(project)
            kept = root / f"before-{number}"
            shutil.copytree(project, kept)
            before.append(kept)
            result = run(project, tuple(ticket if a == TICKET else a for a in step.args))
            assert result.exit_code == 0, f"{step}: {result.stdout}{result.stderr}"
            if step.args[0] == "sso-ticket":
                ticket = result.stdout.strip().rsplit("=", 1)[1]
            for scope, call in scopes_of(run.calls).items():
                first.setdefault(scope, (number, call))
        yield Scenario(tuple(before), first, ticket)


def test_the_example_client_holds_exactly_the_documented_scopes():
    world = load_world(EXAMPLE / "sandbox.yaml")
    assert world.management_client.scopes == list(every_scope())  # in the table's order


def test_every_command_runs_with_exactly_those_scopes_and_needs_each(scenario: Scenario):
    assert set(scenario.first_needed) == set(every_scope())


@pytest.mark.parametrize("scope", every_scope())
def test_without_one_scope_the_command_that_needs_it_fails_in_one_line(
    scope: str, scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    number, call = scenario.first_needed[scope]
    project = tmp_path / "project"
    shutil.copytree(scenario.before[number], project)
    run = Runner(monkeypatch, [s for s in every_scope() if s != scope])
    result = run(project, scenario.args(number))
    lines = result.stderr.splitlines()
    if scope == "read:logs":
        # Without the tenant log an incremental check reads everything, and says so.
        assert result.exit_code == 0, result.stderr
        assert "read:logs" in result.stdout + result.stderr
        return
    assert result.exit_code == 1, result.stdout
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    assert f"the token lacks the scope {scope}" in lines[0]
    method = call.split(" ")[0]
    assert f"{method} /" in lines[0]
