"""The shipped workflows' steps run as GitHub runs them (bash -e, the step's `env:` with its
expressions resolved, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files) on a temporary Git
repository of the example tenant on its embedded sandbox: a pull request that offboards an
organization with its deletion approved and deploys the post-login Action, planned, then
merged and applied with the Action's secrets."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from reconciler.sandbox import Sandbox

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")
SECRETS = {
    "ORG_ROUTING_DOMAIN": "tenant.example",
    "ORG_ROUTING_CLIENT_ID": "routing-client",
    "ORG_ROUTING_CLIENT_SECRET": "routing-secret-value",
}


def step(workflow: str, job: str, name: str) -> dict[str, Any]:
    steps = yaml.safe_load((WORKFLOWS / workflow).read_text())["jobs"][job]["steps"]
    (found,) = [s for s in steps if s.get("name") == name]
    return found


def run_step(
    repo: Path, workflow: str, job: str, name: str, context: dict[str, str]
) -> tuple[int, dict[str, str], str]:
    """Run one `run:` step in `repo`; its exit code, its outputs and its job summary."""
    found = step(workflow, job, name)

    def resolve(value: str) -> str:
        def lookup(match: re.Match[str]) -> str:
            key = match.group(1)
            if key.startswith("secrets."):
                return context.get(key, "")  # an unset secret is empty in GitHub
            return context[key]

        return EXPRESSION.sub(lookup, str(value))

    outputs, summary = repo / ".github-output", repo / ".github-summary"
    outputs.write_text("")
    summary.write_text("")
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(repo),
        "XDG_RUNTIME_DIR": str(repo / ".run"),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
        **{key: resolve(value) for key, value in found.get("env", {}).items()},
    }
    script = repo / ".step.sh"
    script.write_text(found["run"])
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", str(script)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return done.returncode, values, summary.read_text()


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def sandbox(repo: Path) -> Sandbox:
    tenant = repo / "tenants" / "example"
    return Sandbox.from_world_file(
        tenant / "sandbox.yaml", state_file=repo / ".sandbox" / "example.json"
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A Git repository holding the example tenant, its main branch applied."""
    shutil.copytree(ROOT / "tenants" / "example", tmp_path / "tenants" / "example")
    (tmp_path / ".gitignore").write_text(
        ".sandbox/\n.reconciler/\n.apply-journal/\n.drift/\n.github-*\n"
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "example")
    return tmp_path


def offboard_and_deploy_the_action(repo: Path) -> None:
    """The pull request: beta-llc's file removed and its deletion approved, the Action on."""
    (repo / "tenants" / "example" / "organizations" / "beta-llc.yaml").unlink()
    tenant = repo / "tenants" / "example" / "tenant.yaml"
    text = tenant.read_text().replace("prune_organizations: false", "prune_organizations: true")
    text = text.replace(
        "protected_organizations: [internal-staff]",
        "protected_organizations: [internal-staff]\n  approved_deletions: [beta-llc]",
    )
    tenant.write_text(text + "action: {}\n")
    git(repo, "commit", "-q", "-am", "Offboard beta-llc; route logins with the Action")


def test_an_approved_offboarding_and_the_action_go_from_pull_request_to_apply(repo: Path):
    status, _, _ = run_step(repo, "apply.yml", "apply", "Apply", {"matrix.tenant": "example"})
    assert status == 0
    base = git(repo, "rev-parse", "HEAD")
    offboard_and_deploy_the_action(repo)

    # The pull request: which tenants it changes, then their plans.
    context = {"github.event.pull_request.base.sha": base}
    status, outputs, _ = run_step(
        repo, "plan.yml", "tenants", "Tenants the pull request changes", context
    )
    assert (status, outputs) == (0, {"tenants": '["example"]', "count": "1"})
    context |= {"matrix.tenant": "example", "needs.tenants.outputs.count": "1"}
    status, _, summary = run_step(repo, "plan.yml", "plan", "Validate and plan", context)
    assert status == 1  # the plan environment lacks the Action's secrets
    comment = (repo / "out" / "example.md").read_text()
    assert "apply needs the environment variables ORG_ROUTING_CLIENT_ID" in comment
    context |= {f"secrets.{name}": value for name, value in SECRETS.items()}
    status, _, summary = run_step(repo, "plan.yml", "plan", "Validate and plan", context)
    assert status == 0
    comment = (repo / "out" / "example.md").read_text()
    assert "Deletions approved in `policy.approved_deletions`: <code>beta-llc</code>" in comment
    assert "--allow-delete" not in comment
    assert "- member carol@beta.io" in comment.splitlines()  # goes with beta-llc
    assert "+ action org-routing" in summary
    assert "routing-secret-value" not in comment + summary
    assert json.loads((repo / "out" / "plan.json").read_text())["tenant"] == "example"

    # The merge: which tenants the push changes, then their applies, with the secrets.
    push = {"github.event.before": base}
    status, outputs, _ = run_step(repo, "apply.yml", "tenants", "Tenants the push changes", push)
    assert (status, outputs) == (0, {"tenants": '["example"]', "count": "1"})
    context = {"matrix.tenant": "example"} | {f"secrets.{n}": v for n, v in SECRETS.items()}
    status, _, summary = run_step(repo, "apply.yml", "apply", "Apply", context)
    assert status == 0, summary
    assert summary.startswith("### Auth0 apply for `example`: applied")
    assert "Verified: Auth0 matches the files." in summary
    state = sandbox(repo).store.state
    assert {o.name for o in state.organizations.values()} == {"acme-corp"}
    (action,) = [a for a in state.actions.values() if a["name"] == "org-routing"]
    secrets = {s["name"]: s.get("value") for s in action.get("secrets", [])}
    assert set(secrets) == set(SECRETS)


def test_an_unapproved_offboarding_applies_the_rest_and_fails_the_job(repo: Path):
    assert run_step(repo, "apply.yml", "apply", "Apply", {"matrix.tenant": "example"})[0] == 0
    (repo / "tenants" / "example" / "organizations" / "beta-llc.yaml").unlink()
    tenant = repo / "tenants" / "example" / "tenant.yaml"
    tenant.write_text(
        tenant.read_text().replace("prune_organizations: false", "prune_organizations: true")
    )
    acme = repo / "tenants" / "example" / "organizations" / "acme-corp.yaml"
    acme.write_text(acme.read_text().replace("display_name: Acme Corp", "display_name: Acme"))
    git(repo, "commit", "-q", "-am", "Offboard beta-llc, unapproved")
    status, _, summary = run_step(repo, "apply.yml", "apply", "Apply", {"matrix.tenant": "example"})
    assert status == 1
    assert summary.startswith("### Auth0 apply for `example`: FAILED")
    assert "Waiting for approval: 1 deletions, left out of this apply." in summary
    state = sandbox(repo).store.state
    names = {o.name: o.display_name for o in state.organizations.values()}
    assert names == {"acme-corp": "Acme", "beta-llc": "Beta LLC"}


def test_each_run_plans_from_the_snapshot_the_one_before_kept(repo: Path):
    """The snapshot file stays between the runs, as the Actions cache keeps it."""
    context = {"matrix.tenant": "example"}
    status, _, summary = run_step(repo, "apply.yml", "apply", "Apply", context)
    assert status == 0
    assert "Full read: no checkpoint in .drift/example.json yet." in summary
    assert (repo / ".drift" / "example.json").is_file()
    status, _, summary = run_step(repo, "apply.yml", "apply", "Apply", context)
    assert status == 0
    assert "Full read: the tenant log was empty at the last check." in summary
    base = git(repo, "rev-parse", "HEAD")
    acme = repo / "tenants" / "example" / "organizations" / "acme-corp.yaml"
    acme.write_text(acme.read_text().replace("display_name: Acme Corp", "display_name: Acme"))
    git(repo, "commit", "-q", "-am", "Acme's new display name")
    plan = context | {
        "needs.tenants.outputs.count": "1",
        "github.event.pull_request.base.sha": base,
    }
    assert run_step(repo, "plan.yml", "plan", "Validate and plan", plan)[0] == 0
    incremental = (
        "Incremental: 0 writes by others in the tenant log since the last check; "
        "1 organization read again."
    )
    errors = (repo / "out" / "errors.txt").read_text().splitlines()
    assert errors == [incremental, "Saved the plan to out/plan.json."]
    status, _, summary = run_step(repo, "apply.yml", "apply", "Apply", context)
    assert status == 0
    assert incremental in summary
    assert "Applied: 1 done, 0 already so, 0 failed, 0 skipped." in summary
    status, _, summary = run_step(repo, "apply.yml", "apply", "Apply", context)
    assert (
        "Incremental: 0 writes by others in the tenant log since the last check "
        "(1 own write left out); 0 organizations read again." in summary
    )
    assert "No changes." in summary
