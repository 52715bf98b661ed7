"""Rule details the vectors do not pin: settings, patterns' messages, the plan's admission."""

import pytest
from pydantic import ValidationError

from reconciler.model import ActionSettings, Member, Organization, Routing
from reconciler.model.patterns import PatternError, check_pattern
from reconciler.routing import Login
from reconciler.routing.admission import admission_reason, is_blocked
from reconciler.routing.rules import email_domain, org_rules, value_texts


def test_wildcards_are_not_discovery_domains() -> None:
    routing = Routing.model_validate({"email_domains": ["acme.com", "*.acme.com", "Acme.IO"]})
    assert routing.email_domains == ["acme.com", "*.acme.com", "acme.io"]
    assert routing.discovery_domains == ["acme.com", "acme.io"]


def test_the_action_secrets_must_have_distinct_names() -> None:
    with pytest.raises(ValidationError, match="must differ"):
        ActionSettings.model_validate({"domain_env": "X", "client_id_env": "X"})


def test_node18_is_refused_because_the_pinned_auth0_package_needs_node_20_19() -> None:
    with pytest.raises(ValidationError, match=r"node18 cannot run .* needs Node.js 20.19 or newer"):
        ActionSettings.model_validate({"runtime": "node18"})


def test_an_unknown_runtime_names_the_one_supported() -> None:
    with pytest.raises(ValidationError, match="node22"):
        ActionSettings.model_validate({"runtime": "python3"})


def test_the_action_defaults() -> None:
    settings = ActionSettings()
    assert (settings.name, settings.runtime, settings.auth0_version) == (
        "org-routing",
        "node22",
        "7.1.0",
    )
    assert settings.secret_names == (
        "ORG_ROUTING_DOMAIN",
        "ORG_ROUTING_CLIENT_ID",
        "ORG_ROUTING_CLIENT_SECRET",
    )


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("a$", 'at character 2: "$" is not supported'),
        ("a{,3}", "at character 2: write \\{ for a literal"),
        ("[a-\\d]", "at character 3: a range needs a single character on each side"),
        ("\\s+", "at character 1: \\s is not supported"),
        ("(a", 'at character 1: a group is not closed with ")"'),
    ],
)
def test_pattern_errors_say_where_and_what_to_write(pattern: str, message: str) -> None:
    with pytest.raises(PatternError) as raised:
        check_pattern(pattern)
    assert str(raised.value).startswith(message)


def test_email_domains_are_ascii_and_lowercased() -> None:
    assert email_domain("Erin@Eu.ACME.com") == "eu.acme.com"
    assert email_domain("a@b@acme.com") == "acme.com"
    assert email_domain("erin@ac\u0430me.com") is None
    assert email_domain("erin@") is None
    assert email_domain(None) is None


def test_values_compare_as_text() -> None:
    assert value_texts(["a", True, 3, 3.0, 2.5, None, {"x": 1}, ["y"]]) == [
        "a",
        "true",
        "3",
        "3",
    ]
    assert value_texts(2**53) == []


def test_a_login_needs_a_user_id() -> None:
    with pytest.raises(ValueError, match="user_id"):
        Login.from_user({"email": "x@acme.com"})


ACME = Organization.model_validate(
    {
        "name": "acme",
        "routing": {"email_domains": ["acme.com"]},
        "connections": [{"name": "acme-ad"}],
        "members": [{"email": "Mallory@acme.com", "absent": True}],
    }
)


def test_admission_uses_connection_flags_known_only_from_auth0() -> None:
    member = Member(user_id="waad|1", email="x@partner.example")
    assert admission_reason(member, ACME, {"waad": "acme-ad"}) == "connection acme-ad"
    assert admission_reason(member, ACME, {}) is None


def test_admission_never_keeps_a_member_listed_absent() -> None:
    member = Member(user_id="auth0|m", email="mallory@ACME.com")
    assert is_blocked(member, ACME)
    assert admission_reason(member, ACME, {}) is None
    assert admission_reason(Member(user_id="auth0|e", email="erin@acme.com"), ACME, {}) == (
        "email domain acme.com"
    )


def test_the_actions_own_record_cannot_route_users() -> None:
    spec = {"path": "app_metadata.org_routing.defaults_granted", "equals": "acme"}
    with pytest.raises(ValidationError, match="written by the post-login Action"):
        Routing.model_validate({"attributes": [spec]})


def test_an_organization_with_absent_entries_only_is_in_the_table_for_organization_logins() -> None:
    org = Organization.model_validate(
        {"name": "quiet", "members": [{"email": "mallory@acme.com", "absent": True}]}
    )
    rules = org_rules(org)
    assert (rules.has_rules, rules.in_table) == (False, True)
    assert rules.data()["listed"] == {"userIds": [], "emails": []}


def test_members_with_managed_roles_are_listed_only_where_newcomers_get_default_roles() -> None:
    members = [
        {"email": "Lee@acme.com", "roles": []},
        {"user_id": "waad|kim", "roles": ["admin"]},
        {"email": "unmanaged@acme.com"},
        {"email": "gone@acme.com", "absent": True},
    ]
    auto = [{"name": "acme-azure-ad", "assign_membership_on_login": True}]
    routing = {"default_roles": ["member"]}
    org = Organization.model_validate(
        {"name": "acme", "connections": auto, "routing": routing, "members": members}
    )
    assert org_rules(org).data()["listed"] == {"userIds": ["waad|kim"], "emails": ["lee@acme.com"]}
    without_auto_join = Organization.model_validate(
        {"name": "acme", "routing": routing, "members": members}
    )
    assert org_rules(without_auto_join).data()["listed"] == {"userIds": [], "emails": []}
