"""Auth0's entity limits on what hangs below an organization, as the sandbox answers them:
at most 100 client grants and 100 application associations per organization, and 1 to 100
applications per associate or remove request."""

from __future__ import annotations

import pytest
from auth0.management import Auth0
from auth0.management.errors import BadRequestError

from reconciler.sandbox import Sandbox


def test_an_organization_takes_at_most_100_client_grants(api: Auth0, sandbox: Sandbox) -> None:
    org = sandbox.store.create_organization("acme")
    store = sandbox.store
    grants = [
        store.create_client_grant(
            store.create_client(f"service-{n}", app_type="non_interactive")["client_id"],
            "https://api.pm.example",
            ["projects:read"],
            organization_usage="allow",
        )["id"]
        for n in range(101)
    ]
    for grant in grants[:100]:
        store.associate_client_grant(org.id, grant)
    with pytest.raises(BadRequestError) as refused:
        api.organizations.client_grants.create(org.id, grant_id=grants[100])
    assert refused.value.body["message"] == ("An organization can have at most 100 client grants.")
    assert len(store.organization(org.id).client_grants) == 100


def test_applications_are_associated_at_most_100_per_request_and_per_organization(
    api: Auth0, sandbox: Sandbox
) -> None:
    org = sandbox.store.create_organization("acme")
    ids = [sandbox.store.create_client(f"app-{n}")["client_id"] for n in range(101)]
    entries = [{"client_id": i, "use_for_member_access": True} for i in ids]
    with pytest.raises(BadRequestError) as too_many:
        api.organizations.clients.create(org.id, clients=entries)
    assert too_many.value.body["message"] == (
        "Payload validation error: 'Array is too long (101), maximum 100' on property clients."
    )
    with pytest.raises(BadRequestError):
        api.organizations.clients.delete(org.id, clients=ids)
    api.organizations.clients.create(org.id, clients=entries[:100])
    with pytest.raises(BadRequestError) as full:
        api.organizations.clients.create(org.id, clients=entries[100:])
    assert full.value.body["message"] == (
        "An organization can have at most 100 application associations."
    )
    assert len(sandbox.store.organization(org.id).clients) == 100
