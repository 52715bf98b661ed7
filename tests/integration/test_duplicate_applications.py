"""An application of applications.yaml that Auth0 holds twice (as two racing applies leave
it): plan reports the copies and what refers to each, and the repair deletes only the copy
nothing refers to, through the safety rails, with exact calls."""

from collections import Counter
from dataclasses import replace

import pytest

from reconciler.core.service import Reconciler, UnsafePlan
from reconciler.core.targets import connect
from reconciler.engine.duplicate_apps import DuplicateApplications
from reconciler.model.desired import Desired
from reconciler.sandbox import Sandbox
from tests.integration.tenants import generate
from tests.integration.test_applications import BACKEND, access, apply, with_app, with_org

COPY = "copy-nothing-refers-to"
ORGS = 2
CONNECTIONS = 4
"""The generated world's connections."""


async def tenant_with_a_copy() -> tuple[Sandbox, Desired, str]:
    """A converged tenant whose backend has a client grant, then a second application of its
    name that nothing refers to; returns the first one's client id too."""
    tenant = generate(orgs=ORGS, members=1)
    desired = with_org(
        with_app(tenant.desired, "Reporting", BACKEND), api_access=access("Reporting", "read")
    )
    await apply(tenant.sandbox, desired)
    clients = tenant.sandbox.store.state.clients.values()
    (original,) = [c["client_id"] for c in clients if c["name"] == "Reporting"]
    tenant.sandbox.store.create_client("Reporting", "non_interactive", client_id=COPY)
    tenant.sandbox.reset_calls()
    return tenant.sandbox, desired, original


def calls(sandbox: Sandbox) -> Counter[tuple[str, str]]:
    """The API calls made, each id in a path shown as `{id}`."""
    state = sandbox.store.state
    ids = {COPY, *state.organizations, *state.connections, *state.clients, *state.roles}

    def shape(path: str) -> str:
        parts = path.removeprefix("/api/v2").split("/")
        return "/".join("{id}" if part in ids else part for part in parts)

    return Counter((c.method, shape(c.path)) for c in sandbox.api_calls())


REFERENCES = Counter(
    {
        ("GET", "/client-grants"): 2,  # one listing per copy
        ("GET", "/connections"): 1,
        ("GET", "/connections/{id}"): CONNECTIONS,
        ("GET", "/organizations"): 1,
        ("GET", "/organizations/{id}/clients"): ORGS,
    }
)
"""What reading what refers to two copies costs (docs/performance.md)."""


async def test_plan_reports_the_copies_and_the_command_that_repairs_them():
    sandbox, desired, original = await tenant_with_a_copy()
    async with connect(desired, sandbox=sandbox) as session:
        del sandbox.store.state.clients[COPY]
        await Reconciler(session, desired).plan()
        without_copy = calls(sandbox)
        sandbox.store.create_client("Reporting", "non_interactive", client_id=COPY)
        sandbox.reset_calls()
        with pytest.raises(DuplicateApplications) as raised:
            await Reconciler(session, desired).plan()
    first, second = sorted([original, COPY])
    described = {original: "referenced: 1 client grant", COPY: "no references"}
    assert raised.value.lines() == [
        "2 applications in Auth0 are named 'Reporting', which applications.yaml manages by "
        f"name: {first} ({described[first]}); {second} ({described[second]})",
        f"`reconciler repair-applications --tenant generated` deletes {COPY} (the copies "
        "nothing refers to) after confirmation",
    ]
    # What refers to each copy, instead of the grants of the one application of the name.
    grants = Counter({("GET", "/client-grants"): 1})
    assert calls(sandbox) == without_copy - grants + REFERENCES
    assert [c for c in sandbox.api_calls() if c.method != "GET"] == []


async def test_the_repair_deletes_only_the_copy_nothing_refers_to():
    sandbox, desired, original = await tenant_with_a_copy()
    async with connect(desired, sandbox=sandbox) as session:
        result = await Reconciler(session, desired).repair_applications()
        assert result is not None and result.report.ok and result.converged
        assert calls(sandbox) == REFERENCES + Counter(
            {("GET", "/clients"): 2, ("DELETE", "/clients/{id}"): 1}  # read before and after
        )
        assert [c.path for c in sandbox.api_calls() if c.method == "DELETE"] == [
            f"/api/v2/clients/{COPY}"
        ]
        sandbox.reset_calls()
        assert (await Reconciler(session, desired).plan()).plan.operations == ()
    assert [c for c in sandbox.store.state.clients if c in (original, COPY)] == [original]


async def test_copies_that_are_both_referenced_are_left_for_a_person_to_decide():
    sandbox, desired, original = await tenant_with_a_copy()
    db = sandbox.store.connection_by_name("corp-ad")
    assert db is not None
    sandbox.store.update_connection(db["id"], {"enabled_clients": [COPY]})
    async with connect(desired, sandbox=sandbox) as session:
        core = Reconciler(session, desired)
        (found,) = await core.duplicate_applications()
        assert {c.client_id: c.references() for c in found.copies} == {
            original: "referenced: 1 client grant",
            COPY: "referenced: connections corp-ad",
        }
        assert found.blocked(frozenset()) == (
            "'Reporting': 2 of its copies are referenced, so which one to keep is for you to "
            "decide: move what refers to the others to one copy, then repair again"
        )
        sandbox.reset_calls()
        assert await core.repair_applications() is None
    assert [c for c in sandbox.api_calls() if c.method != "GET"] == []
    assert COPY in sandbox.store.state.clients


async def test_copies_nothing_refers_to_keep_the_one_named():
    tenant = generate(orgs=ORGS, members=1)
    desired = with_app(tenant.desired, "Portal", {"app_type": "spa"})
    for client_id in ("portal-a", "portal-b", "portal-c"):
        tenant.sandbox.store.create_client("Portal", "spa", client_id=client_id)
    async with connect(desired, sandbox=tenant.sandbox) as session:
        core = Reconciler(session, desired)
        (found,) = await core.duplicate_applications()
        assert found.blocked(frozenset()) == (
            "'Portal': nothing refers to any copy; name the one your application uses with "
            "--keep (one of portal-a, portal-b, portal-c)"
        )
        assert await core.repair_applications() is None
        tenant.sandbox.reset_calls()
        result = await core.repair_applications(frozenset({"portal-b"}))
        assert result is not None and result.converged
    deleted = [c.path for c in tenant.sandbox.api_calls() if c.method == "DELETE"]
    assert sorted(deleted) == ["/api/v2/clients/portal-a", "/api/v2/clients/portal-c"]
    assert [c for c in tenant.sandbox.store.state.clients if c.startswith("portal")] == ["portal-b"]


async def test_the_repair_goes_through_the_safety_rails():
    tenant = generate(orgs=ORGS, members=1)
    desired = tenant.desired
    for n in range(6):
        name = f"App {n}"
        desired = with_app(desired, name, {"app_type": "spa"})
        for copy in ("kept", "extra"):
            tenant.sandbox.store.create_client(name, "spa", client_id=f"{copy}-{n}")
    policy = desired.tenant.policy.model_copy(update={"max_change_percent": 30})
    desired = replace(desired, tenant=desired.tenant.model_copy(update={"policy": policy}))
    keep = frozenset(f"kept-{n}" for n in range(6))
    async with connect(desired, sandbox=tenant.sandbox) as session:
        # 12 copies, the world's application and the reconciler's own
        with pytest.raises(UnsafePlan, match=r"changes or deletes 6 of 14 existing"):
            await Reconciler(session, desired).repair_applications(keep)
        assert [c for c in tenant.sandbox.api_calls() if c.method != "GET"] == []
        result = await Reconciler(session, desired).repair_applications(keep, force=True)
        assert result is not None and result.converged
    left = [
        c["client_id"]
        for c in tenant.sandbox.store.state.clients.values()
        if c["name"].startswith("App ")
    ]
    assert sorted(left) == sorted(keep)
