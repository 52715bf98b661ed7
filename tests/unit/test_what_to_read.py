"""What a read asks for follows from the files and from what was read before, decided without
any request (see docs/performance.md)."""

from dataclasses import replace
from types import SimpleNamespace

from reconciler.engine.endpoints import ENDPOINTS
from reconciler.model.live import LiveApplication, LiveClientGrant, Snapshot
from reconciler.resources.api_access import grant_applications
from reconciler.resources.apis import apis_to_check
from reconciler.resources.invitations import invitation_client_to_check
from reconciler.resources.registry import organization_lists, tenant_lists
from reconciler.resources.roles import roles_to_keep
from reconciler.resources.scope import scope_of
from reconciler.resources.users import emails_to_look_up, user_ids_to_check
from reconciler.resources.what_to_read import organizations_to_read
from tests.unit.states import desired, live_org, role, snapshot

API = "https://api.example"


def test_an_org_with_only_fields_needs_no_tenant_list_and_none_of_its_parts():
    scope = scope_of(desired({"name": "acme", "display_name": "Acme"}))
    assert tenant_lists(scope) == frozenset()
    assert organization_lists(scope.organizations["acme"]) == frozenset()


def test_members_read_the_org_s_enabled_connections_and_the_tenant_s_connections():
    scope = scope_of(desired({"name": "acme", "members": []}))
    assert tenant_lists(scope) == {ENDPOINTS.list_connections}
    assert organization_lists(scope.organizations["acme"]) == {
        ENDPOINTS.list_members,
        ENDPOINTS.list_enabled_connections,
        ENDPOINTS.list_invitations,
    }


def test_api_access_reads_applications_and_the_org_s_client_grants():
    access = {"application": "Backend", "api": API, "scopes": ["read"]}
    scope = scope_of(desired({"name": "acme", "api_access": [access]}))
    assert tenant_lists(scope) == {ENDPOINTS.list_applications}
    assert organization_lists(scope.organizations["acme"]) == {ENDPOINTS.list_organization_grants}


def test_a_renamed_org_is_read_under_whichever_of_its_names_exists():
    scope = scope_of(desired({"name": "acme", "previous_names": ["acme-old"]}, {"name": "globex"}))
    todo = organizations_to_read(scope, ["acme-old", "initech"])
    assert [(s.names[0], name) for s, name in todo] == [("acme", "acme-old")]


def test_roles_of_organizations_not_read_are_dropped_and_managed_ones_marked():
    scope = scope_of(
        desired(
            {"name": "acme", "roles": {"owner": {"permissions": {API: ["a"]}}}},
            roles={"admin": {"permissions": {API: ["a"]}}, "member": {"description": "M"}},
        )
    )
    roles = [
        SimpleNamespace(id="r1", name="admin", type=None, owner_id=None),
        SimpleNamespace(id="r2", name="member", type=None, owner_id=None),
        SimpleNamespace(id="r3", name="owner", type="organization", owner_id="org_acme"),
        SimpleNamespace(id="r4", name="owner", type="organization", owner_id="org_other"),
    ]
    kept = roles_to_keep(scope, roles, {"org_acme": "acme"})
    assert [(r.id, owner, managed) for r, owner, managed in kept] == [
        ("r1", None, True),
        ("r2", None, False),
        ("r3", "acme", True),
    ]


def test_only_emails_and_user_ids_of_people_not_yet_members_are_looked_up_once_each():
    members = [
        {"email": "Known@Acme.com"},
        {"email": "new@acme.com"},
        {"user_id": "auth0|1"},
        {"user_id": "auth0|2"},
    ]
    scope = scope_of(
        desired({"name": "acme", "members": members}, {"name": "globex", "members": members})
    )
    known = [{"user_id": "auth0|1", "email": "known@acme.com"}]
    read = snapshot(
        live_org({"name": "acme", "members": known}),
        live_org({"name": "globex", "members": known}),
    )
    assert emails_to_look_up(scope, read) == ["new@acme.com"]
    assert user_ids_to_check(scope, read) == ["auth0|2"]


def test_the_invitation_application_is_checked_only_when_an_invitation_would_be_sent():
    scope = scope_of(
        desired({"name": "acme", "members": [{"email": "new@acme.com", "invite": True}]})
    )
    acme = live_org({"name": "acme", "members": []})
    assert invitation_client_to_check(scope, snapshot(acme, users={"new@acme.com": "u"})) is None
    invited = live_org({"name": "acme", "members": []}, invitations=["new@acme.com"])
    assert (
        invitation_client_to_check(scope, snapshot(invited, users={"new@acme.com": None})) is None
    )
    assert invitation_client_to_check(scope, snapshot(acme, users={"new@acme.com": None})) == "app"


def test_grants_are_read_only_of_applications_that_exist_once():
    access = [
        {"application": "Backend", "api": API, "scopes": ["read"]},
        {"application": "Twice", "api": API, "scopes": ["read"]},
        {"application": "Gone", "api": API, "scopes": ["read"]},
    ]
    scope = scope_of(desired({"name": "acme", "api_access": access}))
    apps = {
        cid: LiveApplication(cid, name, {})
        for cid, name in [("c1", "Backend"), ("c2", "Twice"), ("c3", "Twice")]
    }
    assert grant_applications(scope, Snapshot(applications=apps)) == ["c1"]


def test_no_api_is_read_when_every_permission_and_grant_scope_is_there():
    scope = scope_of(
        desired(
            {"name": "acme", "api_access": [{"application": "B", "api": API, "scopes": ["r"]}]},
            roles={"admin": {"permissions": {API: ["a"]}}},
        )
    )
    read = snapshot(roles={"admin": role("r1", "admin", (API, "a"))})
    read.applications = {"c1": LiveApplication("c1", "B", {})}
    read.client_grants = {("c1", API): LiveClientGrant("g1", "c1", API, ("r",), None)}
    assert apis_to_check(scope, read) == []
    read.client_grants = {}
    assert apis_to_check(scope, read) == [[API]]


def test_apis_are_checked_ten_identifiers_a_request():
    apis = {f"https://api{i:02}.example": ["a"] for i in range(11)}
    scope = scope_of(desired({"name": "acme"}, roles={"admin": {"permissions": apis}}))
    chunks = apis_to_check(scope, snapshot(roles={"admin": role("r1", "admin")}))
    assert [len(chunk) for chunk in chunks] == [10, 1]
    assert [api for chunk in chunks for api in chunk] == sorted(apis)


def test_a_managed_action_reads_it_and_the_post_login_bindings():
    scope = replace(scope_of(desired({"name": "acme"})), action="Route organizations")
    assert tenant_lists(scope) == {ENDPOINTS.list_actions, ENDPOINTS.list_bindings}
