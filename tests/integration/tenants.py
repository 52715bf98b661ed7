"""Generated tenants: the same state seeded into a sandbox and described as desired state."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reconciler.model import Organization, Role, Tenant
from reconciler.model.desired import Desired
from reconciler.sandbox import OrgConnection, Sandbox, World

API = "https://api.generated.example"
CONNECTIONS = [
    {"name": "Username-Password-Authentication", "strategy": "auth0"},
    {"name": "google-oauth2", "strategy": "google-oauth2"},
    {"name": "corp-ad", "strategy": "waad"},
    {"name": "partner-okta", "strategy": "okta"},
]
WORLD = {
    "management_client": {"client_id": "gen-client", "client_secret": "gen-only", "scopes": "all"},
    "connections": CONNECTIONS,
    "clients": [{"name": "App", "app_type": "spa", "client_id": "gen-app"}],
    "resource_servers": [{"name": "API", "identifier": API, "scopes": ["read", "write"]}],
}
TENANT = {
    "domain": "sandbox",
    "policy": {"max_change_percent": 100},
}


@dataclass
class Generated:
    """A sandbox holding N orgs of M members and the desired state that matches it exactly."""

    sandbox: Sandbox
    desired: Desired
    user_ids: list[str]


def world(users: int = 0) -> World:
    """A world with the standard connections and `users` database users."""
    data: dict[str, Any] = dict(WORLD)
    data["users"] = [
        {"email": f"user{i:05d}@gen.example", "connection": "Username-Password-Authentication"}
        for i in range(users)
    ]
    return World.model_validate(data)


def generate(
    orgs: int, members: int, seed: int = 0, clock: Callable[[], float] | None = None
) -> Generated:
    """Seed `orgs` organizations with `members` members (role `member` each) into a sandbox
    whose time is `clock` (default: the wall clock)."""
    sandbox = Sandbox(world(members), seed=seed, clock=clock)
    store = sandbox.store
    user_ids = sorted(u["user_id"] for u in store.state.users.values())
    member_role = store.create_role("member", "Member")
    admin_role = store.create_role("admin", "Admin")
    store.add_role_permissions(member_role.id, [(API, "read")])
    store.add_role_permissions(admin_role.id, [(API, "read"), (API, "write")])
    corp_ad = store.connection_by_name("corp-ad")
    assert corp_ad is not None
    described = {}
    for i in range(orgs):
        name = f"org-{i:04d}"
        org = store.create_organization(
            name,
            f"Org {i}",
            metadata={"tier": "gold"},
            enabled_connections=[OrgConnection(corp_ad["id"])],
        )
        store.add_discovery_domain(org.id, f"{name}.example", "verified", True)
        store.add_members(org.id, user_ids)
        for user_id in user_ids:
            store.assign_member_roles(org.id, user_id, [member_role.id])
        described[name] = Organization.model_validate(
            {
                "name": name,
                "display_name": f"Org {i}",
                "metadata": {"tier": "gold"},
                "connections": [{"name": "corp-ad"}],
                "routing": {"email_domains": [f"{name}.example"]},
                "members": [{"user_id": u, "roles": ["member"]} for u in user_ids],
            }
        )
    desired = Desired(
        tenant_name="generated",
        tenant=Tenant.model_validate(TENANT),
        roles={
            "member": Role(description="Member", permissions={API: ["read"]}),
            "admin": Role(description="Admin", permissions={API: ["read", "write"]}),
        },
        organizations=described,
    )
    return Generated(sandbox, desired, user_ids)


def formula(orgs: int, members: int, roles: int, connections: int) -> int:
    """docs/performance.md: the requests of a no-op plan (a member list that fills its last
    page ends on an empty one: Auth0 carries `next` on it)."""

    def pages(n: int) -> int:
        return max(1, -(-n // 100))

    member_pages = members // 100 + 1
    return pages(orgs) + orgs * (member_pages + 2) + pages(roles) + roles + pages(connections)
