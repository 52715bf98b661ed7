"""Self-service SSO profiles and tickets in the sandbox through the official SDK."""

from __future__ import annotations

from typing import get_args

import pytest
from auth0.management import Auth0
from auth0.management.errors import BadRequestError, NotFoundError

from reconciler.model.sso_profiles import AllowedStrategy
from reconciler.sandbox import Sandbox
from reconciler.sandbox.areas.self_service_profiles import ALLOWED_STRATEGIES


def test_profiles_are_created_listed_updated_and_deleted(api: Auth0) -> None:
    created = api.self_service_profiles.create(
        name="customers",
        allowed_strategies=["samlp", "okta"],
        user_attributes=[{"name": "email", "description": "Email", "is_optional": False}],
    )
    assert created.id is not None and created.id.startswith("ssp_")
    assert [p.name for p in api.self_service_profiles.list()] == ["customers"]
    updated = api.self_service_profiles.update(created.id, description="Ours")
    assert updated.description == "Ours" and updated.allowed_strategies == ["samlp", "okta"]
    with pytest.raises(BadRequestError, match="Unknown strategy"):
        api.self_service_profiles.update(created.id, allowed_strategies=["ldap"])
    api.self_service_profiles.delete(created.id)
    with pytest.raises(NotFoundError):
        api.self_service_profiles.get(created.id)


def test_a_ticket_is_a_local_link_that_lives_its_ttl(api: Auth0, sandbox: Sandbox) -> None:
    profile = api.self_service_profiles.create(name="customers")
    assert profile.id is not None
    org = api.organizations.create(name="acme")
    with pytest.raises(BadRequestError, match="maximum 432000"):
        api.self_service_profiles.sso_ticket.create(profile.id, ttl_sec=432_001)
    with pytest.raises(BadRequestError, match="does not exist"):
        api.self_service_profiles.sso_ticket.create(
            profile.id, enabled_organizations=[{"organization_id": "org_nope"}]
        )
    made = api.self_service_profiles.sso_ticket.create(
        profile.id,
        connection_config={"name": "acme-sso"},
        enabled_organizations=[{"organization_id": org.id}],
        ttl_sec=60,
    )
    assert made.ticket is not None
    assert made.ticket.startswith(f"https://{sandbox.tenant_domain}/self-service/")
    ticket_id = made.ticket.rsplit("=", 1)[1]
    assert sandbox.store.state.sso_tickets[ticket_id]["expires_at"] == pytest.approx(
        sandbox.clock() + 60, abs=5
    )
    api.self_service_profiles.sso_ticket.revoke(profile.id, ticket_id)
    api.self_service_profiles.sso_ticket.revoke(profile.id, "gone")  # 202 all the same
    assert sandbox.store.state.sso_tickets[ticket_id]["state"] == "revoked"


def test_the_sandbox_allows_the_strategies_the_files_may_name():
    assert frozenset(get_args(AllowedStrategy)) == ALLOWED_STRATEGIES
