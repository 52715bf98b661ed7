"""A `domain: sandbox` tenant's sandbox.yaml: checked by `validate` like every other file, and
what plan, apply and drift seed the embedded sandbox from, read once with the tenant's files."""

import pytest

from reconciler.sandbox import Sandbox
from tests.cli.conftest import embedded_sandbox

WORLD = "tenants/example/sandbox.yaml"


def test_validate_reports_a_missing_sandbox_yaml_on_one_line(run, project):
    (project / WORLD).unlink()
    result = run("validate")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "tenants/example/sandbox.yaml: file not found: a tenant whose domain is sandbox needs one\n"
    )


def test_validate_reports_an_invalid_sandbox_yaml_at_its_place(run, project):
    (project / WORLD).write_text("users: 3\n", encoding="utf-8")
    result = run("validate")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "tenants/example/sandbox.yaml:1:8: users: must be a list (got 3)\n"


@pytest.mark.parametrize("command", [("plan",), ("apply", "--yes"), ("drift",)])
def test_a_missing_sandbox_yaml_stops_a_command_before_it_connects(run, project, command):
    (project / WORLD).unlink()
    result = run(*command)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "tenants/example/sandbox.yaml: file not found: a tenant whose domain is sandbox needs one\n"
    )
    assert not (project / ".sandbox").exists()


def test_apply_seeds_the_embedded_sandbox_from_the_world_the_loader_read(run, project, monkeypatch):
    def read_again(*args: object, **kwargs: object) -> Sandbox:
        raise AssertionError("sandbox.yaml read a second time")

    with monkeypatch.context() as patched:
        patched.setattr(Sandbox, "from_world_file", classmethod(read_again))
        result = run("apply", "--yes")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "Verified: Auth0 matches the files."
    sandbox = embedded_sandbox(project)
    assert not sandbox.world_changed
    assert sandbox.store.organization_by_name("acme-corp").display_name == "Acme Corp"
