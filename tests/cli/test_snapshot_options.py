"""`plan --from-snapshot` and `apply --from-snapshot`: the snapshot the first one keeps is the
one the next one plans from (and `drift --incremental` checks from); what narrows a plan of
every organization is refused."""

import json

import pytest

from tests.cli.conftest import edit

SNAPSHOT = ".reconciler/example@embedded_sandbox.drift.json"
ACME = "tenants/example/organizations/acme-corp.yaml"


def test_an_apply_keeps_the_snapshot_the_next_plan_and_apply_and_drift_use(run, project):
    first = run("apply", "--yes", "--from-snapshot")
    assert first.exit_code == 0
    assert first.stderr.splitlines()[0] == f"Full read: no checkpoint in {SNAPSHOT} yet."
    assert first.stdout.splitlines()[-1] == "Verified: Auth0 matches the files."
    assert json.loads((project / SNAPSHOT).read_text())["live"]["organizations"]
    plan = run("plan", "--from-snapshot", "--detailed-exitcode")
    assert plan.stderr.splitlines()[0] == "Full read: the tenant log was empty at the last check."
    plan = run("plan", "--from-snapshot", "--detailed-exitcode")
    assert plan.exit_code == 0
    assert plan.stderr.splitlines()[0] == (
        "Incremental: 0 writes by others in the tenant log since the last check; "
        "0 organizations read again."
    )
    edit(project, ACME, "display_name: Acme Corp", "display_name: Acme")
    merge = run("apply", "--yes", "--from-snapshot")
    assert merge.exit_code == 0
    assert merge.stderr.splitlines()[0] == (
        "Incremental: 0 writes by others in the tenant log since the last check; "
        "1 organization read again."
    )
    assert "Applied: 1 done, 0 already so, 0 failed, 0 skipped." in merge.stdout
    drift = run("drift", "--incremental")
    assert drift.exit_code == 0
    assert "2 own writes" not in drift.stdout


def test_the_snapshot_file_can_be_named(run, project):
    assert run("plan", "--from-snapshot", "--snapshot", "kept/example.json").exit_code == 0
    assert (project / "kept" / "example.json").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("plan", "--snapshot", "x.json"), "--snapshot goes with --from-snapshot"),
        (
            ("plan", "--from-snapshot", "--org", "acme-corp"),
            "--from-snapshot plans every organization: drop --org",
        ),
        (
            ("plan", "--from-snapshot", "--changed-since", "HEAD"),
            "--from-snapshot plans every organization: drop --changed-since",
        ),
        (
            ("apply", "--yes", "--from-snapshot", "--shard", "1/2"),
            "--from-snapshot plans every organization: drop --shard",
        ),
    ],
)
def test_options_that_narrow_a_plan_from_the_snapshot_are_refused(run, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr == f"error: {message}\n"
