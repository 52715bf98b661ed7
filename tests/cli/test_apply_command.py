"""`reconciler apply` as a user runs it: confirmation, saved plans, safety rails, exit codes."""

import json
import re
from pathlib import Path

from reconciler.config.tenant_id import TenantId
from reconciler.core.files import tenant_files_digest
from reconciler.core.journal import Journal
from reconciler.engine.planfile import read_plan_file
from tests.cli.conftest import edit, embedded_sandbox

ORGS = Path("tenants/example/organizations")


def api_writes(project: Path, run, *args: str, input: str | None = None):
    """Apply and return the result; the writes are counted from the sandbox's audit log."""
    before = len(embedded_sandbox(project).store.state.logs)
    result = run("apply", *args, input=input)
    return result, len(embedded_sandbox(project).store.state.logs) - before


def test_apply_without_a_terminal_or_yes_refuses_and_writes_nothing(run, project):
    result = run("apply")
    assert result.exit_code == 1
    assert result.stderr == "error: no terminal to confirm on: pass --yes to apply\n"
    assert run("plan").stdout.splitlines()[-1].startswith("Plan: 21 to add")


def test_apply_converges_and_a_second_apply_writes_nothing(run, project):
    result, writes = api_writes(project, run, "--yes")
    assert result.exit_code == 0
    assert writes == 21
    *_, applied, acme, beta, verified = result.stdout.splitlines()
    assert applied == "Applied: 21 done, 0 already so, 0 failed, 0 skipped."
    for org, domain, line in (("acme-corp", "acme.com", acme), ("beta-llc", "beta.io", beta)):
        path = f"POST /organizations/{{org:{org}}}/discovery-domains"
        record = rf"_ss-verification\.org_\w+\.{re.escape(domain)} with the value [0-9a-f]{{32}}"
        assert re.fullmatch(
            rf"  {org}: {re.escape(path)}: done: publish a TXT record at "
            rf"{record} to verify {re.escape(domain)}",
            line,
        )
    assert verified == "Verified: Auth0 matches the files."
    again, writes = api_writes(project, run, "--yes")
    assert again.exit_code == 0
    assert writes == 0
    assert again.stdout.splitlines()[-1] == "No changes."


def test_saved_plan_applies_when_nothing_changed(run, project):
    run("apply", "--yes")
    edit(project, f"{ORGS}/acme-corp.yaml", "display_name: Acme Corp", "display_name: Acme Inc")
    assert run("plan", "--out", "plan.json").exit_code == 0
    result, writes = api_writes(project, run, "plan.json")
    assert result.exit_code == 0, result.stderr
    assert writes == 1


def test_stale_saved_plan_is_refused_naming_what_changed(run, project):
    run("apply", "--yes")
    edit(project, f"{ORGS}/acme-corp.yaml", "display_name: Acme Corp", "display_name: Acme Inc")
    run("plan", "--out", "plan.json")
    sandbox = embedded_sandbox(project)
    org = sandbox.store.organization_by_name("acme-corp")
    sandbox.store.update_organization(org.id, {"metadata": {"owner": "someone"}})
    sandbox.save()
    result, writes = api_writes(project, run, "plan.json")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: the plan is stale: organization acme-corp changed since it was made; plan again\n"
    )
    assert writes == 0


EDITS = [
    ("acme-corp.yaml", "display_name: Acme Corp", "display_name: Acme Inc"),
    ("beta-llc.yaml", "display_name: Beta LLC", "display_name: Beta GmbH"),
    ("beta-llc.yaml", "show_as_button: true", "show_as_button: false"),
    (
        "acme-corp.yaml",
        "  - name: Username-Password-Authentication",
        "  - name: Username-Password-Authentication\n    show_as_button: false",
    ),
    (
        "beta-llc.yaml",
        "  - name: Username-Password-Authentication",
        "  - name: Username-Password-Authentication\n    show_as_button: false",
    ),
    ("acme-corp.yaml", "assign_membership_on_login: true", "assign_membership_on_login: false"),
]


def change(project: Path, count: int) -> None:
    """Change `count` of the example's 17 existing managed objects."""
    for name, old, new in EDITS[:count]:
        edit(project, f"{ORGS}/{name}", old, new)


def test_change_share_above_the_threshold_is_refused_without_force(run, project):
    run("apply", "--yes")
    change(project, 6)
    result, writes = api_writes(project, run, "--yes")
    assert result.exit_code == 1
    assert result.stderr == (
        "refused: the plan changes or deletes 6 of 17 existing managed objects (35.3%), "
        "more than policy.max_change_percent (30%) (pass --force to apply it anyway)\n"
    )
    assert writes == 0
    forced, writes = api_writes(project, run, "--yes", "--force")
    assert forced.exit_code == 0
    assert writes == 6


def test_change_share_at_or_below_the_threshold_is_applied(run, project):
    run("apply", "--yes")
    change(project, 4)
    result, writes = api_writes(project, run, "--yes")
    assert result.exit_code == 0, result.stderr
    assert writes == 4


def prune(project: Path) -> None:
    edit(
        project,
        "tenants/example/tenant.yaml",
        "prune_organizations: false",
        "prune_organizations: true",
    )
    sandbox = embedded_sandbox(project)
    sandbox.store.create_organization("old-customer")
    sandbox.store.create_organization("internal-staff")
    sandbox.save()


def writes_since(project: Path, before: int) -> list[tuple[str, str]]:
    """The writes the sandbox logged after the first `before`: (method, path)."""
    logs = embedded_sandbox(project).store.state.logs[before:]
    return [(e["details"]["request"]["method"], e["details"]["request"]["path"]) for e in logs]


def test_an_unapproved_deletion_waits_and_the_unrelated_changes_are_applied(run, project):
    run("apply", "--yes")
    prune(project)
    edit(project, str(ORGS / "beta-llc.yaml"), "display_name: Beta LLC", "display_name: Beta")
    sandbox = embedded_sandbox(project)
    before = len(sandbox.store.state.logs)
    beta = sandbox.store.organization_by_name("beta-llc").id
    result = run("apply", "--yes")
    assert result.exit_code == 1
    assert writes_since(project, before) == [("patch", f"/api/v2/organizations/{beta}")]
    assert (
        "warning: deleting organization old-customer waits for approval: approve it in the "
        "change that removes its file: list it under policy.approved_deletions in tenant.yaml "
        "(applying by hand: --allow-delete); the rest is applied, this is left out\n"
    ) in result.stderr
    assert result.stdout.splitlines()[-3:] == [
        "Verified: Auth0 matches the files, but for what waits for approval.",
        "Waiting for approval: 1 deletions, left out of this apply.",
        "  - organization old-customer: approve it in the change that removes its file: list "
        "it under policy.approved_deletions in tenant.yaml (applying by hand: --allow-delete)",
    ]
    names = {o.name for o in embedded_sandbox(project).store.state.organizations.values()}
    assert "old-customer" in names


def test_a_deletion_listed_in_policy_approved_deletions_is_applied(run, project):
    run("apply", "--yes")
    prune(project)
    edit(
        project,
        "tenants/example/tenant.yaml",
        "protected_organizations: [internal-staff]",
        "protected_organizations: [internal-staff]\n  approved_deletions: [old-customer]",
    )
    planned = run("plan")
    assert "Deletions approved (policy.approved_deletions): old-customer" in planned.stdout
    sandbox = embedded_sandbox(project)
    before = len(sandbox.store.state.logs)
    old = sandbox.store.organization_by_name("old-customer").id
    result = run("apply", "--yes")
    assert result.exit_code == 0, result.stderr
    assert writes_since(project, before) == [("delete", f"/api/v2/organizations/{old}")]
    assert result.stdout.splitlines()[-1] == "Verified: Auth0 matches the files."
    names = {o.name for o in embedded_sandbox(project).store.state.organizations.values()}
    assert names == {"acme-corp", "beta-llc", "internal-staff"}


def test_an_approval_of_an_organization_a_file_defines_is_an_error(run, project):
    edit(
        project,
        "tenants/example/tenant.yaml",
        "protected_organizations: [internal-staff]",
        "protected_organizations: [internal-staff]\n  approved_deletions: [beta-llc]",
    )
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr == (
        'tenants/example/tenant.yaml:12:24: policy.approved_deletions[0]: "beta-llc" is '
        "approved for deletion but tenants/example/organizations/beta-llc.yaml defines it: "
        "remove it from the list\n"
    )


def test_without_ci_the_flag_still_approves_a_deletion(run, project):
    run("apply", "--yes")
    prune(project)
    result, writes = api_writes(project, run, "--yes")
    assert result.exit_code == 1
    assert writes == 0
    allowed, writes = api_writes(project, run, "--yes", "--allow-delete")
    assert allowed.exit_code == 0, allowed.stderr
    assert writes == 1
    names = {o.name for o in embedded_sandbox(project).store.state.organizations.values()}
    assert names == {"acme-corp", "beta-llc", "internal-staff"}


def test_without_prune_policy_orgs_are_reported_not_deleted(run, project):
    run("apply", "--yes")
    sandbox = embedded_sandbox(project)
    sandbox.store.create_organization("old-customer")
    sandbox.save()
    result = run("plan")
    assert "Unmanaged organizations (in Auth0, in no file): old-customer" in result.stdout
    assert result.stdout.splitlines()[-1] == "No changes."


def test_at_a_terminal_apply_asks_and_no_means_nothing_is_written(run, project, monkeypatch):
    monkeypatch.setattr("reconciler.cli.apply_command.interactive", lambda: True)
    result, writes = api_writes(project, run, input="n\n")
    assert result.exit_code == 1
    assert "Apply these changes? [y/N]: n" in result.stdout
    assert result.stderr == "error: not applied\n"
    assert writes == 0
    confirmed, writes = api_writes(project, run, input="y\n")
    assert confirmed.exit_code == 0
    assert writes == 21


def test_saved_plan_with_org_applies_only_that_organization(run, project):
    run("apply", "--yes")
    edit(project, f"{ORGS}/acme-corp.yaml", "display_name: Acme Corp", "display_name: Acme Inc")
    edit(project, f"{ORGS}/beta-llc.yaml", "display_name: Beta LLC", "display_name: Beta GmbH")
    run("plan", "--out", "plan.json")
    result, writes = api_writes(project, run, "plan.json", "--org", "beta-llc")
    assert result.exit_code == 0, result.stderr
    assert writes == 1
    store = embedded_sandbox(project).store
    assert store.organization_by_name("beta-llc").display_name == "Beta GmbH"
    assert store.organization_by_name("acme-corp").display_name == "Acme Corp"
    assert "~ organization acme-corp" in run("plan").stdout


def test_saved_plan_with_an_org_it_does_not_change_is_refused(run, project):
    run("apply", "--yes")
    edit(project, f"{ORGS}/acme-corp.yaml", "display_name: Acme Corp", "display_name: Acme Inc")
    run("plan", "--out", "plan.json")
    result, writes = api_writes(project, run, "plan.json", "--org", "beta-llc")
    assert result.exit_code == 1
    assert result.stderr == ("error: the plan has no changes for beta-llc; plan again with --org\n")
    assert writes == 0


def test_saved_plan_for_another_tenant_is_refused(run, project):
    run("plan", "--out", "plan.json")
    document = json.loads((project / "plan.json").read_text())
    (project / "tenants" / "other").mkdir()
    for name in ("tenant.yaml", "sandbox.yaml"):
        source = project / "tenants" / "example" / name
        (project / "tenants" / "other" / name).write_text(source.read_text())
    result = run("apply", "--tenant", "other", "plan.json")
    assert result.exit_code == 1
    assert result.stderr == "error: the plan was made for tenant example, not other\n"
    assert document["tenant"] == "example"


def record_unfinished_apply(project: Path, run) -> Journal:
    """The record that an apply of the files as they are now started with the plan they give
    now and did not converge (as after a kill)."""
    assert run("plan", "--out", "approved.json").exit_code == 0
    approved = read_plan_file(project / "approved.json").plan
    journal = Journal.in_folder(project / ".reconciler", TenantId("example"), "embedded sandbox")
    journal.begin(tenant_files_digest(project / "tenants" / "example"), approved)
    return journal


def test_running_an_interrupted_apply_again_is_not_refused_as_a_large_change(run, project):
    run("apply", "--yes")
    change(project, 6)
    refused, writes = api_writes(project, run, "--yes")
    assert refused.exit_code == 1 and writes == 0
    journal = record_unfinished_apply(project, run)
    resumed, writes = api_writes(project, run, "--yes")
    assert resumed.exit_code == 0, resumed.stderr
    assert writes == 6
    assert not journal.path.exists()


def test_a_resume_that_changes_more_than_the_interrupted_apply_is_refused(run, project):
    run("apply", "--yes")
    change(project, 5)
    record_unfinished_apply(project, run)
    # Then Auth0 changed by hand: the files' plan now also puts this back.
    sandbox = embedded_sandbox(project)
    org = sandbox.store.organization_by_name("acme-corp")
    connection = sandbox.store.connection_by_name("acme-azure-ad")
    assert connection is not None
    sandbox.store.update_org_connection(
        org.id, connection["id"], {"assign_membership_on_login": False}, enabled_only=True
    )
    sandbox.save()
    result, writes = api_writes(project, run, "--yes")
    assert result.exit_code == 1
    assert result.stderr == (
        "refused: the plan changes or deletes 6 of 17 existing managed objects (35.3%), "
        "more than policy.max_change_percent (30%) (pass --force to apply it anyway)\n"
    )
    assert writes == 0
