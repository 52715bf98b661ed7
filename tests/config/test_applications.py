"""applications.yaml and API access: what Auth0 refuses, settings without effect and one
client grant asked for two ways are `file:line:col` errors before anything is read."""

from pathlib import Path

import pytest

from reconciler.config.errors import ConfigErrors
from reconciler.config.loader import load_tenant
from tests.config.tenant_files import write_tenant

API = "https://api.example"


def errors(directory: Path, files: dict[str, str]) -> list[str]:
    write_tenant(directory, files)
    with pytest.raises(ConfigErrors) as raised:
        load_tenant(directory)
    return [str(error).removeprefix(f"{directory}/") for error in raised.value.errors]


def app(*lines: str) -> dict[str, str]:
    return {
        "applications.yaml": "applications:\n  Portal:\n" + "".join(f"    {x}\n" for x in lines)
    }


def test_the_reference_application_loads(tmp_path: Path) -> None:
    files = app(
        "app_type: regular_web",
        "grant_types: [authorization_code, refresh_token]",
        "callbacks: [https://localhost:3000/callback, http://localhost:3000/callback]",
        "allowed_logout_urls: [https://localhost:3000]",
        "initiate_login_uri: https://portal.example/login",
        "organization_usage: require",
        "organization_require_behavior: pre_login_prompt",
    )
    desired = load_tenant(write_tenant(tmp_path, files))
    portal = desired.applications["Portal"]
    assert portal.organization_usage == "require"
    assert desired.where("applications", "Portal", "callbacks", 1) == (
        f"{tmp_path}/applications.yaml:5:50: "
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["callbacks: [https://portal.example/cb, http://portal.example/cb]"],
            "applications.yaml:3:44: applications.Portal.callbacks[1]: must be an https:// URL "
            '(http:// only for localhost) (got "http://portal.example/cb")',
        ),
        (
            ["app_type: spa", "allowed_logout_urls: [com.portal://logout]"],
            "applications.yaml:4:27: applications.Portal.allowed_logout_urls[0]: must be an "
            'https:// URL (http:// only for localhost) (got "com.portal://logout")',
        ),
        (
            ["initiate_login_uri: https://localhost:3000/login"],
            "applications.yaml:3:25: applications.Portal.initiate_login_uri: must be an https:// "
            'URL that is not localhost (got "https://localhost:3000/login")',
        ),
        (
            ["organization_require_behavior: pre_login_prompt"],
            "applications.yaml:3:36: applications.Portal.organization_require_behavior: takes "
            'effect only when organization_usage is "allow" or "require": set it too',
        ),
        (
            ["organization_usage: require", "organization_require_behavior: post_login_prompt"],
            "applications.yaml:4:36: applications.Portal.organization_require_behavior: "
            '"post_login_prompt" needs oidc_conformant: true (Auth0 refuses it otherwise)',
        ),
        (
            ["app_type: non_interactive", "organization_usage: require"],
            "applications.yaml:4:25: applications.Portal.organization_usage: a machine-to-machine "
            "application (non_interactive) has no user login to take part in: give it API access "
            "with api_access in an organization file",
        ),
        (
            ["app_type: spa", "grant_types: [authorization_code, client_credentials]"],
            "applications.yaml:4:39: applications.Portal.grant_types[1]: a spa application cannot "
            "keep a secret, so it cannot use client_credentials",
        ),
        (
            ["callbacks:"],
            "applications.yaml:3:5: applications.Portal.callbacks: no value: write [] to remove "
            "all, or delete the key to leave them unmanaged",
        ),
    ],
)
def test_what_auth0_refuses_is_an_error_at_its_place(
    tmp_path: Path, lines: list[str], expected: str
) -> None:
    assert errors(tmp_path, app(*lines)) == [expected]


def test_native_applications_may_use_custom_schemes(tmp_path: Path) -> None:
    files = app("app_type: native", "callbacks: [com.portal://callback]")
    assert load_tenant(write_tenant(tmp_path, files)).applications["Portal"].callbacks == [
        "com.portal://callback"
    ]


def test_post_login_prompt_with_oidc_conformance_is_accepted(tmp_path: Path) -> None:
    files = app(
        "oidc_conformant: true",
        "organization_usage: allow",
        "organization_require_behavior: post_login_prompt",
    )
    assert load_tenant(write_tenant(tmp_path, files)).applications["Portal"].oidc_conformant


def test_unknown_keys_and_grant_types_name_what_is_allowed(tmp_path: Path) -> None:
    found = errors(tmp_path, app("secret: x", "grant_types: [authorisation_code]"))
    assert found[0] == (
        'applications.yaml:3:5: applications.Portal: unknown key "secret" (allowed: app_type, '
        "grant_types, callbacks, allowed_logout_urls, initiate_login_uri, oidc_conformant, "
        "organization_usage, organization_require_behavior)"
    )
    assert found[1].startswith(
        "applications.yaml:4:19: applications.Portal.grant_types[0]: must be "
        '"authorization_code", "implicit"'
    )


def access(*entries: tuple[str, str, str]) -> str:
    lines = [f"  - {{application: {a}, api: {api}, scopes: {s}}}\n" for a, api, s in entries]
    return "api_access:\n" + "".join(lines)


def test_one_grant_has_one_set_of_scopes_across_organizations(tmp_path: Path) -> None:
    files = {
        "organizations/acme.yaml": "name: acme\n" + access(("Backend", API, "[read, write]")),
        "organizations/beta.yaml": "name: beta\n" + access(("Backend", API, "[read]")),
    }
    assert errors(tmp_path, files) == [
        "organizations/beta.yaml:3:62: api_access[0].scopes: one client grant serves every "
        f'organization, and "acme" lists other scopes for it at {tmp_path}/organizations/'
        "acme.yaml:3:5: list the same scopes"
    ]


def test_an_application_and_api_are_listed_once_per_organization(tmp_path: Path) -> None:
    entries = access(("Backend", API, "[read]"), ("Backend", API, "[read]"))
    assert errors(tmp_path, {"organizations/acme.yaml": "name: acme\n" + entries}) == [
        f'organizations/acme.yaml:4:5: api_access[1]: "Backend" and {API} are already listed at '
        "line 3"
    ]


def test_api_access_is_for_machine_to_machine_applications(tmp_path: Path) -> None:
    files = {
        **app("app_type: regular_web"),
        "organizations/acme.yaml": "name: acme\n" + access(("Portal", API, "[read]")),
    }
    assert errors(tmp_path, files) == [
        "organizations/acme.yaml:3:19: api_access[0].application: API access is for "
        'machine-to-machine applications (app_type non_interactive); "Portal" is regular_web'
    ]


def test_api_access_and_applications_written_with_no_value_are_refused(tmp_path: Path) -> None:
    files = {"organizations/acme.yaml": "name: acme\napplications:\napi_access:\n"}
    assert errors(tmp_path, files) == [
        "organizations/acme.yaml:2:1: applications: no value: write [] to remove all, or "
        "delete the key to leave them unmanaged",
        "organizations/acme.yaml:3:1: api_access: no value: write [] to remove all, or delete "
        "the key to leave them unmanaged",
    ]
