"""Plan refuses every reference Auth0 would reject at apply: one `file:line:col` line each,
exit 1, and nothing written."""

from pathlib import Path

import pytest

from tests.cli.conftest import edit, embedded_sandbox

ACME = "tenants/example/organizations/acme-corp.yaml"
BETA = "tenants/example/organizations/beta-llc.yaml"
ROLES = "tenants/example/roles.yaml"
TENANT = "tenants/example/tenant.yaml"
API = "https://api.projectmanager.example"


def writes(project: Path) -> int:
    return len(embedded_sandbox(project).store.state.logs)


CASES = {
    "permission typo in a tenant role": (
        [
            (
                ROLES,
                "[projects:read, projects:write, members:manage]",
                "[projects:read, projects:reed, members:manage]",
            )
        ],
        f"{ROLES}:6:59: unknown permission 'projects:reed': {API} defines billing:manage, "
        "members:manage, projects:read, projects:write",
    ),
    "unknown API in a tenant role": (
        [
            (
                ROLES,
                f"      {API}: [projects:read]\n",
                "      https://api.typo.example: [projects:read]\n",
            )
        ],
        f"{ROLES}:10:7: unknown API 'https://api.typo.example': "
        "no API (resource server) has this identifier",
    ),
    "permission typo in an org-owned role": (
        [(ACME, "members:manage, billing:manage]", "members:manage, billing:manag]")],
        f"{ACME}:19:91: unknown permission 'billing:manag': {API} defines billing:manage, "
        "members:manage, projects:read, projects:write",
    ),
    "member user id that does not exist": (
        [(ACME, 'user_id: "google-oauth2|1093"', 'user_id: "google-oauth2|9999"')],
        f"{ACME}:24:14: no Auth0 user has the id 'google-oauth2|9999'",
    ),
    "invitation application that does not exist": (
        [(TENANT, "client_id: ProjectManager ", "client_id: no-such-app ")],
        f"{TENANT}:18:14: no application has the client_id 'no-such-app': invitations need one",
    ),
    "invitation connection that does not exist": (
        [
            (
                TENANT,
                "inviter_name: ProjectManager",
                "inviter_name: ProjectManager\n  connection: nope",
            )
        ],
        f"{TENANT}:20:15: unknown connection 'nope': "
        "no connection of that name exists in the tenant",
    ),
    "invitation connection not enabled for the org": (
        [
            (
                TENANT,
                "inviter_name: ProjectManager",
                "inviter_name: ProjectManager\n  connection: beta-okta",
            )
        ],
        f"{ACME}:27:13: invitations use the connection 'beta-okta', which is not enabled for this "
        "organization: add it to `connections`",
    ),
    "API access scope that the API does not define": (
        [(ACME, "scopes: [projects:read]", "scopes: [projects:raed]")],
        f"{ACME}:32:14: unknown scope 'projects:raed': {API} defines billing:manage, "
        "members:manage, projects:read, projects:write",
    ),
    "API access to an unknown API": (
        [(ACME, f"api: {API}", "api: https://api.typo.example")],
        f"{ACME}:31:10: unknown API 'https://api.typo.example': "
        "no API (resource server) has this identifier",
    ),
    "API access of an unknown application": (
        [(ACME, "application: Reporting Service", "application: Reporting Servic")],
        f"{ACME}:30:18: unknown application 'Reporting Servic': no application of that name "
        "in applications.yaml or in Auth0",
    ),
    "an organization's application that does not exist": (
        [(BETA, "members:", "applications: [ProjectManager, Billing]\nmembers:")],
        f"{BETA}:12:32: unknown application 'Billing': no application of that name "
        "in applications.yaml or in Auth0",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_reference_is_a_plan_error_with_its_place_and_no_write(run, project, case):
    edits, expected = CASES[case]
    for path, old, new in edits:
        edit(project, path, old, new)
    before = writes(project)
    planned = run("plan")
    assert planned.exit_code == 1
    assert planned.stderr == expected + "\n"
    applied = run("apply", "--yes")
    assert applied.exit_code == 1
    assert applied.stderr == expected + "\n"
    assert writes(project) == before


def test_a_permission_already_on_the_role_costs_no_api_read(run, project):
    assert run("apply", "--yes").exit_code == 0
    sandbox = embedded_sandbox(project)
    sandbox.reset_calls()
    sandbox.save()
    result = run("plan", "--format", "json")
    assert result.exit_code == 0
    assert '"api_calls": 0' in result.stdout
