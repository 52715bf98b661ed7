"""Property: after random changes by hand (and edits of the files, and applies) since the
checkpoint, drift read from the log reports exactly what a full read reports."""

import asyncio
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model import Organization
from tests.integration.incremental import LoggedTenant, logged_tenant, rows
from tests.integration.tenants import API

ORGS = 3
USERS = 5
"""Three users are members of every organization; two are nobody's members yet."""

org = st.integers(0, ORGS - 1)
user = st.integers(0, USERS - 1)
role = st.sampled_from(["member", "admin"])
connection = st.sampled_from(["corp-ad", "Username-Password-Authentication", "google-oauth2"])
change = st.one_of(
    st.tuples(st.just("display name"), org, st.sampled_from(["Org 1", "By hand"])),
    st.tuples(st.just("metadata"), org, st.sampled_from(["gold", "silver"])),
    st.tuples(st.just("remove member"), org, user),
    st.tuples(st.just("add member"), org, user),
    st.tuples(st.just("assign role"), org, user, role),
    st.tuples(st.just("unassign role"), org, user, role),
    st.tuples(st.just("disable connection"), org, connection),
    st.tuples(st.just("enable connection"), org, connection),
    st.tuples(st.just("auto-join"), org, connection),
    st.tuples(st.just("remove domain"), org),
    st.tuples(st.just("add domain"), org, st.sampled_from(["hand.example", "org-0001.example"])),
    st.tuples(st.just("invite"), org, user),
    st.tuples(st.just("delete organization"), org),
    st.tuples(st.just("create organization"), st.sampled_from(["org-0001", "by-hand"])),
    st.tuples(st.just("rename organization"), org, st.sampled_from(["renamed", "org-0002"])),
    st.tuples(st.just("role permission"), role, st.sampled_from(["read", "write"]), st.booleans()),
    st.tuples(st.just("role description"), role),
    st.tuples(st.just("rename role"), role),
    st.tuples(st.just("delete role"), role),
    st.tuples(st.just("org role permission"), st.booleans()),
    st.tuples(st.just("user email"), user),
    st.tuples(st.just("edit file"), org),
    st.tuples(st.just("add file")),
    st.tuples(st.just("drop file"), org),
    st.tuples(st.just("rename in git"), org),
    st.tuples(st.just("apply")),
)
NOT_OF_AN_ORGANIZATION = frozenset(
    {
        "create organization",
        "role permission",
        "role description",
        "rename role",
        "delete role",
        "org role permission",
        "user email",
        "add file",
        "apply",
    }
)
rounds = st.lists(st.lists(change, max_size=4), min_size=1, max_size=3)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rounds=rounds)
def test_drift_from_the_log_is_drift_from_a_full_read(tmp_path_factory: Any, rounds: Any):
    asyncio.run(check_rounds(tmp_path_factory.mktemp("checkpoint"), rounds))


async def check_rounds(folder: Path, changes: list[list[tuple[Any, ...]]]) -> None:
    t = logged_tenant(folder, orgs=ORGS, members=3)
    for index in range(3, USERS):
        t.sandbox.store.create_user(f"user{index:05d}@gen.example", f"User {index}")
    await t.check()
    for batch in changes:
        async with t.by_hand() as hand:
            for one in batch:
                await make(t, hand, one)
        checked = await t.check()
        assert rows(checked.drift) == rows(await t.full()), (batch, checked.scan)


async def make(t: LoggedTenant, hand: httpx.AsyncClient, change: tuple[Any, ...]) -> None:
    """One change by hand (failures, such as a name taken, change nothing)."""
    kind, *args = change
    store = t.sandbox.store
    users = sorted(u["user_id"] for u in store.state.users.values())
    name = f"org-{args[0]:04d}" if kind not in NOT_OF_AN_ORGANIZATION else None
    found = next((o for o in store.state.organizations.values() if o.name == name), None)
    org = found.id if found is not None else "org_gone"
    if kind == "display name":
        await hand.patch(f"/organizations/{org}", json={"display_name": args[1]})
    elif kind == "metadata":
        await hand.patch(f"/organizations/{org}", json={"metadata": {"tier": args[1]}})
    elif kind in ("remove member", "add member"):
        method = "DELETE" if kind == "remove member" else "POST"
        await hand.request(
            method, f"/organizations/{org}/members", json={"members": [users[args[1]]]}
        )
    elif kind in ("assign role", "unassign role"):
        method = "DELETE" if kind == "unassign role" else "POST"
        roles = [r.id for r in store.state.roles.values() if r.name == args[2] and not r.owner_id]
        await hand.request(
            method, f"/organizations/{org}/members/{users[args[1]]}/roles", json={"roles": roles}
        )
    elif kind in ("disable connection", "enable connection", "auto-join"):
        link = store.connection_by_name(args[1])["id"]
        if kind == "disable connection":
            await hand.delete(f"/organizations/{org}/enabled_connections/{link}")
        elif kind == "enable connection":
            await hand.post(
                f"/organizations/{org}/enabled_connections", json={"connection_id": link}
            )
        else:
            await hand.patch(
                f"/organizations/{org}/enabled_connections/{link}",
                json={"assign_membership_on_login": True},
            )
    elif kind == "remove domain":
        for domain in list(found.discovery_domains.values()) if found else []:
            await hand.delete(f"/organizations/{org}/discovery-domains/{domain.id}")
    elif kind == "add domain":
        await hand.post(f"/organizations/{org}/discovery-domains", json={"domain": args[1]})
    elif kind == "invite":
        email = store.state.users[users[args[1]]]["email"]
        await hand.post(
            f"/organizations/{org}/invitations",
            json={"inviter": {"name": "Hand"}, "invitee": {"email": email}, "client_id": "gen-app"},
        )
    elif kind == "delete organization":
        await hand.delete(f"/organizations/{org}")
    elif kind == "create organization":
        await hand.post("/organizations", json={"name": args[0]})
    elif kind == "rename organization":
        await hand.patch(f"/organizations/{org}", json={"name": args[1]})
    elif kind in ("role permission", "role description", "rename role", "delete role"):
        for role_id in [r.id for r in store.state.roles.values() if r.name == args[0]]:
            if kind == "role permission":
                grant = {"resource_server_identifier": API, "permission_name": args[1]}
                method = "POST" if args[2] else "DELETE"
                await hand.request(
                    method, f"/roles/{role_id}/permissions", json={"permissions": [grant]}
                )
            elif kind == "role description":
                await hand.patch(f"/roles/{role_id}", json={"description": "By hand"})
            elif kind == "rename role":
                await hand.patch(f"/roles/{role_id}", json={"name": f"{args[0]}-renamed"})
            else:
                await hand.delete(f"/roles/{role_id}")
    elif kind == "org role permission":
        for role_id in [r.id for r in store.state.roles.values() if r.name == "lead"]:
            grant = {"resource_server_identifier": API, "permission_name": "write"}
            method = "POST" if args[0] else "DELETE"
            await hand.request(
                method, f"/roles/{role_id}/permissions", json={"permissions": [grant]}
            )
    elif kind == "user email":
        await hand.patch(f"/users/{users[args[0]]}", json={"email": f"moved{args[0]}@gen.example"})
    elif kind in ("edit file", "add file", "drop file", "rename in git"):
        edit(t.tenant.desired.organizations, kind, name)
    else:
        await apply(t)


def edit(orgs: dict[str, Organization], kind: str, name: str | None) -> None:
    """A change of the files: a display name, a new file, a file removed, a rename."""
    if kind == "add file":
        orgs["org-new"] = Organization.model_validate(
            {"name": "org-new", "display_name": "New", "connections": [{"name": "corp-ad"}]}
        )
    elif name not in orgs:
        return
    elif kind == "edit file":
        orgs[name] = orgs[name].model_copy(update={"display_name": "Edited in Git"})
    elif kind == "drop file":
        del orgs[name]
    else:
        renamed = f"{name}-r"
        orgs[renamed] = orgs.pop(name).model_copy(
            update={"name": renamed, "previous_names": [name]}
        )


async def apply(t: LoggedTenant) -> None:
    """The reconciler applies the files (its writes are its own in the log)."""
    async with connect(t.tenant.desired, sandbox=t.sandbox, clock=t.clock) as session:
        reconciler = Reconciler(session, t.tenant.desired, verify_delays=())
        await reconciler.apply(await reconciler.plan(), allow_delete=True, force=True)
