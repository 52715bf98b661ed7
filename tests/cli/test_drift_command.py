"""`reconciler drift` as CI runs it: exit 2 on drift, 0 without, 1 on error."""

import json
import subprocess
from pathlib import Path

from reconciler.core import targets
from reconciler.sandbox import Sandbox
from reconciler.sandbox.transport import AsyncSandboxTransport
from tests.cli.conftest import edit, embedded_sandbox
from tests.integration.incremental import ReplacedLogAnswers, checkpoint_pages

TENANT = "tenants/example/tenant.yaml"
ROOT = Path(__file__).resolve().parents[2]


def applied(run, project) -> Sandbox:
    """The example applied to its embedded sandbox, which is returned for editing by hand."""
    assert run("apply", "--yes").exit_code == 0
    return embedded_sandbox(project)


def test_no_drift_after_apply_exits_0(run, project):
    applied(run, project)
    result = run("drift")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "No drift: Auth0 matches Git."


def test_an_organization_made_by_hand_is_drift(run, project):
    sandbox = applied(run, project)
    sandbox.store.create_organization("hand-made", "Made in the dashboard")
    sandbox.save()
    assert run("plan", "--detailed-exitcode").exit_code == 0
    result = run("drift")
    assert result.exit_code == 2
    assert "Organizations in Auth0 but in no file: hand-made" in result.stdout
    assert result.stdout.splitlines()[-1] == ("Drift: 1 organization is in Auth0 but in no file.")


def test_ignoring_unmanaged_organizations_leaves_a_hand_made_one_out(run, project):
    sandbox = applied(run, project)
    sandbox.store.create_organization("hand-made")
    sandbox.save()
    edit(project, TENANT, "  members: exact", "  members: exact\n  unmanaged_organizations: ignore")
    assert run("drift").exit_code == 0


def test_a_member_removed_by_hand_is_drift_in_every_format(run, project):
    sandbox = applied(run, project)
    org = sandbox.store.organization_by_name("beta-llc")
    carol = sandbox.store.users_by_email("carol@beta.io")[0]["user_id"]
    sandbox.store.remove_members(org.id, [carol])
    sandbox.save()
    text = run("drift")
    assert text.exit_code == 2
    assert "  - member carol@beta.io  (in Git, missing in Auth0)" in text.stdout
    markdown = run("drift", "--format", "markdown")
    assert markdown.exit_code == 2
    assert "| <code>beta-llc</code> | 0 | 0 | 1 |" in markdown.stdout
    document = json.loads(run("drift", "--format", "json").stdout)
    assert document["drift"] is True
    assert document["organizations"] == [
        {
            "name": "beta-llc",
            "rows": [
                {"change": "removed", "kind": "member", "name": "carol@beta.io", "fields": []}
            ],
        }
    ]


def test_a_field_changed_by_hand_shows_both_values(run, project):
    sandbox = applied(run, project)
    org = sandbox.store.organization_by_name("acme-corp")
    sandbox.store.update_organization(org.id, {"display_name": "ACME"})
    sandbox.save()
    result = run("drift")
    assert result.exit_code == 2
    assert '      display_name: "Acme Corp" in Git, "ACME" in Auth0' in result.stdout


def test_an_error_exits_1(run, project):
    edit(project, TENANT, "domain: sandbox", "domain: [sandbox")
    result = run("drift")
    assert result.exit_code == 1
    assert result.stderr.startswith("tenants/example/tenant.yaml:")


def changed_by_hand(project, path: str, body: dict) -> None:
    """A PATCH to the embedded sandbox's API by another application (a script)."""
    sandbox = embedded_sandbox(project)
    token = sandbox.issue_token(client_id="dashboard-script")
    with sandbox.sync_client(headers={"authorization": f"Bearer {token}"}) as http:
        assert http.patch(f"/api/v2{path}", json=body).is_success
    sandbox.save()


def test_incremental_drift_reads_only_what_the_log_says_changed(run, project):
    sandbox = applied(run, project)
    first = run("drift", "--incremental")
    assert first.exit_code == 0
    assert first.stdout.splitlines()[1] == (
        "Full read: no checkpoint in .reconciler/example@embedded_sandbox.drift.json yet."
    )
    acme = sandbox.store.organization_by_name("acme-corp").id
    changed_by_hand(project, f"/organizations/{acme}", {"display_name": "ACME"})
    found = run("drift", "--incremental", "--format", "json")
    assert found.exit_code == 2
    document = json.loads(found.stdout)
    assert document["scan"] == {
        "incremental": True,
        "reason": None,
        "writes": 1,
        "own_writes": 0,
        "organizations_read": 1,
        "checkpoint_written": True,
    }
    # the log, the changed organization by name and its parts, and the example's applications,
    # client grants and API access (read whenever the files manage them)
    assert document["read_calls"] == 7
    assert document["organizations"][0]["rows"][0]["fields"] == [
        {"field": "display_name", "git": "Acme Corp", "auth0": "ACME"}
    ]
    again = run("drift", "--incremental", "--format", "markdown")
    assert again.exit_code == 2
    assert (
        "Incremental: 0 writes by others in the tenant log since the last check; "
        "1 organization read again." in again.stdout
    )


def test_incremental_drift_keeps_its_checkpoint_where_it_is_told(run, project):
    applied(run, project)
    assert run("drift", "--incremental", "--checkpoint", "state/drift.json").exit_code == 0
    second = run("drift", "--incremental", "--checkpoint", "state/drift.json")
    assert second.stdout.splitlines()[1].startswith("Incremental: 0 writes by others")
    assert not (project / ".reconciler" / "example@embedded_sandbox.drift.json").exists()


def test_a_checkpoint_without_incremental_or_with_shards_is_a_usage_error(run, project):
    alone = run("drift", "--checkpoint", "x.json")
    assert (alone.exit_code, alone.stderr) == (1, "error: --checkpoint goes with --incremental\n")
    sharded = run("drift", "--incremental", "--shard", "1/2")
    assert sharded.exit_code == 1
    assert sharded.stderr == "error: --incremental reads the whole tenant's log: drop --shard\n"


def test_incremental_drift_with_a_log_page_it_cannot_read_exits_as_a_full_drift(
    run, project, monkeypatch
):
    sandbox = applied(run, project)
    assert run("drift", "--incremental").exit_code == 0
    acme = sandbox.store.organization_by_name("acme-corp").id
    changed_by_hand(project, f"/organizations/{acme}", {"display_name": "ACME"})
    full = run("drift", "--format", "json")
    assert full.exit_code == 2
    monkeypatch.setattr(
        targets,
        "AsyncSandboxTransport",
        lambda app: AsyncSandboxTransport(ReplacedLogAnswers(app, b"<html>", checkpoint_pages)),
    )
    found = run("drift", "--incremental", "--format", "json")
    assert found.exit_code == 2
    document = json.loads(found.stdout)
    assert document["scan"]["reason"] == (
        "the tenant log cannot be read (GET /logs: the answer is not valid JSON "
        "(Expecting value: line 1 column 1 (char 0)))"
    )
    # the checkpoint's event, the page, the newest event, then what a full drift reads
    assert document["read_calls"] == json.loads(full.stdout)["read_calls"] + 3
    assert document["organizations"] == json.loads(full.stdout)["organizations"]
    text = run("drift", "--incremental")
    assert text.exit_code == 2
    assert text.stdout.splitlines()[1].startswith("Full read: the tenant log cannot be read (")


def test_incremental_drift_with_an_edited_checkpoint_exits_as_a_full_drift(run, project):
    sandbox = applied(run, project)
    assert run("drift", "--incremental").exit_code == 0
    acme = sandbox.store.organization_by_name("acme-corp").id
    changed_by_hand(project, f"/organizations/{acme}", {"display_name": "ACME"})
    path = project / ".reconciler" / "example@embedded_sandbox.drift.json"
    document = json.loads(path.read_text())
    document["log"]["id"] = embedded_sandbox(project).store.state.logs[-1]["log_id"]
    path.write_text(json.dumps(document))
    found = run("drift", "--incremental")
    assert found.exit_code == 2
    assert found.stdout.splitlines()[1] == (
        "Full read: .reconciler/example@embedded_sandbox.drift.json is not as it was written "
        "(its checksum does not match its content)."
    )


def make_drift(project) -> subprocess.CompletedProcess[str]:
    """`make drift` of this checkout's Makefile, run in `project` with this checkout's venv."""
    venv = ROOT / ".venv"
    makefile, ready = str(ROOT / "Makefile"), f"{venv}/.installed"
    return subprocess.run(
        ["make", "--no-print-directory", "-f", makefile, "-o", ready, "drift", f"VENV={venv}"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def test_make_drift_ends_with_its_finding_not_makes_error(run, project):
    sandbox = applied(run, project)
    assert make_drift(project).returncode == 0
    sandbox.store.create_organization("hand-made")
    sandbox.save()
    found = make_drift(project)
    assert found.returncode == 0, found.stderr
    assert "Error" not in found.stderr
    assert found.stdout.splitlines()[-1] == (
        "Drift: Auth0 differs from the files of example (`reconciler drift` exits 2)."
    )
    edit(project, TENANT, "domain: sandbox", "domain: [")
    failed = make_drift(project)
    assert failed.returncode != 0
