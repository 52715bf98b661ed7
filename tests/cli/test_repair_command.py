"""`reconciler repair-applications` as a user runs it after two applies raced: plan names the
copies and the command; the command deletes the copy nothing refers to, once confirmed."""

from pathlib import Path

from tests.cli.conftest import embedded_sandbox

COPY = "copy-of-reporting"


def add_copy(project: Path) -> str:
    """A second 'Reporting Service' that nothing refers to; returns the first one's id."""
    sandbox = embedded_sandbox(project)
    clients = sandbox.store.state.clients.values()
    (original,) = [c["client_id"] for c in clients if c["name"] == "Reporting Service"]
    sandbox.store.create_client("Reporting Service", "non_interactive", client_id=COPY)
    sandbox.save()
    return original


def writes(project: Path) -> int:
    return len(embedded_sandbox(project).store.state.logs)


def test_plan_names_the_copies_and_the_command_that_repairs_them(run, project):
    run("apply", "--yes")
    original = add_copy(project)
    result = run("plan")
    assert result.exit_code == 1
    first, second = sorted([COPY, original])
    shown = {COPY: "no references", original: "referenced: 1 client grant"}
    assert result.stderr.splitlines() == [
        "error: 2 applications in Auth0 are named 'Reporting Service', which "
        f"applications.yaml manages by name: {first} ({shown[first]}); "
        f"{second} ({shown[second]})",
        f"error: `reconciler repair-applications --tenant example` deletes {COPY} (the copies "
        "nothing refers to) after confirmation",
    ]


def test_the_repair_deletes_the_copy_once_confirmed(run, project):
    run("apply", "--yes")
    add_copy(project)
    before = writes(project)
    assert run("repair-applications").stderr == (
        "error: no terminal to confirm on: pass --yes to delete\n"
    )
    result = run("repair-applications", "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        f"  - delete {COPY}",
        "Applied: 1 done, 0 already so, 0 failed, 0 skipped.",
        "Verified: the copies nothing referred to are gone.",
    ]
    assert writes(project) == before + 1
    assert COPY not in embedded_sandbox(project).store.state.clients
    assert run("plan").stdout.splitlines()[-1] == "No changes."
    again = run("repair-applications", "--yes")
    assert (again.exit_code, again.stdout) == (
        0,
        "No application of applications.yaml is in Auth0 more than once.\n",
    )


def test_keep_must_name_a_copy(run, project):
    run("apply", "--yes")
    add_copy(project)
    before = writes(project)
    result = run("repair-applications", "--yes", "--keep", "no-such-client")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --keep no-such-client: not a copy of an application that Auth0 holds more "
        "than once\n"
    )
    assert writes(project) == before
