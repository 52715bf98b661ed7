"""File names are data too: a name with line breaks cannot forge error lines or close the
pull-request comment's code fence, and a link that loops is one error line naming it."""

from pathlib import Path

ORGS = Path("tenants/example/organizations")
FORGED = "x\nerror: none of this is real\n```\n<script>"


def test_a_file_name_with_line_breaks_stays_on_its_error_line(run, project):
    (project / ORGS / f"{FORGED}.yaml").write_text("name: not-the-file-name\n")
    result = run("validate")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    shown = "x\\u000aerror: none of this is real\\u000a```\\u000a<script>.yaml"
    assert lines == [
        f'{ORGS}/{shown}:1:7: name: must match the file name {shown} (got "not-the-file-name")'
    ]


def test_a_skipped_file_with_line_breaks_is_named_on_one_warning_line(run, project):
    (project / ORGS / f".{FORGED}.yaml").write_text("name: hidden\n")
    result = run("validate")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"warning: {ORGS}/.x\\u000aerror: none of this is real\\u000a```\\u000a<script>.yaml: "
        "skipped: names starting with . are not read"
    ]


def test_a_link_that_loops_is_one_error_line(run, project):
    (project / ORGS / "loop.yaml").symlink_to("loop.yaml")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr == f"{ORGS}/loop.yaml:1:1: is a link that loops: refused\n"


def test_a_roles_file_that_loops_is_refused_not_taken_for_no_file(run, project):
    roles = project / "tenants/example/roles.yaml"
    roles.unlink()
    roles.symlink_to("roles.yaml")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "tenants/example/roles.yaml:1:1: is a link that loops: refused"
    )


def test_an_organizations_folder_that_loops_is_refused_not_taken_for_none(run, project):
    folder = project / ORGS
    folder.rename(project / "elsewhere")
    folder.symlink_to("organizations")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr == f"{ORGS}:1:1: is a link that loops: refused\n"
