"""Small builders of desired and live state for diff tests."""

from typing import Any

from reconciler.model import Organization, Role, Tenant
from reconciler.model.desired import Desired, Location
from reconciler.model.live import (
    LiveConnection,
    LiveDomain,
    LiveEnabledConnection,
    LiveInvitation,
    LiveMember,
    LiveOrganization,
    LiveRole,
    Snapshot,
)

CONNECTIONS = {
    "Username-Password-Authentication": LiveConnection(
        "con_db", "Username-Password-Authentication", "auth0"
    ),
    "acme-azure-ad": LiveConnection("con_aad", "acme-azure-ad", "waad"),
    "google-oauth2": LiveConnection("con_google", "google-oauth2", "google-oauth2"),
}


def desired(
    *orgs: dict[str, Any],
    roles: dict[str, dict[str, Any]] | None = None,
    tenant: dict[str, Any] | None = None,
) -> Desired:
    """A Desired with each org said to come from `organizations/<name>.yaml`, one line per key."""
    organizations = {o["name"]: Organization.model_validate(o) for o in orgs}
    sources = {}
    for o in orgs:
        path = f"organizations/{o['name']}.yaml"
        sources[("organizations", o["name"])] = Location(path, 1, 1)
        for line, key in enumerate(o, start=1):
            sources[("organizations", o["name"], key)] = Location(path, line, 1)
    return Desired(
        tenant_name="test",
        tenant=Tenant.model_validate(
            tenant
            or {
                "domain": "sandbox",
                "invitations": {"client_id": "app", "inviter_name": "Team"},
            }
        ),
        roles={n: Role.model_validate(r) for n, r in (roles or {}).items()},
        organizations=organizations,
        sources=sources,
    )


def live_org(
    org: dict[str, Any],
    org_id: str | None = None,
    *,
    role_ids: dict[str, dict[str, str]] | None = None,
    domains: list[LiveDomain] | None = None,
    invitations: list[str] | None = None,
    invitation_roles: dict[str, tuple[str, ...]] | None = None,
) -> LiveOrganization:
    """A live organization; connections listed without flags get all three flags false."""
    roles = role_ids or {}
    members = org.get("members")
    connections = org.get("connections")
    return LiveOrganization(
        id=org_id or f"org_{org['name']}",
        name=org["name"],
        display_name=org.get("display_name"),
        branding=org.get("branding"),
        metadata=org.get("metadata"),
        token_quota=org.get("token_quota"),
        third_party_client_access=org.get("third_party_client_access"),
        is_app_entitlement_active=org.get("is_app_entitlement_active"),
        members=(
            tuple(
                LiveMember(
                    m["user_id"],
                    m.get("email"),
                    m.get("name"),
                    tuple(roles.get(m["user_id"], {}).items()),
                )
                for m in members
            )
            if members is not None
            else None
        ),
        connections=(
            {
                c["name"]: LiveEnabledConnection(
                    CONNECTIONS[c["name"]].id,
                    c["name"],
                    c.get("assign_membership_on_login", False),
                    c.get("show_as_button", False),
                    c.get("is_signup_enabled", False),
                )
                for c in connections
            }
            if connections is not None
            else None
        ),
        domains={d.domain: d for d in domains or []},
        invitations={
            e: LiveInvitation(f"uinv_{e}", e, (invitation_roles or {}).get(e, ()))
            for e in invitations or []
        },
    )


def snapshot(
    *orgs: LiveOrganization,
    roles: dict[str, LiveRole] | None = None,
    org_roles: dict[tuple[str, str], LiveRole] | None = None,
    users: dict[str, str | None] | None = None,
    others: dict[str, str] | None = None,
) -> Snapshot:
    """A Snapshot holding these organizations and the standard test connections."""
    return Snapshot(
        organizations={o.name: o for o in orgs},
        other_organizations=others or {},
        roles=roles or {},
        org_roles=org_roles or {},
        connections=dict(CONNECTIONS),
        users_by_email=users or {},
    )


def role(role_id: str, name: str, *perms: tuple[str, str], owner: str | None = None) -> LiveRole:
    """A live role with the given permission pairs."""
    return LiveRole(role_id, name, None, frozenset(perms), owner)
