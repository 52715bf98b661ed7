"""Organization fields, connections, discovery domains, renames and pruning."""

import pytest

from reconciler.engine import Action, PlanErrors
from reconciler.engine.identity import ObjectKey
from reconciler.engine.plan import display_body
from reconciler.model.live import LiveDomain
from reconciler.resources import diff
from tests.unit.states import desired, live_org, snapshot

ACME = {"name": "acme-corp", "display_name": "Acme Corp"}


def calls(plan):
    return [(op.method, op.path_text, display_body(op.body)) for op in plan.operations]


def test_new_org_is_created_with_its_connections_in_one_call():
    want = desired(
        {
            **ACME,
            "connections": [
                {"name": "acme-azure-ad", "assign_membership_on_login": True},
                {"name": "Username-Password-Authentication"},
            ],
        }
    )
    plan = diff(want, snapshot())
    assert calls(plan) == [
        (
            "POST",
            "/organizations",
            {
                "name": "acme-corp",
                "display_name": "Acme Corp",
                "enabled_connections": [
                    {"connection_id": "con_aad", "assign_membership_on_login": True},
                    {"connection_id": "con_db"},
                ],
            },
        )
    ]
    assert plan.operations[0].creates == ObjectKey.organization("acme-corp")
    assert plan.summary.create == 1
    assert plan.summary.api_calls == 1


def test_unchanged_org_plans_nothing():
    plan = diff(desired(ACME), snapshot(live_org(ACME)))
    assert plan.operations == ()
    assert not plan.summary.changes


def test_display_name_change_patches_only_that_field():
    plan = diff(desired(ACME), snapshot(live_org({**ACME, "display_name": "ACME"})))
    assert calls(plan) == [("PATCH", "/organizations/org_acme-corp", {"display_name": "Acme Corp"})]
    assert plan.summary.update == 1


def test_absent_field_is_unmanaged():
    plan = diff(desired({"name": "acme-corp"}), snapshot(live_org(ACME)))
    assert plan.operations == ()


def test_metadata_key_set_to_null_is_removed_and_others_kept():
    want = desired({**ACME, "metadata": {"plan": "enterprise", "trial": None}})
    have = live_org({**ACME, "metadata": {"plan": "enterprise", "trial": "yes", "app": "x"}})
    plan = diff(want, snapshot(have))
    assert calls(plan) == [
        (
            "PATCH",
            "/organizations/org_acme-corp",
            {"metadata": {"plan": "enterprise", "app": "x", "trial": None}},
        )
    ]


def test_metadata_unlisted_key_is_left_alone_in_merge_mode():
    want = desired({**ACME, "metadata": {"plan": "enterprise"}})
    have = live_org({**ACME, "metadata": {"plan": "enterprise", "app": "x"}})
    assert diff(want, snapshot(have)).operations == ()


def test_metadata_exact_mode_removes_unlisted_keys():
    want = desired({**ACME, "metadata": {"plan": "enterprise"}, "metadata_mode": "exact"})
    have = live_org({**ACME, "metadata": {"plan": "enterprise", "app": "x"}})
    plan = diff(want, snapshot(have))
    assert calls(plan)[0][2] == {"metadata": {"plan": "enterprise", "app": None}}


def test_branding_sends_the_merged_object_when_one_colour_changes():
    want = desired({**ACME, "branding": {"colors": {"primary": "#000000"}}})
    have = live_org(
        {
            **ACME,
            "branding": {
                "logo_url": "https://example.com/l.png",
                "colors": {"primary": "#ffffff", "page_background": "#eeeeee"},
            },
        }
    )
    plan = diff(want, snapshot(have))
    assert calls(plan) == [
        (
            "PATCH",
            "/organizations/org_acme-corp",
            {
                "branding": {
                    "logo_url": "https://example.com/l.png",
                    "colors": {"primary": "#000000", "page_background": "#eeeeee"},
                }
            },
        )
    ]
    assert [f.field for f in plan.rows[0].fields] == ["branding.colors.primary"]


def test_connection_flag_absent_in_yaml_is_not_a_change():
    want = desired({**ACME, "connections": [{"name": "acme-azure-ad"}]})
    have = live_org(
        {**ACME, "connections": [{"name": "acme-azure-ad", "assign_membership_on_login": True}]}
    )
    assert diff(want, snapshot(have)).operations == ()


def test_connection_flag_change_patches_only_that_flag():
    want = desired({**ACME, "connections": [{"name": "acme-azure-ad", "show_as_button": True}]})
    have = live_org({**ACME, "connections": [{"name": "acme-azure-ad"}]})
    assert calls(diff(want, snapshot(have))) == [
        (
            "PATCH",
            "/organizations/org_acme-corp/enabled_connections/con_aad",
            {"show_as_button": True},
        )
    ]


def test_connection_added_and_removed_on_existing_org():
    want = desired({**ACME, "connections": [{"name": "google-oauth2"}]})
    have = live_org({**ACME, "connections": [{"name": "acme-azure-ad"}]})
    plan = diff(want, snapshot(have))
    assert calls(plan) == [
        (
            "POST",
            "/organizations/org_acme-corp/enabled_connections",
            {"connection_id": "con_google"},
        ),
        ("DELETE", "/organizations/org_acme-corp/enabled_connections/con_aad", None),
    ]
    assert [(r.action, r.name) for r in plan.rows] == [
        (Action.DELETE, "acme-azure-ad"),
        (Action.CREATE, "google-oauth2"),
    ]


def test_connections_absent_leaves_enabled_connections_alone():
    have = live_org({**ACME, "connections": [{"name": "acme-azure-ad"}]})
    assert diff(desired(ACME), snapshot(have)).operations == ()


def test_unknown_connection_is_an_error_naming_the_file():
    want = desired({**ACME, "connections": [{"name": "no-such-idp"}]})
    with pytest.raises(PlanErrors) as caught:
        diff(want, snapshot())
    assert [str(e) for e in caught.value.errors] == [
        "organizations/acme-corp.yaml:3:1: unknown connection 'no-such-idp': "
        "no connection of that name exists in the tenant"
    ]


def test_signup_on_a_connection_that_is_no_database_is_an_error_at_the_flag():
    conn = {"name": "acme-azure-ad", "assign_membership_on_login": True, "is_signup_enabled": True}
    want = desired({**ACME, "connections": [conn]})
    with pytest.raises(PlanErrors) as caught:
        diff(want, snapshot())
    assert [str(e) for e in caught.value.errors] == [
        "organizations/acme-corp.yaml:3:1: is_signup_enabled: true needs a database "
        "connection; 'acme-azure-ad' is waad (Auth0 refuses signup on it)"
    ]


def test_signup_on_the_database_connection_with_auto_membership_is_planned():
    conn = {
        "name": "Username-Password-Authentication",
        "assign_membership_on_login": True,
        "is_signup_enabled": True,
    }
    plan = diff(desired({**ACME, "connections": [conn]}), snapshot(live_org(ACME)))
    assert [op.body for op in plan.operations] == [
        {"connection_id": "con_db", "assign_membership_on_login": True, "is_signup_enabled": True}
    ]


def test_email_domains_become_discovery_domains():
    want = desired({**ACME, "routing": {"email_domains": ["acme.com", "acme.io"]}})
    have = live_org(
        ACME,
        domains=[
            LiveDomain("dd_1", "acme.com", "verified", True),
            LiveDomain("dd_2", "old.example", "pending", True),
        ],
    )
    assert calls(diff(want, snapshot(have))) == [
        (
            "POST",
            "/organizations/org_acme-corp/discovery-domains",
            {"domain": "acme.io", "use_for_organization_discovery": True},
        ),
        ("DELETE", "/organizations/org_acme-corp/discovery-domains/dd_2", None),
    ]


def test_rename_through_previous_names_patches_the_name():
    want = desired({**ACME, "previous_names": ["acme"]})
    have = live_org({**ACME, "name": "acme"})
    plan = diff(want, snapshot(have))
    assert calls(plan) == [("PATCH", "/organizations/org_acme", {"name": "acme-corp"})]


def test_previous_name_and_name_both_live_is_an_error():
    want = desired({**ACME, "previous_names": ["acme"]})
    with pytest.raises(PlanErrors, match="previous name 'acme' and name 'acme-corp' both exist"):
        diff(want, snapshot(live_org(ACME), live_org({**ACME, "name": "acme"})))


def test_orgs_not_in_git_are_listed_as_unmanaged_not_deleted():
    plan = diff(desired(ACME), snapshot(live_org(ACME), others={"old-customer": "org_old"}))
    assert plan.operations == ()
    assert plan.unmanaged_organizations == ("old-customer",)


def test_pruning_deletes_orgs_not_in_git_except_protected_ones():
    tenant = {
        "domain": "sandbox",
        "policy": {"prune_organizations": True, "protected_organizations": ["staff"]},
    }
    plan = diff(
        desired(ACME, tenant=tenant),
        snapshot(live_org(ACME), others={"old": "org_old", "staff": "org_staff"}),
    )
    assert calls(plan) == [("DELETE", "/organizations/org_old", None)]
    assert plan.unmanaged_organizations == ("staff",)
    assert plan.summary.delete == 1


def test_only_limits_the_plan_to_the_selected_orgs():
    beta = {"name": "beta-llc", "display_name": "Beta"}
    plan = diff(desired(ACME, beta), snapshot(), only=frozenset({"beta-llc"}))
    assert [op.org for op in plan.operations] == ["beta-llc"]


def test_newer_org_fields_are_patched_only_when_set_and_different():
    want = desired({**ACME, "third_party_client_access": "block"})
    have = live_org(
        {**ACME, "third_party_client_access": "allow", "is_app_entitlement_active": True}
    )
    assert calls(diff(want, snapshot(have))) == [
        ("PATCH", "/organizations/org_acme-corp", {"third_party_client_access": "block"})
    ]


def test_pending_discovery_domain_shows_the_record_to_publish():
    want = desired({**ACME, "routing": {"email_domains": ["acme.com"]}})
    pending = LiveDomain(
        "dd_1", "acme.com", "pending", True, "auth0-domain-verification=abc", "_auth0.acme.com"
    )
    plan = diff(want, snapshot(live_org(ACME, domains=[pending])))
    assert plan.operations == ()
    assert [(r.action, r.note) for r in plan.rows] == [
        (
            Action.KEEP,
            "pending: publish TXT 'auth0-domain-verification=abc' at _auth0.acme.com",
        )
    ]


def test_defaults_an_older_tenant_leaves_out_of_its_answer_are_no_change():
    want = desired(
        {**ACME, "third_party_client_access": "block", "is_app_entitlement_active": False}
    )
    assert calls(diff(want, snapshot(live_org(ACME)))) == []


def test_a_value_other_than_the_default_left_out_is_patched():
    want = desired({**ACME, "third_party_client_access": "allow"})
    plan = diff(want, snapshot(live_org(ACME)))
    assert calls(plan) == [
        ("PATCH", "/organizations/org_acme-corp", {"third_party_client_access": "allow"})
    ]
    assert [(f.field, f.before, f.after) for f in plan.rows[0].fields] == [
        ("third_party_client_access", "block", "allow")
    ]
