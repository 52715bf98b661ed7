"""`reconciler drift` as CI runs it: exit 2 on drift, 0 without, 1 on error."""

import json

from reconciler.sandbox import Sandbox
from tests.cli.conftest import edit, embedded_sandbox

TENANT = "tenants/example/tenant.yaml"


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
