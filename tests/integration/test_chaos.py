"""Faults injected in the sandbox: apply still converges and touches nothing outside the plan.

The sandbox and the reconciler share a virtual clock: waits for the rate limit, back-off and
the member-list lag pass in virtual time, so the outcome does not depend on machine load.
"""

import asyncio

import pytest

from reconciler.clock import VirtualClock
from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model import Organization
from tests.integration.tenants import generate

FAULTS = {
    "server_error": {"fail_rate": 0.05},
    "lost_response": {"lost_response_rate": 0.05},
    "drop": {"drop_rate": 0.05},
    "rate_limited": {"rate_limit_rps": 400.0, "rate_limit_burst": 10},
    "member_lag": {"member_lag_s": 0.3},
    "all_at_once": {
        "fail_rate": 0.05,
        "lost_response_rate": 0.05,
        "drop_rate": 0.02,
        "rate_limit_rps": 400.0,
        "rate_limit_burst": 10,
        "member_lag_s": 0.3,
    },
}


async def other_traffic(sandbox) -> None:
    """Another client of the tenant spending the rate limit in bursts while the apply runs, often
    enough that some of the apply's own calls are refused."""
    token = sandbox.issue_token()
    headers = {"Authorization": f"Bearer {token}"}
    async with sandbox.async_client() as client:
        while True:
            await asyncio.gather(
                *(
                    client.get("/api/v2/users-by-email?email=x@gen.example", headers=headers)
                    for _ in range(12)
                )
            )
            await asyncio.sleep(0.005)


@pytest.mark.parametrize("kind", FAULTS)
async def test_apply_converges_under_faults(kind):
    faults = FAULTS[kind]
    clock = VirtualClock()
    tenant = generate(orgs=6, members=25, seed=7, clock=clock.now)
    store = tenant.sandbox.store
    bystander = store.create_organization("bystander", "Not managed")
    store.add_members(bystander.id, tenant.user_ids[:4])
    desired = tenant.desired
    for i in range(4):
        name = f"new-{i}"
        desired.organizations[name] = Organization.model_validate(
            {
                "name": name,
                "connections": [{"name": "corp-ad", "assign_membership_on_login": True}],
                "members": [{"user_id": u, "roles": ["admin"]} for u in tenant.user_ids[:12]],
            }
        )
    trimmed = desired.organizations["org-0002"]
    desired.organizations["org-0002"] = trimmed.model_copy(
        update={"members": (trimmed.members or [])[:5], "display_name": "Trimmed"}
    )
    tenant.sandbox.update_settings(**faults, seed=11)
    async with connect(desired, sandbox=tenant.sandbox, clock=clock) as session:
        planned = await Reconciler(session, desired).plan()
        logins = asyncio.create_task(other_traffic(tenant.sandbox))
        result = await Reconciler(session, desired).apply(planned)
        logins.cancel()
        assert result.report.ok, [r.line() for r in result.report.failed]
        assert result.converged
        tenant.sandbox.update_settings(
            fail_rate=0, lost_response_rate=0, drop_rate=0, rate_limit_rps=None, member_lag_s=0
        )
        again = (await Reconciler(session, desired).plan()).plan
    assert again.operations == ()
    injected = {c.fault for c in tenant.sandbox.calls if c.fault and "by-email" not in c.path}
    if kind in ("server_error", "lost_response", "drop", "rate_limited"):
        assert kind in injected
    for i in range(4):
        org = store.organization_by_name(f"new-{i}")
        assert len(store.listed_members(org.id)) == 12
    assert len(store.listed_members(store.organization_by_name("org-0002").id)) == 5
    untouched = store.organization_by_name("bystander")
    assert untouched.display_name == "Not managed"
    assert len(store.listed_members(untouched.id)) == 4
