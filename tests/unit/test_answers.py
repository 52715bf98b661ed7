"""Whether a write's answer shows what was sent (the verification's test)."""

from reconciler.engine.answers import echoes
from reconciler.engine.identity import ObjectKey, Ref, SecretRef


def test_keys_auth0_leaves_out_of_its_answer_are_not_differences():
    assert echoes({"name": "acme", "callbacks": []}, {"name": "acme", "id": "org_1"})


def test_a_value_answered_otherwise_is_a_difference():
    assert not echoes({"display_name": "Acme"}, {"display_name": "ACME"})
    assert not echoes({"enabled": True}, {"enabled": 1})


def test_nested_objects_are_compared_key_by_key():
    sent = {"branding": {"colors": {"primary": "#000000"}}}
    assert echoes(sent, {"branding": {"colors": {"primary": "#000000", "page_background": "#f"}}})
    assert not echoes(sent, {"branding": {"colors": {"primary": "#ffffff"}}})


def test_lists_of_objects_match_item_by_item_in_any_order():
    sent = {"enabled_connections": [{"connection_id": "con_2"}, {"connection_id": "con_1"}]}
    answer = {
        "enabled_connections": [
            {"connection_id": "con_1", "show_as_button": True},
            {"connection_id": "con_2", "show_as_button": True},
        ]
    }
    assert echoes(sent, answer)
    assert not echoes(sent, {"enabled_connections": [{"connection_id": "con_1"}]})


def test_lists_of_values_match_as_multisets():
    assert echoes({"scopes": ["read", "write"]}, {"scopes": ["write", "read"]})
    assert not echoes({"scopes": ["read", "write"]}, {"scopes": ["read"]})


def test_references_and_secrets_are_not_compared():
    ref = Ref(ObjectKey.organization("acme"))
    assert echoes({"organization_id": ref, "secret": SecretRef("X")}, {"organization_id": "o"})
