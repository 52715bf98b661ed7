"""The post-login Action's definition: fixed template, routing table as data, secret names."""

import json
import re
from pathlib import Path

import pytest

from reconciler.model import ActionSettings
from reconciler.routing import action_definition, routing_table
from reconciler.routing.action import ACTION_SCOPES, PLACEHOLDER, action_code, script_json, template
from tests.routing.fixtures import tenant
from tests.unit.states import desired

DATA_LINE = re.compile(r"^const ROUTES = (.*?);$", re.DOTALL | re.MULTILINE)


def test_the_definition_names_the_action_runtime_dependency_and_secrets() -> None:
    definition = action_definition(tenant())
    assert definition is not None
    assert definition.name == "org-routing"
    assert definition.runtime == "node22"
    assert definition.dependencies == (("auth0", "7.1.0"),)
    assert definition.secret_names == (
        "ROUTING_DOMAIN",
        "ROUTING_CLIENT_ID",
        "ROUTING_CLIENT_SECRET",
    )


def test_the_body_is_a_management_api_action_without_secret_values() -> None:
    definition = action_definition(tenant())
    assert definition is not None
    body = definition.body()
    assert body == {
        "name": "org-routing",
        "supported_triggers": [{"id": "post-login", "version": "v3"}],
        "runtime": "node22",
        "code": definition.code,
        "dependencies": [{"name": "auth0", "version": "7.1.0"}],
    }


def test_no_action_section_means_no_action() -> None:
    assert action_definition(desired({"name": "acme"})) is None


def test_the_code_is_the_template_with_the_table_in_place_of_the_placeholder() -> None:
    definition = action_definition(tenant())
    assert definition is not None
    found = DATA_LINE.search(definition.code)
    assert found is not None
    assert definition.code.replace(found.group(1), PLACEHOLDER, 1) == template()
    table = json.loads(found.group(1))
    assert table["namespace"] == "https://app.example"
    assert table["secrets"] == {
        "domain": "ROUTING_DOMAIN",
        "clientId": "ROUTING_CLIENT_ID",
        "clientSecret": "ROUTING_CLIENT_SECRET",
    }
    assert [org["name"] for org in table["organizations"]] == [
        "acme-corp",
        "acme-labs",
        "acme-legacy",
        "beta-llc",
        "gamma",
        "google-users",
        "north",
        "partners",
        "south",
    ]


def test_the_template_holds_the_placeholder_once() -> None:
    assert template().count(PLACEHOLDER) == 1


def test_script_json_escapes_what_could_end_the_literal_or_the_line() -> None:
    value = {"note": "</script><!-- \u2028 & \u2029 --> é"}
    text = script_json(value)
    assert text.isascii()
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == value


def test_markup_in_the_files_never_reaches_the_code_raw() -> None:
    definition = action_definition(tenant())
    assert definition is not None
    data = DATA_LINE.search(definition.code)
    assert data is not None
    assert "</script>" not in data.group(1)
    assert "\\u003c/script\\u003e" in data.group(1)


def test_secret_values_in_the_environment_never_reach_the_definition(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ROUTING_CLIENT_SECRET", "very-secret-value")
    definition = action_definition(tenant())
    assert "very-secret-value" not in repr(definition)


def test_claims_namespace_loses_its_trailing_slash() -> None:
    assert routing_table(tenant()).namespace == "https://app.example"


def test_action_code_uses_the_settings_secret_names() -> None:
    settings = ActionSettings.model_validate({"domain_env": "D", "client_id_env": "I"})
    code = action_code(routing_table(tenant()), settings)
    assert '"domain": "D"' in code
    assert '"clientId": "I"' in code
    assert '"clientSecret": "ORG_ROUTING_CLIENT_SECRET"' in code


def test_the_real_package_test_installs_the_version_the_action_pins() -> None:
    makefile = (Path(__file__).parents[2] / "Makefile").read_text(encoding="utf-8")
    pinned = re.search(r"^ACTION_SDK_VERSION := (\S+)$", makefile, re.MULTILINE)
    assert pinned is not None
    assert pinned.group(1) == ActionSettings().auth0_version


def test_the_action_needs_exactly_the_scopes_of_its_calls() -> None:
    code = template()
    calls = set(re.findall(r"management\.([a-z.]+)\(", code, re.IGNORECASE))
    assert calls == {
        "users.organizations.list",
        "organizations.members.roles.list",
        "roles.list",
        "organizations.members.roles.assign",
        "organizations.getByName",
        "organizations.members.create",
    }
    assert ACTION_SCOPES == (
        "read:organizations",
        "create:organization_members",
        "read:organization_member_roles",
        "create:organization_member_roles",
        "read:roles",
    )
