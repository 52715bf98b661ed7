"""A plan file is data: whatever it says is checked again at apply, and anything the files
and Auth0 do not call for now is refused with nothing written."""

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reconciler.engine.planfile import _checksum
from tests.cli.conftest import edit, embedded_sandbox

ORGS = "tenants/example/organizations"


def writes(project: Path) -> int:
    return len(embedded_sandbox(project).store.state.logs)


def tamper(project: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Edit plan.json and seal it again, as someone who knows the format would."""
    path = project / "plan.json"
    document = json.loads(path.read_text())
    change(document)
    content = {k: v for k, v in document.items() if k not in ("format", "checksum")}
    document["checksum"] = _checksum(content)
    path.write_text(json.dumps(document))


@pytest.fixture
def planned(run, project):
    """The example applied, then one change planned into plan.json."""
    assert run("apply", "--yes").exit_code == 0
    edit(project, f"{ORGS}/acme-corp.yaml", "display_name: Acme Corp", "display_name: Acme Inc")
    assert run("plan", "--out", "plan.json").exit_code == 0
    return embedded_sandbox(project)


def org_id(sandbox, name: str) -> str:
    return sandbox.store.organization_by_name(name).id


def add_operation(path: list[str], method: str = "DELETE", org: str | None = None):
    def change(document: dict[str, Any]) -> None:
        op = dict(document["operations"][0])
        op.update(
            {
                "method": method,
                "path": path,
                "body": None,
                "key": {"org": org, "kind": "member", "name": "y", "verb": "delete"},
            }
        )
        document["operations"].append(op)

    return change


CASES: dict[str, Callable[[Any], Callable[[dict[str, Any]], None]]] = {
    "delete a user": lambda sb: add_operation(["users", "auth0|someone"]),
    "delete an application": lambda sb: add_operation(["clients", "projectmanager-spa"]),
    "delete an org with no organization named": lambda sb: add_operation(
        ["organizations", org_id(sb, "beta-llc")]
    ),
    "patch another org's id": lambda sb: (
        lambda doc: doc["operations"][0].update({"path": ["organizations", org_id(sb, "beta-llc")]})
    ),
    "move an operation to another phase": lambda sb: (
        lambda doc: doc["operations"][0].update({"phase": "ORG_DELETES", "method": "DELETE"})
    ),
    "empty the fingerprints and add a delete": lambda sb: (
        lambda doc: (
            doc.update({"fingerprints": []}),
            add_operation(["organizations", org_id(sb, "beta-llc")], org="beta-llc")(doc),
        )
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_tampered_plan_is_refused_with_nothing_written(run, project, planned, case):
    tamper(project, CASES[case](planned))
    before = writes(project)
    result = run("apply", "plan.json")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the plan does not match the files and Auth0: ")
    assert writes(project) == before
    assert embedded_sandbox(project).store.organization_by_name("acme-corp").display_name == (
        "Acme Corp"
    )


def test_a_plan_from_another_directory_of_the_same_tenant_name_is_refused(run, project, planned):
    other = project / "elsewhere" / "example"
    shutil.copytree(project / "tenants" / "example", other)
    edit(project, "elsewhere/example/organizations/beta-llc.yaml", "Beta LLC", "Beta Other")
    result = run("apply", "--tenant", str(other), "plan.json")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: the plan was made from other files (they changed since, or this is another "
        "directory of tenant example); plan again\n"
    )


def test_the_change_share_rail_is_computed_from_live_state_not_the_file(run, project):
    assert run("apply", "--yes").exit_code == 0
    edit(project, "tenants/example/tenant.yaml", "max_change_percent: 30", "max_change_percent: 5")
    edit(project, f"{ORGS}/acme-corp.yaml", "display_name: Acme Corp", "display_name: Acme Inc")
    assert run("plan", "--out", "plan.json").exit_code == 0
    document = json.loads((project / "plan.json").read_text())
    assert "existing" not in document
    before = writes(project)
    result = run("apply", "plan.json")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stderr.startswith("refused: the plan changes or deletes 1 of ")
    assert writes(project) == before


def edit_row(document: dict[str, Any]) -> None:
    (row,) = [r for r in document["rows"] if r["kind"] == "organization"]
    row["fields"][0]["after"] = "Acme Corp (nothing else changes)"


def hide_row(document: dict[str, Any]) -> None:
    document["rows"] = [r for r in document["rows"] if r["kind"] != "organization"]


def add_unmanaged(document: dict[str, Any]) -> None:
    document["unmanaged_organizations"].append("ghost-co")


SHOW_CASES = {
    "a row's value edited": (
        edit_row,
        "the row acme-corp: ~ organization acme-corp is not what they give now",
    ),
    "a row hidden": (hide_row, "the row acme-corp: ~ organization acme-corp is missing"),
    "an unmanaged organization added": (
        add_unmanaged,
        "the unmanaged organization ghost-co is not in Auth0",
    ),
}


@pytest.mark.parametrize("case", SHOW_CASES)
def test_show_refuses_a_resealed_plan_whose_rows_are_not_what_its_changes_do(
    run, project, planned, case
):
    change, difference = SHOW_CASES[case]
    tamper(project, change)
    result = run("show", "plan.json", "--format", "markdown")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"error: the plan does not match the files and Auth0: {difference}\n"


def test_show_renders_a_plan_it_checked_against_the_files_and_auth0(run, project, planned):
    result = run("show", "plan.json")
    assert result.exit_code == 0, result.stderr
    assert '      display_name: "Acme Corp" -> "Acme Inc"' in result.stdout.splitlines()
