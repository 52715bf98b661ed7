"""Self-service SSO against the sandbox: profiles planned from the files, a ticket for an
organization (exact calls), completed as the customer's admin would, and revoked."""

from dataclasses import replace

import pytest

from reconciler.core.sso_tickets import TicketRefused, create_ticket, revoke_ticket
from reconciler.core.targets import connect
from reconciler.model import Organization
from reconciler.model.desired import Desired
from reconciler.model.sso_profiles import SsoProfile
from reconciler.sandbox import Sandbox
from tests.integration.connections import as_sent, pem
from tests.integration.tenants import generate
from tests.integration.test_applications import apply, plan_only, writes

PROFILE = {
    "description": "Customers' own SSO",
    "allowed_strategies": ["samlp", "okta", "oidc"],
    "user_attributes": [{"name": "email", "description": "Work email", "is_optional": False}],
    "branding": {"logo_url": "https://example.com/logo.png", "colors": {"primary": "#0059d6"}},
}
SSO = {
    "profile": "customers",
    "applications": ["App"],
    "assign_membership_on_login": True,
    "show_as_button": True,
    "domain_verification": "optional",
    "ttl_sec": 3600,
}


def with_sso(desired: Desired, profile: dict[str, object] = PROFILE) -> Desired:
    org = Organization.model_validate({"name": "delta", "self_service_sso": SSO})
    return replace(
        desired,
        organizations={**desired.organizations, "delta": org},
        sso_profiles={"customers": SsoProfile.model_validate(profile)},
    )


def calls(sandbox: Sandbox) -> list[tuple[str, str]]:
    return [(c.method, c.path.split("?")[0]) for c in sandbox.api_calls()]


async def test_a_profile_is_created_then_left_then_patched_field_by_field():
    tenant = generate(orgs=0, members=0)
    desired = with_sso(tenant.desired)
    await apply(tenant.sandbox, desired)
    assert ("POST", "/api/v2/self-service-profiles") in writes(tenant.sandbox)
    (profile,) = tenant.sandbox.store.state.sso_profiles.values()
    assert {k: profile[k] for k in PROFILE} == PROFILE
    tenant.sandbox.reset_calls()
    assert (await plan_only(tenant.sandbox, desired)).operations == ()
    changed = with_sso(tenant.desired, {**PROFILE, "description": "New"})
    await apply(tenant.sandbox, changed)
    assert writes(tenant.sandbox) == [("PATCH", f"/api/v2/self-service-profiles/{profile['id']}")]


async def test_a_ticket_is_four_calls_and_completing_it_makes_the_linked_connection():
    tenant = generate(orgs=0, members=0)
    desired = with_sso(tenant.desired)
    await apply(tenant.sandbox, desired)
    (profile,) = tenant.sandbox.store.state.sso_profiles.values()
    org = tenant.sandbox.store.organization_by_name("delta")
    assert org is not None
    tenant.sandbox.reset_calls()
    async with connect(desired, sandbox=tenant.sandbox) as session:
        ticket = await create_ticket(session, desired, "delta")
    # The profiles, the organization, the applications its file names; the ticket.
    assert calls(tenant.sandbox) == [
        ("GET", "/api/v2/self-service-profiles"),
        ("GET", "/api/v2/organizations/name/delta"),
        ("GET", "/api/v2/clients"),
        ("POST", f"/api/v2/self-service-profiles/{profile['id']}/sso-ticket"),
    ]
    stored = tenant.sandbox.store.state.sso_tickets[ticket.id]["request"]
    assert stored == {
        "connection_config": {"name": "delta-sso"},
        "enabled_organizations": [
            {"organization_id": org.id, "assign_membership_on_login": True, "show_as_button": True}
        ],
        "enabled_clients": ["gen-app"],
        "ttl_sec": 3600,
        "domain_aliases_config": {"domain_verification": "optional"},
    }
    assert ticket.url.endswith(f"?ticket={ticket.id}")
    options = {
        "signInEndpoint": "https://idp.delta.example/sso",
        "signingCert": as_sent(pem(3)),
    }
    token = tenant.sandbox.issue_token()
    with tenant.sandbox.sync_client(headers={"Authorization": f"Bearer {token}"}) as control:
        done = control.post(
            f"/_sandbox/sso-tickets/{ticket.id}/complete",
            json={"strategy": "samlp", "options": options},
        )
        assert done.status_code == 201
        again = control.post(
            f"/_sandbox/sso-tickets/{ticket.id}/complete",
            json={"strategy": "samlp", "options": options},
        )
        assert again.status_code == 404
    conn = tenant.sandbox.store.connection_by_name("delta-sso")
    assert conn is not None and conn["enabled_clients"] == ["gen-app"]
    link = org.connections[conn["id"]]
    assert (link.assign_membership_on_login, link.show_as_button) == (True, True)
    # The files do not declare the customer's connection: nothing plans to touch it.
    tenant.sandbox.reset_calls()
    assert (await plan_only(tenant.sandbox, desired)).operations == ()


async def test_a_revoked_ticket_cannot_be_completed():
    tenant = generate(orgs=0, members=0)
    desired = with_sso(tenant.desired)
    await apply(tenant.sandbox, desired)
    async with connect(desired, sandbox=tenant.sandbox) as session:
        ticket = await create_ticket(session, desired, "delta")
        tenant.sandbox.reset_calls()
        await revoke_ticket(session, desired, "delta", ticket.id)
    (profile,) = tenant.sandbox.store.state.sso_profiles.values()
    assert calls(tenant.sandbox) == [
        ("GET", "/api/v2/self-service-profiles"),
        ("POST", f"/api/v2/self-service-profiles/{profile['id']}/sso-ticket/{ticket.id}/revoke"),
    ]
    with pytest.raises(Exception, match="expired or was revoked"):
        tenant.sandbox.store.complete_sso_ticket(ticket.id, "samlp", {})


async def test_a_ticket_needs_the_profile_and_the_organization_in_auth0():
    tenant = generate(orgs=0, members=0)
    desired = with_sso(tenant.desired)
    async with connect(desired, sandbox=tenant.sandbox) as session:
        with pytest.raises(TicketRefused, match="no self-service profile 'customers'"):
            await create_ticket(session, desired, "delta")
        with pytest.raises(TicketRefused, match="no organization file"):
            await create_ticket(session, desired, "nobody")
