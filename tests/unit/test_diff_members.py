"""Members: matching, just-in-time admission, batching, roles and invitations."""

import pytest

from reconciler.engine import Action, PlanErrors
from reconciler.engine.identity import ObjectKey, OpKey, Ref
from reconciler.engine.plan import display_body
from reconciler.model.live import LiveDomain
from reconciler.resources import diff
from tests.unit.states import desired, live_org, role, snapshot

ADMIN = role("rol_admin", "admin")
MEMBER = role("rol_member", "member")
TENANT_ROLES = {"admin": {}, "member": {}}
LIVE_ROLES = {"admin": ADMIN, "member": MEMBER}


def org(members, **extra):
    return {"name": "acme-corp", "members": members, **extra}


def calls(plan):
    return [(op.method, op.path_text, display_body(op.body)) for op in plan.operations]


def live(members, **kwargs):
    return live_org({"name": "acme-corp", "members": members}, "org_1", **kwargs)


def test_member_matched_by_email_case_insensitively_is_unchanged():
    want = desired(org([{"email": "Alice@Acme.com"}]))
    have = live([{"user_id": "auth0|a", "email": "alice@acme.com"}])
    assert diff(want, snapshot(have)).operations == ()


def test_member_matched_by_user_id():
    want = desired(org([{"user_id": "google-oauth2|1093"}]))
    have = live([{"user_id": "google-oauth2|1093", "email": "dana@acme.com"}])
    assert diff(want, snapshot(have)).operations == ()


def test_new_members_are_added_in_batches_of_ten():
    emails = [f"user{i:02d}@acme.com" for i in range(23)]
    want = desired(org([{"email": e} for e in emails]))
    users = {e: f"auth0|{i}" for i, e in enumerate(emails)}
    plan = diff(want, snapshot(live([]), users=users))
    assert [(m, p, len(b["members"])) for m, p, b in calls(plan)] == [
        ("POST", "/organizations/org_1/members", 10),
        ("POST", "/organizations/org_1/members", 10),
        ("POST", "/organizations/org_1/members", 3),
    ]
    assert sum(r.action is Action.CREATE for r in plan.rows) == 23


def test_batch_size_is_a_setting():
    want = desired(org([{"user_id": f"auth0|{i}"} for i in range(5)]))
    plan = diff(want, snapshot(live([])), member_batch=2)
    assert len(plan.operations) == 3


def test_member_added_with_roles_gets_one_role_call_after_its_batch():
    want = desired(org([{"user_id": "auth0|a", "roles": ["admin", "member"]}]), roles=TENANT_ROLES)
    plan = diff(want, snapshot(live([]), roles=LIVE_ROLES))
    assert calls(plan) == [
        ("POST", "/organizations/org_1/members", {"members": ["auth0|a"]}),
        (
            "POST",
            "/organizations/org_1/members/auth0%7Ca/roles",
            {"roles": ["rol_admin", "rol_member"]},
        ),
    ]
    assert plan.operations[1].depends_on == (OpKey("acme-corp", "members", "1", "add"),)


def test_member_roles_absent_are_unmanaged():
    want = desired(org([{"user_id": "auth0|a"}]), roles=TENANT_ROLES)
    have = live([{"user_id": "auth0|a"}], role_ids={"auth0|a": {"rol_admin": "admin"}})
    assert diff(want, snapshot(have, roles=LIVE_ROLES)).operations == ()


def test_member_roles_are_added_and_removed_one_call_per_direction():
    want = desired(org([{"user_id": "auth0|a", "roles": ["member"]}]), roles=TENANT_ROLES)
    have = live([{"user_id": "auth0|a"}], role_ids={"auth0|a": {"rol_admin": "admin"}})
    plan = diff(want, snapshot(have, roles=LIVE_ROLES))
    assert calls(plan) == [
        ("POST", "/organizations/org_1/members/auth0%7Ca/roles", {"roles": ["rol_member"]}),
        ("DELETE", "/organizations/org_1/members/auth0%7Ca/roles", {"roles": ["rol_admin"]}),
    ]
    assert plan.rows[0].fields[0].before == ["admin"]
    assert plan.rows[0].fields[0].after == ["member"]


def test_org_owned_role_shadows_the_tenant_role_of_the_same_name():
    want = desired(
        org([{"user_id": "auth0|a", "roles": ["admin"]}], roles={"admin": {}}),
        roles=TENANT_ROLES,
    )
    own_admin = role("rol_acme_admin", "admin", owner="acme-corp")
    plan = diff(
        want,
        snapshot(live([]), roles=LIVE_ROLES, org_roles={("acme-corp", "admin"): own_admin}),
    )
    assert calls(plan)[-1][2] == {"roles": ["rol_acme_admin"]}


def test_member_of_a_new_org_waits_for_the_org_and_for_a_new_org_role():
    want = desired(org([{"user_id": "auth0|a", "roles": ["lead"]}], roles={"lead": {}}))
    plan = diff(want, snapshot())
    assert [(op.method, op.path_text) for op in plan.operations] == [
        ("POST", "/organizations"),
        ("POST", "/roles"),
        ("POST", "/organizations/{org:acme-corp}/members"),
        ("POST", "/organizations/{org:acme-corp}/members/auth0%7Ca/roles"),
    ]
    assert plan.operations[1].body == {
        "name": "lead",
        "type": "organization",
        "owner_id": Ref(ObjectKey.organization("acme-corp")),
    }
    assert plan.operations[3].body == {"roles": [Ref(ObjectKey.role("lead", "acme-corp"))]}
    assert set(plan.operations[3].depends_on) == {
        OpKey("acme-corp", "members", "1", "add"),
        OpKey("acme-corp", "role", "lead", "create"),
    }


def test_unknown_role_is_an_error_naming_the_file():
    want = desired(org([{"user_id": "auth0|a", "roles": ["owner"]}]))
    with pytest.raises(PlanErrors) as caught:
        diff(want, snapshot(live([])))
    assert str(caught.value) == (
        "organizations/acme-corp.yaml:2:1: unknown role 'owner': "
        "define it in roles.yaml or in this organization's roles"
    )


def test_unlisted_member_is_removed_under_exact_policy():
    want = desired(org([{"user_id": "auth0|a"}]))
    have = live([{"user_id": "auth0|a"}, {"user_id": "auth0|b", "email": "b@other.com"}])
    plan = diff(want, snapshot(have))
    assert calls(plan) == [("DELETE", "/organizations/org_1/members", {"members": ["auth0|b"]})]
    assert plan.rows[-1].action is Action.DELETE


def test_member_added_by_email_rule_is_kept():
    want = desired(org([], routing={"email_domains": ["acme.com"]}))
    have = live(
        [{"user_id": "auth0|e", "email": "erin@ACME.com"}],
        domains=[LiveDomain("dd_1", "acme.com", "verified", True)],
    )
    plan = diff(want, snapshot(have))
    assert plan.operations == ()
    assert [(r.action, r.name, r.note) for r in plan.rows] == [
        (Action.KEEP, "erin@ACME.com", "admitted: email domain acme.com")
    ]


def test_member_from_auto_join_connection_is_kept():
    want = desired(
        org([], connections=[{"name": "acme-azure-ad", "assign_membership_on_login": True}])
    )
    have = live_org(
        {
            "name": "acme-corp",
            "members": [{"user_id": "waad|xyz", "email": "x@partner.com"}],
            "connections": [{"name": "acme-azure-ad", "assign_membership_on_login": True}],
        },
        "org_1",
    )
    plan = diff(want, snapshot(have))
    assert plan.operations == ()
    assert plan.rows[0].note == "admitted: connection acme-azure-ad"


def test_additive_policy_never_removes():
    want = desired(org([], members_policy="additive"))
    have = live([{"user_id": "auth0|b"}])
    assert diff(want, snapshot(have)).operations == ()


def test_empty_member_list_removes_everyone_not_admitted():
    want = desired(org([]))
    have = live([{"user_id": f"auth0|{i}"} for i in range(12)])
    plan = diff(want, snapshot(have))
    assert [len(b["members"]) for _, _, b in calls(plan)] == [10, 2]


def test_members_absent_are_unmanaged():
    have = live([{"user_id": "auth0|b"}])
    assert diff(desired({"name": "acme-corp"}), snapshot(have)).operations == ()


def test_email_with_no_user_and_no_invite_is_an_error():
    want = desired(org([{"email": "ghost@acme.com"}]))
    with pytest.raises(PlanErrors, match=r"no Auth0 user has the email 'ghost@acme\.com'"):
        diff(want, snapshot(live([]), users={"ghost@acme.com": None}))


def test_invited_member_gets_an_invitation_with_roles():
    want = desired(
        org([{"email": "new@acme.com", "invite": True, "roles": ["member"]}]), roles=TENANT_ROLES
    )
    plan = diff(want, snapshot(live([]), roles=LIVE_ROLES, users={"new@acme.com": None}))
    assert calls(plan) == [
        (
            "POST",
            "/organizations/org_1/invitations",
            {
                "inviter": {"name": "Team"},
                "invitee": {"email": "new@acme.com"},
                "client_id": "app",
                "ttl_sec": 0,
                "send_invitation_email": True,
                "roles": ["rol_member"],
            },
        )
    ]


def test_pending_invitation_counts_as_present():
    want = desired(org([{"email": "new@acme.com", "invite": True}]))
    have = live([], invitations=["new@acme.com"])
    plan = diff(want, snapshot(have, users={"new@acme.com": None}))
    assert plan.operations == ()
    assert plan.rows[0].action is Action.KEEP


def test_invited_user_who_exists_is_added_not_invited():
    want = desired(org([{"email": "new@acme.com", "invite": True}]))
    plan = diff(want, snapshot(live([]), users={"new@acme.com": "auth0|n"}))
    assert calls(plan) == [("POST", "/organizations/org_1/members", {"members": ["auth0|n"]})]


def test_pending_invitation_for_an_unlisted_email_is_revoked_under_exact_policy():
    want = desired(org([{"user_id": "auth0|a"}]))
    have = live([{"user_id": "auth0|a"}], invitations=["gone@acme.com"])
    plan = diff(want, snapshot(have))
    path = "/organizations/org_1/invitations/uinv_gone%40acme.com"
    assert calls(plan) == [("DELETE", path, None)]
    assert [(r.action, r.kind, r.name) for r in plan.rows] == [
        (Action.DELETE, "invitation", "gone@acme.com")
    ]


def test_pending_invitation_for_an_unlisted_email_stays_under_additive_policy():
    want = desired(org([{"user_id": "auth0|a"}], members_policy="additive"))
    have = live([{"user_id": "auth0|a"}], invitations=["later@acme.com"])
    assert diff(want, snapshot(have)).operations == ()


def test_pending_invitation_with_the_same_roles_is_kept():
    want = desired(
        org([{"email": "new@acme.com", "invite": True, "roles": ["member"]}]), roles=TENANT_ROLES
    )
    have = live(
        [], invitations=["new@acme.com"], invitation_roles={"new@acme.com": ("rol_member",)}
    )
    plan = diff(want, snapshot(have, roles=LIVE_ROLES, users={"new@acme.com": None}))
    assert plan.operations == ()


def test_invitation_whose_roles_changed_is_replaced_new_one_first():
    want = desired(
        org([{"email": "new@acme.com", "invite": True, "roles": ["admin"]}]), roles=TENANT_ROLES
    )
    have = live(
        [], invitations=["new@acme.com"], invitation_roles={"new@acme.com": ("rol_member",)}
    )
    plan = diff(want, snapshot(have, roles=LIVE_ROLES, users={"new@acme.com": None}))
    assert [(m, p) for m, p, _ in calls(plan)] == [
        ("POST", "/organizations/org_1/invitations"),
        ("DELETE", "/organizations/org_1/invitations/uinv_new%40acme.com"),
    ]
    send, revoke = plan.operations
    assert revoke.depends_on == (send.key,)
    [row] = plan.rows
    assert (row.action, row.fields[0].before, row.fields[0].after) == (
        Action.UPDATE,
        ["member"],
        ["admin"],
    )


def member_calls(plan):
    return [call for call in calls(plan) if "/members" in call[1]]


def member_rows(plan):
    return [(r.action, r.name, r.note) for r in plan.rows if r.kind == "member"]


def test_member_admitted_by_a_wildcard_domain_is_kept():
    want = desired(org([], routing={"email_domains": ["*.acme.com"]}))
    have = live([{"user_id": "auth0|f", "email": "fred@eu.acme.com"}])
    plan = diff(want, snapshot(have))
    assert member_calls(plan) == []
    assert member_rows(plan) == [
        (Action.KEEP, "fred@eu.acme.com", "admitted: email domain *.acme.com")
    ]


def test_wildcard_domain_does_not_keep_the_apex_domain():
    want = desired(org([], routing={"email_domains": ["*.acme.com"]}))
    have = live([{"user_id": "auth0|e", "email": "erin@acme.com"}])
    assert member_calls(diff(want, snapshot(have))) == [
        ("DELETE", "/organizations/org_1/members", {"members": ["auth0|e"]})
    ]


def test_member_admitted_by_an_attribute_rule_on_the_user_id_is_kept():
    rule = {"path": "user_id", "matches": "google-oauth2\\|[0-9]+"}
    want = desired(org([], routing={"attributes": [rule]}))
    have = live([{"user_id": "google-oauth2|1093"}, {"user_id": "auth0|b"}])
    plan = diff(want, snapshot(have))
    assert calls(plan) == [("DELETE", "/organizations/org_1/members", {"members": ["auth0|b"]})]
    assert member_rows(plan) == [
        (Action.DELETE, "auth0|b", None),
        (
            Action.KEEP,
            "google-oauth2|1093",
            'admitted: attribute user_id matches "google-oauth2\\\\|[0-9]+"',
        ),
    ]


def test_absent_member_is_removed():
    want = desired(org([{"user_id": "auth0|a"}, {"user_id": "auth0|m", "absent": True}]))
    have = live([{"user_id": "auth0|a"}, {"user_id": "auth0|m"}])
    plan = diff(want, snapshot(have))
    assert calls(plan) == [("DELETE", "/organizations/org_1/members", {"members": ["auth0|m"]})]
    assert [(r.action, r.name) for r in plan.rows] == [(Action.DELETE, "auth0|m")]


def test_absent_member_is_removed_even_under_additive_policy():
    want = desired(org([{"email": "Mallory@Acme.com", "absent": True}], members_policy="additive"))
    have = live([{"user_id": "auth0|m", "email": "mallory@acme.com"}, {"user_id": "auth0|b"}])
    plan = diff(want, snapshot(have))
    assert calls(plan) == [("DELETE", "/organizations/org_1/members", {"members": ["auth0|m"]})]


def test_absent_member_is_never_kept_by_a_routing_rule():
    want = desired(
        org(
            [{"email": "mallory@acme.com", "absent": True}],
            routing={"email_domains": ["acme.com"]},
        )
    )
    have = live(
        [
            {"user_id": "auth0|m", "email": "mallory@acme.com"},
            {"user_id": "auth0|e", "email": "erin@acme.com"},
        ],
        domains=[LiveDomain("dd_1", "acme.com", "verified", True)],
    )
    plan = diff(want, snapshot(have))
    assert calls(plan) == [("DELETE", "/organizations/org_1/members", {"members": ["auth0|m"]})]
    assert [(r.action, r.name) for r in plan.rows] == [
        (Action.KEEP, "erin@acme.com"),
        (Action.DELETE, "mallory@acme.com"),
    ]


def test_absent_user_who_is_not_a_member_needs_nothing():
    want = desired(org([{"email": "ghost@acme.com", "absent": True}]))
    plan = diff(want, snapshot(live([]), users={"ghost@acme.com": None}))
    assert plan.operations == ()
    assert plan.rows == ()
