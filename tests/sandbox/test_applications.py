"""Applications as the sandbox serves them: Auth0's checks of login URLs and organization
settings, the filters the reconciler reads with, and the applications of an organization."""

from __future__ import annotations

import pytest
from auth0.management import Auth0
from auth0.management.errors import BadRequestError, ConflictError, NotFoundError

from reconciler.sandbox import Sandbox


def message(error: pytest.ExceptionInfo[BadRequestError]) -> str:
    return str(error.value.body["message"])


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"callbacks": ["https://app.example/cb", "http://app.example/cb"]},
            "Payload validation error: 'Object didn't pass validation for format callback-url: "
            "http://app.example/cb' on property callbacks[1].",
        ),
        (
            {"allowed_logout_urls": ["com.app://logout"]},
            "Payload validation error: 'Object didn't pass validation for format callback-url: "
            "com.app://logout' on property allowed_logout_urls[0].",
        ),
        (
            {"initiate_login_uri": "https://localhost:3000/login"},
            "Payload validation error: 'Object didn't pass validation for format "
            "absolute-https-uri-with-placeholders-or-empty: https://localhost:3000/login' on "
            "property initiate_login_uri.",
        ),
        (
            {"organization_usage": "require", "organization_require_behavior": "post_login_prompt"},
            'organization_require_behavior "post_login_prompt" requires oidc_conformant: true',
        ),
        (
            {"organization_usage": "sometimes"},
            "Payload validation error: 'No enum match for: sometimes' on property "
            "organization_usage.",
        ),
    ],
)
def test_a_client_auth0_refuses_is_a_400(api: Auth0, fields: dict, expected: str) -> None:
    with pytest.raises(BadRequestError) as refused:
        api.clients.create(name="Portal", app_type="regular_web", **fields)
    assert message(refused) == expected


def test_localhost_over_http_and_custom_schemes_of_native_apps_are_accepted(api: Auth0) -> None:
    web = api.clients.create(name="Web", callbacks=["http://localhost:3000/callback"])
    native = api.clients.create(name="App", app_type="native", callbacks=["com.app://callback"])
    assert web.callbacks == ["http://localhost:3000/callback"]
    assert native.callbacks == ["com.app://callback"]


def test_a_create_may_not_choose_its_client_id(sandbox: Sandbox, http) -> None:
    headers = {"authorization": f"Bearer {sandbox.issue_token()}"}
    response = http.post(
        "/api/v2/clients", json={"name": "Portal", "client_id": "mine"}, headers=headers
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Payload validation error: 'Additional properties not allowed: client_id'."
    )


def test_an_update_is_checked_against_the_client_as_it_is(api: Auth0) -> None:
    client = api.clients.create(
        name="Portal",
        oidc_conformant=True,
        organization_usage="require",
        organization_require_behavior="post_login_prompt",
    )
    with pytest.raises(BadRequestError):
        api.clients.update(client.client_id, oidc_conformant=False)
    updated = api.clients.update(client.client_id, organization_require_behavior="no_prompt")
    assert updated.organization_require_behavior == "no_prompt"


def test_new_clients_leave_out_what_was_not_set_and_the_global_filter_finds_none(
    api: Auth0,
) -> None:
    client = api.clients.create(name="Portal")
    assert (client.app_type, client.callbacks, client.organization_usage) == (None, None, None)
    assert (client.sso_disabled, client.custom_login_page_on) == (False, True)
    assert client.jwt_configuration is not None
    assert client.jwt_configuration.secret_encoded is False
    assert list(api.clients.list(is_global=True)) == []
    listed = api.clients.list(is_global=False, fields="client_id,name", include_fields=True)
    assert {c.name for c in listed} == {"Sandbox Management Client", "ProjectManager", "Portal"}
    assert all(c.client_secret is None for c in listed)


def test_the_applications_of_an_organization(api: Auth0, sandbox: Sandbox) -> None:
    org = sandbox.store.create_organization("acme")
    portal = api.clients.create(name="Portal", app_type="regular_web")
    created = api.organizations.clients.create(
        org.id,
        clients=[
            {"client_id": "pm-spa", "use_for_member_access": True},
            {"client_id": portal.client_id, "use_for_member_access": False},
        ],
    )
    assert [(c.client_id, c.client.name) for c in created] == [
        ("pm-spa", "ProjectManager"),
        (portal.client_id, "Portal"),
    ]
    with pytest.raises(ConflictError):
        api.organizations.clients.create(
            org.id, clients=[{"client_id": "pm-spa", "use_for_member_access": True}]
        )
    with pytest.raises(NotFoundError):
        api.organizations.clients.create(
            org.id, clients=[{"client_id": "nope", "use_for_member_access": True}]
        )
    in_order = sorted(["pm-spa", portal.client_id], key=str.lower)  # Auth0: by id, any case
    first = api.organizations.clients.list(org.id, take=1)
    assert [c.client_id for c in first.items or []] == in_order[:1]
    second = first.next_page()
    assert second is not None and [c.client_id for c in second.items or []] == in_order[1:]
    updated = api.organizations.clients.update(org.id, portal.client_id, use_for_member_access=True)
    assert updated.use_for_member_access is True
    assert api.organizations.clients.get(org.id, "pm-spa").use_for_member_access is True
    api.organizations.clients.delete(org.id, clients=["pm-spa"])
    with pytest.raises(NotFoundError):
        api.organizations.clients.delete(org.id, clients=["pm-spa"])
    api.clients.delete(portal.client_id)
    assert list(api.organizations.clients.list(org.id)) == []
