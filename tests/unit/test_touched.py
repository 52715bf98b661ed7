"""The objects a logged write can have changed: every write entry of the endpoint table (the
only requests a plan can make, so that a new one fails here until it is mapped), the writes of
real plans with the ids and names they carry, and the writes of others (the dashboard,
scripts)."""

import ast
from pathlib import Path
from typing import Any

import pytest

import reconciler.engine
from reconciler.drift.touched import ORGANIZATION_PARTS, Kind, Touched, segments, touched_by
from reconciler.engine import Operation
from reconciler.engine.builder import PlanBuilder
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import OpKey, Ref
from reconciler.engine.plan import Phase, path_text
from reconciler.model.live import LiveDomain
from reconciler.resources import diff
from tests.unit.states import desired, live_org, role, snapshot

API = "https://api.example"
ORG_ID = "org_live"
NEW_ORG = "org_new"
NEW_ROLE = "rol_new"


def ids(value: Any) -> Any:
    """Refs to objects a plan creates replaced by the ids Auth0 would have given them."""
    if isinstance(value, Ref):
        return NEW_ORG if value.target.kind is Kind.ORGANIZATION else NEW_ROLE
    if isinstance(value, dict):
        return {k: ids(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [ids(v) for v in value]
    return value


def logged(op: Operation) -> tuple[Touched, ...]:
    """What the log event of this operation maps to, as Auth0 would log it."""
    return touched_by(op.method, "/api/v2" + path_text(tuple(ids(list(op.path)))), ids(op.body))


def cold_plan() -> tuple[Operation, ...]:
    """Everything created: tenant and org-owned roles with permissions, an organization with
    its connections, discovery domain, members with roles and an invitation."""
    want = desired(
        {
            "name": "acme",
            "display_name": "Acme",
            "connections": [{"name": "acme-azure-ad"}],
            "routing": {"email_domains": ["acme.com"]},
            "roles": {"owner": {"permissions": {API: ["write"]}}},
            "members": [
                {"user_id": "auth0|1", "roles": ["admin", "owner"]},
                {"email": "new@acme.com", "invite": True, "roles": ["admin"]},
            ],
        },
        roles={"admin": {"description": "Admin", "permissions": {API: ["read"]}}},
    )
    have = snapshot(users={"new@acme.com": None})
    have.users_by_id["auth0|1"] = True
    return diff(want, have).operations


def update_plan() -> tuple[Operation, ...]:
    """Everything changed or removed on an existing organization and role, and an
    unmanaged organization pruned."""
    want = desired(
        {
            "name": "acme",
            "display_name": "Acme",
            "connections": [
                {"name": "acme-azure-ad", "show_as_button": True},
                {"name": "google-oauth2"},
            ],
            "routing": {"email_domains": ["acme.com"]},
            "roles": {},
            "members": [
                {"user_id": "auth0|1", "roles": ["admin"]},
                {"user_id": "auth0|2", "roles": []},
                {"email": "inv@acme.com", "invite": True, "roles": ["admin"]},
            ],
        },
        roles={"admin": {"description": "New", "permissions": {API: ["read"]}}},
        tenant={
            "domain": "sandbox",
            "policy": {"prune_organizations": True},
            "invitations": {"client_id": "app", "inviter_name": "Team"},
        },
    )
    live = live_org(
        {
            "name": "acme",
            "display_name": "Old",
            "connections": [
                {"name": "acme-azure-ad"},
                {"name": "Username-Password-Authentication"},
            ],
            "members": [{"user_id": "auth0|1"}, {"user_id": "auth0|2"}, {"user_id": "auth0|3"}],
        },
        ORG_ID,
        role_ids={"auth0|2": {"rol_admin": "admin"}},
        domains=[
            LiveDomain("dom_1", "acme.com", "verified", False),
            LiveDomain("dom_2", "old.com", "verified", True),
        ],
        invitations=["inv@acme.com"],
    )
    have = snapshot(
        live,
        roles={"admin": role("rol_admin", "admin", (API, "write"))},
        org_roles={("acme", "old"): role("rol_old", "old", owner="acme")},
        others={"stray": "org_stray"},
    )
    return diff(want, have).operations


EXPECTED = {
    ("organization", "create"): Kind.ORGANIZATION,
    ("organization", "update"): Kind.ORGANIZATION,
    ("organization", "delete"): Kind.ORGANIZATION,
    ("connection", "add"): Kind.CONNECTIONS,
    ("connection", "update"): Kind.CONNECTIONS,
    ("connection", "remove"): Kind.CONNECTIONS,
    ("discovery domain", "add"): Kind.DISCOVERY_DOMAINS,
    ("discovery domain", "update"): Kind.DISCOVERY_DOMAINS,
    ("discovery domain", "remove"): Kind.DISCOVERY_DOMAINS,
    ("members", "add"): Kind.MEMBERS,
    ("members", "remove"): Kind.MEMBERS,
    ("member roles", "add"): Kind.MEMBER_ROLES,
    ("member roles", "remove"): Kind.MEMBER_ROLES,
    ("invitation", "send"): Kind.INVITATIONS,
    ("invitation", "replace"): Kind.INVITATIONS,
    ("invitation", "revoke"): Kind.INVITATIONS,
    ("role", "create"): Kind.ROLE,
    ("role", "update"): Kind.ROLE_DESCRIPTION,
    ("role", "add permissions"): Kind.PERMISSIONS,
    ("role", "remove permissions"): Kind.PERMISSIONS,
    ("role", "delete"): Kind.ROLE,
}
"""Each kind of organization and role operation and the object kind its log event must name
(every write entry of the endpoint table is in WRITES below)."""


def test_the_plans_below_make_every_kind_of_organization_and_role_operation():
    made = {(op.key.kind, op.key.verb) for op in cold_plan() + update_plan()}
    assert made == set(EXPECTED)


@pytest.mark.parametrize("op", cold_plan() + update_plan(), ids=lambda op: str(op.key))
def test_the_writes_of_real_plans_map_to_the_ids_and_names_they_carry(op: Operation):
    found = logged(op)
    kind = EXPECTED[(op.key.kind, op.key.verb)]
    matching = [t for t in found if t.kind is kind]
    assert matching, f"{op.method} {op.path_text}: {found}"
    assert Kind.TENANT not in {t.kind for t in found}
    touched = matching[0]
    if op.key.kind == "role":
        if op.key.verb == "create":
            assert touched.name == op.key.name
            assert touched.owner == (NEW_ORG if op.key.org else None)
        else:
            assert touched.id == ids(op.path[1])
    elif op.key.kind == "organization" and op.key.verb == "create":
        assert touched == Touched(Kind.ORGANIZATION, name="acme")
    else:
        assert touched.id == ids(op.path[1])


ENGINE = Path(reconciler.engine.__file__).parent
ID = "{id}"


def template(endpoint: Endpoint) -> str:
    """The entry's path with `{id}` for every parameter."""
    return "/" + "/".join(ID if part is None else part for part in endpoint.segments)


WRITES: dict[tuple[str, str], tuple[Any, list[tuple[Kind, str | None]]]] = {
    ("POST", "/organizations"): ({"name": "acme"}, [(Kind.ORGANIZATION, None)]),
    ("PATCH", "/organizations/{id}"): ({"display_name": "Acme"}, [(Kind.ORGANIZATION, "id1")]),
    ("DELETE", "/organizations/{id}"): (None, [(kind, "id1") for kind in ORGANIZATION_PARTS]),
    ("POST", "/organizations/{id}/enabled_connections"): ({}, [(Kind.CONNECTIONS, "id1")]),
    ("PATCH", "/organizations/{id}/enabled_connections/{id}"): ({}, [(Kind.CONNECTIONS, "id1")]),
    ("DELETE", "/organizations/{id}/enabled_connections/{id}"): (
        None,
        [(Kind.CONNECTIONS, "id1")],
    ),
    ("POST", "/organizations/{id}/discovery-domains"): ({}, [(Kind.DISCOVERY_DOMAINS, "id1")]),
    ("PATCH", "/organizations/{id}/discovery-domains/{id}"): (
        {},
        [(Kind.DISCOVERY_DOMAINS, "id1")],
    ),
    ("DELETE", "/organizations/{id}/discovery-domains/{id}"): (
        None,
        [(Kind.DISCOVERY_DOMAINS, "id1")],
    ),
    ("POST", "/organizations/{id}/members"): ({}, [(Kind.MEMBERS, "id1")]),
    ("DELETE", "/organizations/{id}/members"): ({}, [(Kind.MEMBERS, "id1")]),
    ("POST", "/organizations/{id}/members/{id}/roles"): ({}, [(Kind.MEMBER_ROLES, "id1")]),
    ("DELETE", "/organizations/{id}/members/{id}/roles"): ({}, [(Kind.MEMBER_ROLES, "id1")]),
    ("POST", "/organizations/{id}/invitations"): ({}, [(Kind.INVITATIONS, "id1")]),
    ("DELETE", "/organizations/{id}/invitations/{id}"): (None, [(Kind.INVITATIONS, "id1")]),
    ("POST", "/organizations/{id}/client-grants"): ({}, [(Kind.API_ACCESS, "id1")]),
    ("DELETE", "/organizations/{id}/client-grants/{id}"): (None, [(Kind.API_ACCESS, "id1")]),
    ("POST", "/organizations/{id}/clients"): ({}, [(Kind.ORGANIZATION_APPLICATIONS, "id1")]),
    ("PATCH", "/organizations/{id}/clients/{id}"): (
        {},
        [(Kind.ORGANIZATION_APPLICATIONS, "id1")],
    ),
    ("DELETE", "/organizations/{id}/clients"): ({}, [(Kind.ORGANIZATION_APPLICATIONS, "id1")]),
    ("POST", "/roles"): ({"name": "admin"}, [(Kind.ROLE, None)]),
    ("PATCH", "/roles/{id}"): ({"description": "Admin"}, [(Kind.ROLE_DESCRIPTION, "id1")]),
    ("DELETE", "/roles/{id}"): (None, [(Kind.ROLE, "id1"), (Kind.PERMISSIONS, "id1")]),
    ("POST", "/roles/{id}/permissions"): ({}, [(Kind.PERMISSIONS, "id1")]),
    ("DELETE", "/roles/{id}/permissions"): ({}, [(Kind.PERMISSIONS, "id1")]),
    ("POST", "/clients"): ({"name": "App"}, [(Kind.APPLICATION, None)]),
    ("PATCH", "/clients/{id}"): ({}, [(Kind.APPLICATION, "id1")]),
    ("DELETE", "/clients/{id}"): (  # repair-applications
        None,
        [
            (Kind.APPLICATION, "id1"),
            (Kind.API_ACCESS, None),
            (Kind.ORGANIZATION_APPLICATIONS, None),
        ],
    ),
    ("POST", "/client-grants"): ({}, [(Kind.CLIENT_GRANT, None)]),
    ("PATCH", "/client-grants/{id}"): ({}, [(Kind.CLIENT_GRANT, "id1")]),
    ("POST", "/connections"): ({"name": "acme-sso"}, [(Kind.ENTERPRISE_CONNECTION, None)]),
    ("PATCH", "/connections/{id}"): ({}, [(Kind.ENTERPRISE_CONNECTION, "id1")]),
    ("DELETE", "/connections/{id}"): (None, [(Kind.TENANT, None)]),
    ("PATCH", "/connections/{id}/clients"): ([], [(Kind.CONNECTION_CLIENTS, "id1")]),
    ("POST", "/self-service-profiles"): ({"name": "customers"}, [(Kind.SSO_PROFILE, None)]),
    ("PATCH", "/self-service-profiles/{id}"): ({}, [(Kind.SSO_PROFILE, "id1")]),
    ("POST", "/self-service-profiles/{id}/sso-ticket"): (
        {},
        [(Kind.ENTERPRISE_CONNECTION, None)],
    ),
    ("POST", "/self-service-profiles/{id}/sso-ticket/{id}/revoke"): (
        None,
        [(Kind.SSO_PROFILE, "id1")],
    ),
    ("POST", "/actions/actions"): ({}, [(Kind.ACTION, None)]),
    ("PATCH", "/actions/actions/{id}"): ({}, [(Kind.ACTION, None)]),
    ("POST", "/actions/actions/{id}/deploy"): (None, [(Kind.ACTION, None)]),
    ("PATCH", "/actions/triggers/{id}/bindings"): ({}, [(Kind.ACTION, None)]),
}
"""Every write entry of the endpoint table, the body it sends where that matters, and the objects
its log event maps to (`id1`: the first id in the path)."""


def test_every_write_entry_of_the_endpoint_table_has_a_mapping_here():
    assert {(e.verb.value, template(e)) for e in ENDPOINTS.writes} == set(WRITES)


@pytest.mark.parametrize("endpoint", ENDPOINTS.writes, ids=str)
def test_every_write_entry_names_the_kinds_it_touches(endpoint: Endpoint):
    assert endpoint.touches
    # Deleting a connection deletes its users, who may be members of any organization.
    if endpoint is not ENDPOINTS.delete_connection:
        assert Kind.TENANT not in {t.kind for t in endpoint.touches}


@pytest.mark.parametrize("op", cold_plan() + update_plan(), ids=lambda op: str(op.key))
def test_every_operation_of_a_plan_is_a_request_to_an_entry_of_the_table(op: Operation):
    found = ENDPOINTS.write_at(op.method, segments(path_text(tuple(ids(list(op.path))))))
    assert found is not None, f"{op.method} {op.path_text}"
    assert found[0].settle is op.settle or op.key.verb == "replace"


def test_the_plan_builder_makes_requests_only_to_write_entries():
    with pytest.raises(ValueError, match=r"a plan only writes: GET /organizations/\{id\}/members"):
        PlanBuilder().call(
            ENDPOINTS.list_members, OpKey("acme", "members", "1", "add"), Phase.MEMBERS_ADD, "o"
        )
    with pytest.raises(ValueError, match="2 path parameters, 1 given"):
        PlanBuilder().call(
            ENDPOINTS.add_member_roles,
            OpKey("acme", "member roles", "u", "add"),
            Phase.MEMBER_ROLES,
            "o",
        )


def test_only_the_plan_builder_makes_operations_so_every_write_is_an_entry():
    making = {
        source.name
        for source in ENGINE.glob("*.py")
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Operation"
    }
    assert making == {"builder.py", "planfile.py"}  # planfile: plans read back from files


@pytest.mark.parametrize(("method", "path"), sorted(WRITES), ids=" ".join)
def test_each_write_the_engine_can_plan_maps_to_the_objects_it_changes(method: str, path: str):
    numbered = iter(range(1, path.count(ID) + 1))
    concrete = "/api/v2" + "/".join(
        f"id{next(numbered)}" if part == ID else part for part in path.split("/")
    )
    body, expected = WRITES[method, path]
    assert [(t.kind, t.id) for t in touched_by(method, concrete, body)] == expected


def test_deleting_an_organization_touches_all_of_it():
    assert touched_by("DELETE", "/api/v2/organizations/org_1") == tuple(
        Touched(kind, "org_1") for kind in ORGANIZATION_PARTS
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("PATCH", "/api/v2/organizations/org_1", {"name": "new"}, [("organization", "org_1")]),
        ("POST", "/api/v2/organizations", None, [("organization", None)]),
        ("POST", "/api/v2/organizations/org_1/connections", {}, [("connections", "org_1")]),
        (
            "DELETE",
            "/api/v2/organizations/org_1/connections/con_1",
            None,
            [("connections", "org_1")],
        ),
        ("POST", "/api/v2/organizations/org_1/client-grants", {}, [("api access", "org_1")]),
        (
            "DELETE",
            "/api/v2/organizations/org_1/clients",
            {"clients": ["abc"]},
            [("organization applications", "org_1")],
        ),
        (
            "POST",
            "/api/v2/organizations/org_1/something-new",
            {},
            [(k, "org_1") for k in ORGANIZATION_PARTS],
        ),
        ("PATCH", "/api/v2/roles/rol_1", {"name": "boss"}, [("role", "rol_1")]),
        ("PATCH", "/api/v2/roles/rol_1", {"description": "x"}, [("role description", "rol_1")]),
        ("PATCH", "/api/v2/roles/rol_1", None, [("role", "rol_1"), ("role description", "rol_1")]),
        ("DELETE", "/api/v2/roles/rol_1", None, [("role", "rol_1"), ("permissions", "rol_1")]),
        ("POST", "/api/v2/roles/rol_1/users", {"users": ["auth0|1"]}, []),
        ("PATCH", "/api/v2/users/auth0%7C1", {"email": "a@b.c"}, [("user", "auth0|1")]),
        ("PATCH", "/api/v2/users/auth0%7C1", {"name": "Ann"}, [("user", "auth0|1")]),
        ("PATCH", "/api/v2/users/auth0%7C1", {"app_metadata": {}}, []),
        ("PATCH", "/api/v2/users/auth0%7C1", None, [("user", "auth0|1")]),
        ("DELETE", "/api/v2/users/auth0%7C1", None, [("user", "auth0|1")]),
        ("POST", "/api/v2/users", {"email": "a@b.c"}, []),
        ("POST", "/api/v2/users/auth0%7C1/roles", {"roles": ["rol_1"]}, []),
        ("POST", "/api/v2/users/auth0%7C1/identities", {"user_id": "2"}, [("tenant", None)]),
        ("DELETE", "/api/v2/users/auth0%7C1/identities/google-oauth2/2", None, [("tenant", None)]),
        ("PATCH", "/api/v2/resource-servers/rs_1", {"scopes": []}, [("permissions", None)]),
        (
            "DELETE",
            "/api/v2/resource-servers/rs_1",
            None,
            [("permissions", None), ("api access", None)],
        ),
        ("POST", "/api/v2/resource-servers", {"identifier": "x"}, []),
        ("DELETE", "/api/v2/connections/con_1", None, [("tenant", None)]),
        (
            "PATCH",
            "/api/v2/connections/con_1",
            {"options": {}},
            [("enterprise connection", "con_1")],
        ),
        ("POST", "/api/v2/connections", {"name": "x"}, [("enterprise connection", None)]),
        ("POST", "/api/v2/jobs/users-imports", None, [("tenant", None)]),
        ("POST", "/api/v2/jobs/verification-email", {}, []),
        ("PATCH", "/api/v2/actions/actions/act_1", {}, [("action", None)]),
        ("POST", "/api/v2/actions/actions/act_1/deploy", None, [("action", None)]),
        ("PATCH", "/api/v2/actions/triggers/post-login/bindings", {}, [("action", None)]),
        ("PATCH", "/api/v2/clients/abc", {}, [("application", "abc")]),
        (
            "DELETE",
            "/api/v2/clients/abc",
            None,
            [("application", "abc"), ("api access", None), ("organization applications", None)],
        ),
        ("POST", "/api/v2/client-grants", {"client_id": "abc"}, [("client grant", None)]),
        ("PATCH", "/api/v2/client-grants/cgr_1", {"scope": []}, [("client grant", "cgr_1")]),
        (
            "DELETE",
            "/api/v2/client-grants/cgr_1",
            None,
            [("client grant", "cgr_1"), ("api access", None)],
        ),
        ("PATCH", "/api/v2/tenants/settings", {}, []),
        ("POST", "/api/v2/tickets/password-change", {}, []),
        ("POST", "/api/v2/some-new-api", {}, [("tenant", None)]),
    ],
)
def test_writes_of_others_map_to_what_they_can_change(method, path, body, expected):
    assert [(t.kind.value, t.id) for t in touched_by(method, path, body)] == expected


def test_a_created_organization_or_role_is_named_from_the_request_body():
    assert touched_by("POST", "/api/v2/organizations", {"name": "acme"}) == (
        Touched(Kind.ORGANIZATION, name="acme"),
    )
    assert touched_by("POST", "/api/v2/roles", {"name": "r", "owner_id": "org_1"}) == (
        Touched(Kind.ROLE, name="r", owner="org_1"),
    )


def test_paths_are_read_without_prefix_query_or_percent_encoding():
    assert segments("/api/v2/organizations/org_1/members/auth0%7C1/roles?x=1") == [
        "organizations",
        "org_1",
        "members",
        "auth0|1",
        "roles",
    ]
    assert touched_by("POST", "/organizations/org_1/members/auth0%7C1/roles") == (
        Touched(Kind.MEMBER_ROLES, "org_1"),
    )
