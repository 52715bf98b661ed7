"""`reconciler route`: where a login lands under the example tenant's rules, worked out from
the files alone."""

from pathlib import Path

from tests.cli.conftest import Run, edit

CLAIMS = "https://projectmanager.example"


def test_a_listed_member_keeps_the_roles_the_files_give_and_no_target_is_contacted(
    run: Run, project: Path
) -> None:
    result = run("route", "alice@acme.com")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "login: email alice@acme.com (verified), member of acme-corp (admin)",
        "organization: acme-corp (already a member)",
        "rule: email domain acme.com, priority 0 "
        "(tenants/example/organizations/acme-corp.yaml:13:19)",
        "claims (once tenant.yaml has an action section):",
        f'  {CLAIMS}/organization: "acme-corp"',
        f'  {CLAIMS}/roles: ["admin"]',
    ]
    assert not (project / ".sandbox").exists()


def test_a_newcomer_joins_with_the_default_roles_once_the_action_is_managed(
    run: Run, project: Path
) -> None:
    edit(project, "tenants/example/tenant.yaml", "invitations:", "action: {}\ninvitations:")
    result = run("route", "ERIN@acme.com", "--user-id", "auth0|erin")
    assert result.stdout.splitlines() == [
        "login: user auth0|erin, email ERIN@acme.com (verified)",
        "organization: acme-corp (joins at this login)",
        "rule: email domain acme.com, priority 0 "
        "(tenants/example/organizations/acme-corp.yaml:13:19)",
        "roles granted on joining: member",
        "ID and access token claims:",
        f'  {CLAIMS}/organization: "acme-corp"',
        f'  {CLAIMS}/roles: ["member"]',
    ]


def test_an_unverified_email_is_why_nobody_is_routed(run: Run) -> None:
    result = run("route", "erin@acme.com", "--unverified")
    assert result.stdout.splitlines()[1:] == [
        "no organization: email address not verified (email domain acme.com of acme-corp)",
        "the Action adds no membership and sets no claims",
    ]


def test_a_connection_routes_whoever_logs_in_through_it(run: Run) -> None:
    result = run("route", "x@contoso.example", "--connection", "acme-azure-ad")
    assert result.stdout.splitlines()[1:3] == [
        "organization: acme-corp (joins at this login)",
        "rule: connection acme-azure-ad, priority 0 "
        "(tenants/example/organizations/acme-corp.yaml:9:5)",
    ]


def test_attributes_nest_and_a_repeated_key_is_a_list(run: Run, project: Path) -> None:
    edit(
        project,
        "tenants/example/organizations/beta-llc.yaml",
        "  email_domains: [beta.io]",
        "  email_domains: [beta.io]\n  attributes:\n    - {path: app_metadata.team.colour, "
        "in: [blue]}",
    )
    args = ("route", "x@other.example", "--attr", "app_metadata.team.colour=red")
    result = run(*args, "--attr", "app_metadata.team.colour=blue")
    assert result.stdout.splitlines()[1:3] == [
        "organization: beta-llc (joins at this login)",
        'rule: attribute app_metadata.team.colour in ["blue"], priority 0 '
        "(tenants/example/organizations/beta-llc.yaml:13:7)",
    ]
    assert "no rule matches" in run(*args).stdout


def test_a_member_listed_absent_is_blocked(run: Run, project: Path) -> None:
    edit(
        project,
        "tenants/example/organizations/acme-corp.yaml",
        "  - email: bob@acme.com\n",
        "  - email: bob@acme.com\n    absent: true\n",
    )
    result = run("route", "bob@acme.com")
    assert result.stdout.splitlines() == [
        "login: email bob@acme.com (verified)",
        "no organization: blocked in acme-corp",
        "  absent: true at tenants/example/organizations/acme-corp.yaml:23:5",
        "the Action adds no membership and sets no claims",
    ]


def test_a_malformed_attribute_is_one_error_line(run: Run) -> None:
    for bad, says in (
        ("team", "expected KEY=VALUE"),
        ("email=x@y.z", "'email': not one of user_metadata.KEY, app_metadata.KEY"),
        ("app_metadata=x", "'app_metadata': not one of"),
        ("user_id=auth0|1", "user_id: use --user-id"),
    ):
        result = run("route", "a@b.example", "--attr", bad)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.startswith("error: Invalid value for --attr: ")
        assert says in result.stderr


def test_a_login_through_another_organization_gets_that_organizations_claims(run: Run) -> None:
    result = run("route", "alice@acme.com", "--organization", "beta-llc")
    assert result.stdout.splitlines() == [
        "login: email alice@acme.com (verified), through organization beta-llc, "
        "member of acme-corp (admin)",
        "organization: beta-llc (the organization of the login; rules are not consulted)",
        "roles: those of the membership, as Auth0 gives them (no Management API call)",
        "note: the files do not list this user in beta-llc: Auth0 lets them log in through it "
        "only as a member, an invitee, or through a connection that assigns membership",
        "claims (once tenant.yaml has an action section):",
        f'  {CLAIMS}/organization: "beta-llc"',
        f"  {CLAIMS}/roles: []",
    ]


def test_an_auto_membership_newcomer_in_an_organization_login_gets_the_default_roles(
    run: Run,
) -> None:
    args = ("route", "x@contoso.example", "--connection", "acme-azure-ad")
    result = run(*args, "--organization", "acme-corp")
    assert result.stdout.splitlines()[1:4] == [
        "organization: acme-corp (added by Auth0 at this login; the Action gives the default "
        "roles)",
        "rule: connection acme-azure-ad, priority 0 "
        "(tenants/example/organizations/acme-corp.yaml:9:5)",
        "roles granted on joining: member",
    ]


def test_an_absent_user_in_an_organization_login_is_denied(run: Run, project: Path) -> None:
    edit(
        project,
        "tenants/example/organizations/beta-llc.yaml",
        "members:",
        "members:\n  - email: mallory@beta.io\n    absent: true",
    )
    result = run("route", "mallory@beta.io", "--organization", "beta-llc")
    assert result.stdout.splitlines()[1:] == [
        "no organization: blocked in beta-llc, the organization of the login",
        "  absent: true at tenants/example/organizations/beta-llc.yaml:13:5",
        "the Action denies the login (api.access.deny) and sets no claims",
    ]
