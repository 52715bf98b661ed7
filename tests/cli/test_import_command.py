"""`reconciler import` as a user runs it after making an organization in the dashboard."""

from pathlib import Path

from reconciler.sandbox import OrgConnection, Sandbox
from tests.cli.conftest import embedded_sandbox

ORGS = Path("tenants/example/organizations")
ROLES = Path("tenants/example/roles.yaml")


def hand_made(run, project) -> Sandbox:
    """The example applied, then `hand-made` created by hand with a new tenant role."""
    assert run("apply", "--yes").exit_code == 0
    sandbox = embedded_sandbox(project)
    store = sandbox.store
    org = store.create_organization("hand-made", "Hand Made", metadata={"tier": "gold"})
    google = store.connection_by_name("google-oauth2")
    assert google is not None
    store.link_connection(org.id, OrgConnection(google["id"], assign_membership_on_login=True))
    support = store.create_role("support", "Support desk")
    carol = store.users_by_email("carol@beta.io")[0]["user_id"]
    store.add_members(org.id, [carol])
    store.assign_member_roles(org.id, carol, [support.id])
    sandbox.save()
    return sandbox


def test_import_writes_the_org_and_its_role_and_plan_shows_no_changes(run, project):
    hand_made(run, project)
    roles_before = (project / ROLES).read_text()
    result = run("import", "--org", "hand-made")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        f"created {ORGS}/hand-made.yaml",
        f"extended {ROLES}",
    ]
    roles_after = (project / ROLES).read_text()
    assert roles_after == roles_before + "  support:\n    description: Support desk\n"
    plan = run("plan", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout
    assert run("drift").exit_code == 0


def test_import_never_overwrites_without_force(run, project):
    hand_made(run, project)
    assert run("import", "--org", "hand-made").exit_code == 0
    path = project / ORGS / "hand-made.yaml"
    path.write_text(path.read_text() + "# my notes\n")
    again = run("import", "--org", "hand-made")
    assert again.exit_code == 1
    assert again.stderr == (
        "error: a file already describes hand-made: pass --force to overwrite it from Auth0\n"
    )
    assert path.read_text().endswith("# my notes\n")
    forced = run("import", "--org", "hand-made", "--force")
    assert forced.exit_code == 0
    assert forced.stdout.splitlines()[0] == f"overwritten {ORGS}/hand-made.yaml"
    assert not path.read_text().endswith("# my notes\n")


def test_import_all_takes_every_unmanaged_org_and_nothing_when_none_is_left(run, project):
    hand_made(run, project)
    assert run("import", "--all").exit_code == 0
    assert (project / ORGS / "hand-made.yaml").exists()
    again = run("import", "--all")
    assert again.exit_code == 0
    assert again.stdout == "Nothing to import: the files describe every organization and role.\n"


def test_import_of_an_org_auth0_lacks_is_an_error(run, project):
    run("apply", "--yes")
    result = run("import", "--org", "nowhere")
    assert result.exit_code == 1
    assert result.stderr == "error: no organization named nowhere in Auth0\n"
    assert not (project / ORGS / "nowhere.yaml").exists()


def test_import_needs_org_or_all(run, project):
    result = run("import")
    assert result.exit_code == 1
    assert result.stderr == "error: pass --org NAME (repeatable) or --all\n"
