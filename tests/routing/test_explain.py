"""`explain_route`: where a login lands and why, as `reconciler route` prints it."""

from reconciler.routing import Login, explain_route, listed_memberships
from tests.routing.fixtures import tenant
from tests.unit.states import desired


def test_a_join_shows_the_organization_rule_roles_and_claims() -> None:
    login = Login("auth0|erin", "erin@acme.com", True, "Username-Password-Authentication")
    assert explain_route(tenant(), login) == [
        "login: user auth0|erin, email erin@acme.com (verified), "
        "connection Username-Password-Authentication",
        "organization: acme-corp (joins at this login)",
        "rule: email domain acme.com, priority 0 "
        "(tests/routing/tenant/organizations/acme-corp.yaml:7:19)",
        "roles granted on joining: member, admin",
        "ID and access token claims:",
        '  https://app.example/organization: "acme-corp"',
        '  https://app.example/roles: ["admin", "member"]',
    ]


def test_a_member_keeps_their_roles_and_other_candidates_are_listed() -> None:
    login = Login(
        "auth0|fred",
        "fred@eu.acme.com",
        True,
        memberships={"acme-corp": ["member"]},
    )
    assert explain_route(tenant(), login)[1:] == [
        "organization: acme-corp (already a member)",
        "rule: email domain *.acme.com, priority 0 "
        "(tests/routing/tenant/organizations/acme-corp.yaml:7:29)",
        "ID and access token claims:",
        '  https://app.example/organization: "acme-corp"',
        '  https://app.example/roles: ["member"]',
        "also admitted by acme-legacy (priority -1, email domain *.acme.com)",
    ]


def test_a_blocked_user_is_told_where_they_are_listed_absent() -> None:
    login = Login("auth0|mallory", "mallory@acme.com", True)
    assert explain_route(tenant(), login)[1:] == [
        "no organization: blocked in acme-corp",
        "  absent: true at tests/routing/tenant/organizations/acme-corp.yaml:12:5",
        "the Action adds no membership and sets no claims",
    ]


def test_an_unverified_email_is_the_reason_given() -> None:
    login = Login("auth0|erin", "erin@acme.com", False)
    assert explain_route(tenant(), login) == [
        "login: user auth0|erin, email erin@acme.com (not verified)",
        "no organization: email address not verified (email domain acme.com of acme-corp)",
        "the Action adds no membership and sets no claims",
    ]


def test_no_rule_is_the_reason_given() -> None:
    assert explain_route(tenant(), Login("auth0|x"))[1:] == [
        "no organization: no rule matches",
        "the Action adds no membership and sets no claims",
    ]


def test_without_a_namespace_there_are_no_claims() -> None:
    files = desired(
        {"name": "acme-corp", "routing": {"email_domains": ["acme.com"]}},
        tenant={"domain": "sandbox"},
    )
    lines = explain_route(files, Login("auth0|e", "e@acme.com", True))
    assert lines[-1] == "claims: none (tenant.yaml has no claims.namespace)"


def test_without_an_action_the_claims_are_what_it_would_set() -> None:
    files = desired(
        {"name": "acme-corp", "routing": {"email_domains": ["acme.com"]}},
        tenant={"domain": "sandbox", "claims": {"namespace": "https://app.example"}},
    )
    lines = explain_route(files, Login("auth0|e", "e@acme.com", True))
    assert lines[-3:] == [
        "claims (once tenant.yaml has an action section):",
        '  https://app.example/organization: "acme-corp"',
        "  https://app.example/roles: []",
    ]


def test_listed_memberships_are_the_members_the_files_list_with_their_roles() -> None:
    files = desired(
        {"name": "acme", "members": [{"email": "Erin@acme.com", "roles": ["admin"]}]},
        {"name": "beta", "members": [{"user_id": "auth0|erin"}]},
        {"name": "gamma", "members": [{"email": "erin@acme.com", "absent": True}]},
    )
    assert listed_memberships(files, "erin@ACME.com", "auth0|erin") == {
        "acme": ("admin",),
        "beta": (),
    }
    assert listed_memberships(files, "erin@acme.com") == {"acme": ("admin",)}
    lines = explain_route(
        files, Login("auth0|erin", memberships=listed_memberships(files, None, "auth0|erin"))
    )
    assert lines[0] == "login: user auth0|erin, member of beta (no roles)"
