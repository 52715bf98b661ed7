"""`import` writes only inside the tenant directory: every path is checked before anything is
written (links resolved), and a refused one is one error line naming it, with nothing written."""

from pathlib import Path

from tests.cli.conftest import embedded_sandbox
from tests.cli.test_import_command import hand_made

ORGS = Path("tenants/example/organizations")
ROLES = Path("tenants/example/roles.yaml")


def test_a_symlinked_organizations_folder_is_refused_before_anything_is_written(run, project):
    hand_made(run, project)
    roles_before = (project / ROLES).read_text()
    outside = project / "outside"
    outside.mkdir()
    (project / ORGS).rename(project / "organizations-before")
    (project / ORGS).symlink_to(outside)
    result = run("import", "--org", "hand-made")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {ORGS}/hand-made.yaml: leads outside the tenant directory "
        "(to outside/hand-made.yaml) through a link: refused\n"
    )
    assert list(outside.iterdir()) == []
    assert (project / ROLES).read_text() == roles_before


def test_a_dangling_roles_link_is_refused_before_anything_is_written(run, project):
    hand_made(run, project)
    outside = project / "outside"
    outside.mkdir()
    (project / ROLES).unlink()
    (project / ROLES).symlink_to(outside / "roles.yaml")
    result = run("import", "--org", "hand-made")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{ROLES}:1:1: is a link to a file outside the tenant directory: refused\n"
    )
    assert list(outside.iterdir()) == []
    assert not (project / ORGS / "hand-made.yaml").exists()


def test_a_link_inside_the_tenant_is_written_through(run, project):
    hand_made(run, project)
    shared = project / "tenants/example/shared"
    shared.mkdir()
    (project / ROLES).rename(shared / "roles.yaml")
    (project / ROLES).symlink_to(Path("shared/roles.yaml"))
    result = run("import", "--org", "hand-made")
    assert result.exit_code == 0, result.stderr
    assert (project / ROLES).is_symlink()
    added = "  support:\n    description: Support desk\n"
    assert (shared / "roles.yaml").read_text().endswith(added)


def test_import_all_of_a_live_name_no_file_can_hold_is_one_error_line(run, project):
    assert run("apply", "--yes").exit_code == 0
    sandbox = embedded_sandbox(project)
    sandbox.store.create_organization("Made By Hand", "Hand")
    sandbox.save()
    result = run("import", "--all")
    assert result.exit_code == 1
    assert result.stderr == (
        'error: the organization "Made By Hand" in Auth0 has a name no file can hold '
        '(1..50 lowercase letters, digits, "-" or "_"): import the others with --org\n'
    )
    assert sorted(p.name for p in (project / ORGS).iterdir()) == ["acme-corp.yaml", "beta-llc.yaml"]


def test_an_org_name_that_is_no_file_name_is_refused_before_reading(run, project):
    result = run("import", "--org", "../../outside")
    assert result.exit_code == 1
    assert result.stderr == (
        'error: --org "../../outside": not an organization name '
        '(1..50 lowercase letters, digits, "-" or "_")\n'
    )
