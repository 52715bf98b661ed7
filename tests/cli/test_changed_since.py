"""`plan --changed-since REF` in a Git repository: only the organizations whose files changed
are read and planned; a tenant-wide file plans everything."""

import json
import subprocess

import pytest

from tests.cli.conftest import edit

ORGS = "tenants/example/organizations"


def git(project, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)


@pytest.fixture
def repo(run, project):
    """The example applied and committed as `base` in a fresh repository."""
    assert run("apply", "--yes").exit_code == 0
    (project / ".gitignore").write_text(".sandbox/\n")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    git(project, "tag", "base")
    return project


def plan_since(run, *args: str):
    return run("plan", "--changed-since", "base", "--format", "json", *args)


def test_a_modified_org_file_plans_and_reads_only_that_org(run, repo):
    edit(repo, f"{ORGS}/beta-llc.yaml", "display_name: Beta LLC", "display_name: Beta Inc")
    result = plan_since(run)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [org["name"] for org in document["organizations"]] == ["beta-llc"]
    by_name = json.loads(run("plan", "--org", "beta-llc", "--format", "json").stdout)
    assert document["read_calls"] == by_name["read_calls"]
    everything = json.loads(run("plan", "--format", "json").stdout)
    assert document["read_calls"] < everything["read_calls"]


def test_an_added_org_file_plans_its_creation(run, repo):
    (repo / ORGS / "gamma.yaml").write_text("name: gamma\ndisplay_name: Gamma\n")
    result = plan_since(run)
    assert result.exit_code == 0, result.stderr
    assert '"action": "create"' in result.stdout
    assert '"name": "gamma"' in result.stdout
    assert '"name": "beta-llc"' not in result.stdout


def test_a_deleted_org_file_reports_the_org_as_unmanaged(run, repo):
    (repo / ORGS / "beta-llc.yaml").unlink()
    result = plan_since(run)
    assert result.exit_code == 0, result.stderr
    assert '"unmanaged_organizations": [\n    "beta-llc"\n  ]' in result.stdout
    assert '"name": "acme-corp"' not in result.stdout


def test_a_renamed_org_file_plans_both_names(run, repo):
    git(repo, "mv", f"{ORGS}/beta-llc.yaml", f"{ORGS}/beta-inc.yaml")
    edit(
        repo,
        f"{ORGS}/beta-inc.yaml",
        "name: beta-llc",
        "name: beta-inc\nprevious_names: [beta-llc]",
    )
    git(repo, "add", "-A")
    result = plan_since(run)
    assert result.exit_code == 0, result.stderr
    assert '"name": "beta-inc"' in result.stdout
    assert (
        '"field": "name",\n              "before": "beta-llc",\n              "after": "beta-inc"'
        in (result.stdout)
    )
    assert '"unmanaged_organizations": []' in result.stdout


def test_a_tenant_wide_file_plans_everything(run, repo):
    edit(repo, "tenants/example/roles.yaml", "Workspace member", "Project member")
    result = plan_since(run)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    everything = json.loads(run("plan", "--format", "json").stdout)
    assert document["read_calls"] == everything["read_calls"]
    assert document["organizations"] == everything["organizations"]
    assert [org["name"] for org in document["organizations"]] == [None, "acme-corp", "beta-llc"]


def test_an_unknown_revision_is_one_error_line(run, repo):
    result = run("plan", "--changed-since", "no-such-ref")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --changed-since no-such-ref: not a revision of this repository\n"
    )


def test_org_and_changed_since_do_not_go_together(run, repo):
    result = run("plan", "--org", "acme-corp", "--changed-since", "base")
    assert result.exit_code == 1
    assert result.stderr == "error: --org and --changed-since cannot be used together\n"


def test_a_removed_block_and_a_line_routing_keeps_are_notes_not_silence(run, repo):
    acme = repo / ORGS / "acme-corp.yaml"
    text = acme.read_text()
    acme.write_text(text[: text.index("api_access:")].replace("  - email: bob@acme.com\n", ""))
    result = run("plan", "--base", "base")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[2:6] == [
        "Organization acme-corp",
        "  = member bob@acme.com  (admitted: email domain acme.com)",
        "  = organization acme-corp  (api_access removed: now unmanaged, its client grants stay "
        "associated; to remove them, write api_access: [])",
        "",
    ]
    assert result.stdout.splitlines()[-1] == "No changes."
    comment = run("plan", "--base", "base", "--format", "markdown").stdout
    assert "> Kept as they are (nothing changes):" in comment


def test_a_file_renamed_without_previous_names_gets_a_hint(run, repo):
    beta = repo / ORGS / "beta-llc.yaml"
    (repo / ORGS / "beta-inc.yaml").write_text(beta.read_text().replace("beta-llc", "beta-inc"))
    beta.unlink()
    git(repo, "add", "-A")
    result = run("plan", "--changed-since", "base")
    assert result.exit_code == 0, result.stderr
    assert (
        "  = organization beta-inc  (planned as a new organization, beta-llc left unmanaged: "
        "if it is beta-llc renamed, add previous_names: [beta-llc] to its file)"
    ) in result.stdout.splitlines()
