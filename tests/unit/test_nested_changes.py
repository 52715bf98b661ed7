"""Nested values (branding) become one row field per changed leaf."""

from reconciler.engine.nested import nested_changes
from reconciler.engine.plan import FieldChange


def test_a_changed_leaf_is_one_field():
    before = {"colors": {"primary": "#000000", "page_background": "#ffffff"}}
    after = {"colors": {"primary": "#111111", "page_background": "#ffffff"}}
    assert nested_changes("branding", before, after) == [
        FieldChange("branding.colors.primary", "#000000", "#111111")
    ]


def test_an_object_added_whole_is_spread_into_its_leaves():
    after = {"logo_url": "https://x.example/l.png", "colors": {"primary": "#000"}}
    assert nested_changes("branding", {}, after) == [
        FieldChange("branding.colors.primary", None, "#000"),
        FieldChange("branding.logo_url", None, "https://x.example/l.png"),
    ]


def test_equal_values_have_no_changes():
    assert nested_changes("branding", {"a": {"b": 1}}, {"a": {"b": 1}}) == []
