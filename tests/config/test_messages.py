"""How pydantic's errors read once rewritten for people."""

from pathlib import Path

import pytest

from reconciler.config.errors import ConfigErrors
from reconciler.config.validation import describe, format_path, validate
from reconciler.config.yaml_source import read_yaml
from reconciler.model import Organization, RolesFile, Tenant


def _messages(
    tmp_path: Path, model: type[Organization | Tenant | RolesFile], text: str
) -> list[str]:
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigErrors) as raised:
        validate(model, read_yaml(path))
    return [f"{e.location.line}:{e.location.column}: {e.message}" for e in raised.value.errors]


def test_key_paths_read_like_code() -> None:
    assert format_path(("members", 0, "roles", 1)) == "members[0].roles[1]"
    assert (
        format_path(("permissions", "https://api.example", 0))
        == 'permissions["https://api.example"][0]'
    )


def test_values_are_described_briefly() -> None:
    assert describe(None) == "null"
    assert describe(True) == "true"
    assert describe("x" * 100) == '"' + "x" * 57 + '..."'
    assert describe({"a": 1}) == "a mapping"
    assert describe([1]) == "a list"


def test_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    assert _messages(tmp_path, Organization, "name: acme\nbranding:\n  colour: red\n") == [
        '3:3: branding: unknown key "colour" (allowed: logo_url, colors)'
    ]


def test_wrong_value_points_at_the_value(tmp_path: Path) -> None:
    assert _messages(tmp_path, Tenant, "domain: sandbox\nrate_limit:\n  max_concurrency: 0\n") == [
        "3:20: rate_limit.max_concurrency: must be at least 1 (got 0)"
    ]


def test_an_unknown_subscription_points_at_the_value(tmp_path: Path) -> None:
    text = "domain: sandbox\nrate_limit:\n  limits: gold\n"
    assert _messages(tmp_path, Tenant, text) == [
        '3:11: rate_limit.limits: must be "free", "professional" or "enterprise" (got "gold")'
    ]


def test_missing_key_points_at_the_mapping(tmp_path: Path) -> None:
    text = "domain: sandbox\ninvitations:\n  client_id: spa\n"
    assert _messages(tmp_path, Tenant, text) == [
        '3:3: invitations: missing required key "inviter_name"'
    ]


def test_unquoted_dates_and_numbers_are_asked_to_be_quoted(tmp_path: Path) -> None:
    text = "name: acme\nmetadata:\n  since: 2024-01-31\n  seats: 10\n"
    assert _messages(tmp_path, Organization, text) == [
        "3:10: metadata.since: must be a string: put 2024-01-31 in quotes",
        "4:10: metadata.seats: must be a string: put 10 in quotes",
    ]


def test_yaml_types_are_not_coerced(tmp_path: Path) -> None:
    text = 'domain: sandbox\npolicy:\n  max_change_percent: "30"\n'
    assert _messages(tmp_path, Tenant, text) == [
        '3:23: policy.max_change_percent: must be a number (got "30")'
    ]


def test_role_permission_limits_read_plainly(tmp_path: Path) -> None:
    text = "roles:\n  admin:\n    permissions:\n      https://api.example: [read, read]\n"
    assert _messages(tmp_path, RolesFile, text) == [
        "4:7: roles.admin.permissions: duplicate permission under https://api.example"
    ]
