"""A change that takes several calls, interrupted between them, leaves a state that grants no
less than the old one and nothing that neither the old nor the new one grants; the next apply
finishes it."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model import Invitations, Organization
from reconciler.sandbox import Sandbox, Store
from tests.integration.tenants import API, generate

Grants = frozenset[Any]


class FailingApp:
    """Wraps the sandbox's ASGI app; answers 400 to requests that `fails` picks."""

    def __init__(self, app: Any, fails: Callable[[str, str], bool]) -> None:
        self.app = app
        self.fails = fails
        self.failed = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.fails(scope["method"], scope["path"]):
            self.failed += 1
            body = json.dumps({"statusCode": 400, "error": "Bad Request", "message": "injected"})
            await send(
                {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send({"type": "http.response.body", "body": body.encode()})
            return
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class Change:
    """Old and new file content of org-0000, what it grants in the store, and its two calls."""

    old: Callable[[dict[str, Any], list[str]], None]
    new: Callable[[dict[str, Any], list[str]], None]
    grants: Callable[[Store], Grants]
    addition: tuple[str, str]
    removal: tuple[str, str]


def org(store: Store):
    return store.organization_by_name("org-0000")


def member_roles(store: Store) -> Grants:
    names = {r.id: r.name for r in store.state.roles.values()}
    first = sorted(org(store).members)[0]
    return frozenset(names[r] for r in org(store).members[first].roles)


def set_first_member_roles(roles: list[str]):
    def change(data: dict[str, Any], users: list[str]) -> None:
        data["members"][0]["roles"] = roles

    return change


def set_members(indexes: list[int]):
    def change(data: dict[str, Any], users: list[str]) -> None:
        data["members"] = [{"user_id": users[i]} for i in indexes]

    return change


def set_connections(names: list[str]):
    def change(data: dict[str, Any], users: list[str]) -> None:
        data["connections"] = [{"name": n} for n in names]

    return change


def set_domains(domains: list[str]):
    def change(data: dict[str, Any], users: list[str]) -> None:
        data["routing"] = {"email_domains": domains}

    return change


def set_invitation(roles: list[str]):
    def change(data: dict[str, Any], users: list[str]) -> None:
        data["members"] = [{"user_id": u} for u in users] + [
            {"email": "newcomer@elsewhere.example", "invite": True, "roles": roles}
        ]

    return change


def set_role_permissions(perms: list[str]):
    def change(data: dict[str, Any], users: list[str]) -> None:
        data.setdefault("roles", {})["lead"] = {"permissions": {API: perms}}

    return change


def role_permissions(store: Store) -> Grants:
    role = next(r for r in store.state.roles.values() if r.name == "lead")
    return frozenset(name for _, name in role.permissions)


def connection_names(store: Store) -> Grants:
    names = {c["id"]: c["name"] for c in store.state.connections.values()}
    return frozenset(names[c] for c in org(store).connections)


def invitation_roles(store: Store) -> Grants:
    names = {r.id: r.name for r in store.state.roles.values()}
    return frozenset(names[r] for i in org(store).invitations.values() for r in i.get("roles", []))


CHANGES = {
    "member roles": Change(
        set_first_member_roles(["member"]),
        set_first_member_roles(["admin"]),
        member_roles,
        ("POST", r"/members/[^/]+/roles$"),
        ("DELETE", r"/members/[^/]+/roles$"),
    ),
    "members": Change(
        set_members([0, 1]),
        set_members([1, 2]),
        lambda store: frozenset(org(store).members),
        ("POST", r"/organizations/org_\w+/members$"),
        ("DELETE", r"/organizations/org_\w+/members$"),
    ),
    "connections": Change(
        set_connections(["corp-ad"]),
        set_connections(["partner-okta"]),
        connection_names,
        ("POST", r"/enabled_connections$"),
        ("DELETE", r"/enabled_connections/"),
    ),
    "discovery domains": Change(
        set_domains(["old.example"]),
        set_domains(["new.example"]),
        lambda store: frozenset(d.domain for d in org(store).discovery_domains.values()),
        ("POST", r"/discovery-domains$"),
        ("DELETE", r"/discovery-domains/"),
    ),
    "invitation roles": Change(
        set_invitation(["member"]),
        set_invitation(["admin"]),
        invitation_roles,
        ("POST", r"/invitations$"),
        ("DELETE", r"/invitations/"),
    ),
    "role permissions": Change(
        set_role_permissions(["read"]),
        set_role_permissions(["write"]),
        role_permissions,
        ("POST", r"^/api/v2/roles/[^/]+/permissions$"),
        ("DELETE", r"^/api/v2/roles/[^/]+/permissions$"),
    ),
}


async def apply(sandbox: Sandbox, desired) -> Any:
    async with connect(desired, sandbox=sandbox) as session:
        core = Reconciler(session, desired, verify_delays=())
        return await core.apply(await core.plan(), force=True)


def desired_with(tenant, change: Callable[[dict[str, Any], list[str]], None]):
    data = tenant.desired.organizations["org-0000"].model_dump(exclude_none=True)
    data["members"] = [{"user_id": u} for u in tenant.user_ids]
    change(data, tenant.user_ids)
    organizations = {**tenant.desired.organizations, "org-0000": Organization.model_validate(data)}
    invitations = Invitations(client_id="gen-app", inviter_name="Generated")
    return replace(
        tenant.desired,
        organizations=organizations,
        tenant=tenant.desired.tenant.model_copy(update={"invitations": invitations}),
    )


@pytest.mark.parametrize("failing", ["addition", "removal"])
@pytest.mark.parametrize("kind", CHANGES)
async def test_interrupted_change_is_never_worse_than_either_side(kind, failing):
    change = CHANGES[kind]
    tenant = generate(orgs=1, members=3)
    old, new = desired_with(tenant, change.old), desired_with(tenant, change.new)
    first = await apply(tenant.sandbox, old)
    assert first.report.ok and first.converged, [r.line() for r in first.report.failed]
    store = tenant.sandbox.store
    before = change.grants(store)
    method, pattern = getattr(change, failing)
    app = tenant.sandbox.app
    failing_app = FailingApp(app, lambda m, p: m == method and re.search(pattern, p) is not None)
    tenant.sandbox.app = failing_app
    interrupted = await apply(tenant.sandbox, new)
    tenant.sandbox.app = app
    assert failing_app.failed == 1
    assert not interrupted.report.ok
    middle = change.grants(store)
    assert before <= middle, f"{kind}: lost {before - middle}"
    finished = await apply(tenant.sandbox, new)
    assert finished.report.ok and finished.converged
    wanted = change.grants(store)
    assert middle <= before | wanted, f"{kind}: granted {middle - before - wanted}"
