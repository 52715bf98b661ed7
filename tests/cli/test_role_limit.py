"""A plan whose role creates would pass the 1,000 roles Auth0 lets a tenant hold (roles no
file manages counted) is a plan error at roles.yaml, before anything is written."""

from reconciler.model.roles import MAX_TENANT_ROLES
from tests.cli.conftest import embedded_sandbox


def _unmanaged_roles(project, count: int) -> None:
    sandbox = embedded_sandbox(project)
    for number in range(count):
        sandbox.store.create_role(f"legacy-{number}", "Made by hand")
    sandbox.save()


def test_role_creates_past_the_tenant_limit_are_a_plan_error(run, project):
    # The example creates 3 roles: admin and member, and acme-corp's own admin.
    _unmanaged_roles(project, MAX_TENANT_ROLES - 2)
    result = run("apply", "--yes")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "tenants/example/roles.yaml:2:1: the tenant holds 998 roles and the plan creates 3 and "
        "deletes 0: that is 1,001, more than the 1,000 roles Auth0 lets a tenant hold"
    ]
    sandbox = embedded_sandbox(project)
    assert len(sandbox.store.state.roles) == MAX_TENANT_ROLES - 2
    assert sandbox.store.state.organizations == {}


def test_role_creates_up_to_the_tenant_limit_are_planned(run, project):
    _unmanaged_roles(project, MAX_TENANT_ROLES - 3)
    result = run("plan")
    assert result.exit_code == 0, result.stderr
