"""What a plan reads follows from what the files manage (see docs/performance.md)."""

from reconciler.resources.scope import OrgScope, scope_of
from tests.unit.states import desired

API = "https://api.example"


def test_an_org_with_only_fields_reads_no_members_connections_or_domains():
    scope = scope_of(desired({"name": "acme", "display_name": "Acme"}))
    assert scope.organizations == {
        "acme": OrgScope(("acme",), False, False, False, (), ()),
    }
    assert (scope.needs_roles, scope.needs_connections) == (False, False)


def test_managed_connections_read_the_org_s_and_the_tenant_s_connections():
    scope = scope_of(desired({"name": "acme", "connections": []}))
    assert scope.organizations["acme"].connections
    assert scope.needs_connections


def test_managed_members_read_connections_too_for_the_auto_join_rules():
    scope = scope_of(desired({"name": "acme", "members": []}))
    org = scope.organizations["acme"]
    assert (org.members, org.connections) == (True, False)
    assert scope.needs_connections
    assert not scope.needs_roles


def test_discovery_domains_are_read_only_when_email_domains_are_set():
    without = scope_of(desired({"name": "acme", "routing": {"default_roles": ["member"]}}))
    with_domains = scope_of(desired({"name": "acme", "routing": {"email_domains": ["a.com"]}}))
    assert not without.organizations["acme"].domains
    assert with_domains.organizations["acme"].domains


def test_only_roles_with_managed_permissions_have_their_permissions_read():
    scope = scope_of(
        desired(
            {"name": "acme", "roles": {"owner": {"permissions": {API: ["a"]}}, "guest": {}}},
            roles={"admin": {"permissions": {API: ["a"]}}, "member": {"description": "M"}},
        )
    )
    assert scope.needs_roles
    assert scope.roles == frozenset({"admin"})
    assert scope.org_roles == frozenset({("acme", "owner")})


def test_member_roles_need_the_role_list():
    scope = scope_of(desired({"name": "acme", "members": [{"user_id": "u", "roles": []}]}))
    assert scope.needs_roles
    assert scope.roles == frozenset()


def test_emails_to_look_up_and_to_invite_are_collected_lowercased():
    scope = scope_of(
        desired(
            {
                "name": "acme",
                "members": [
                    {"email": "Bob@Acme.com"},
                    {"email": "new@acme.com", "invite": True},
                    {"user_id": "auth0|1", "email": "known@acme.com"},
                ],
            }
        )
    )
    org = scope.organizations["acme"]
    assert org.emails == ("bob@acme.com", "new@acme.com")
    assert org.invites == ("new@acme.com",)


def test_selected_orgs_are_looked_up_by_name_and_previous_names_not_listed():
    want = desired({"name": "acme", "previous_names": ["acme-old"]}, {"name": "beta"})
    assert scope_of(want).list_all
    only = scope_of(want, frozenset({"acme"}))
    assert not only.list_all
    assert list(only.organizations) == ["acme"]
    assert only.organizations["acme"].names == ("acme", "acme-old")
