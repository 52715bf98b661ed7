"""`drift --incremental` on a tenant whose files manage applications, API access and the
post-login Action: the applications, client grants and the Action are read on every check,
and a write that changes an organization's API access or applications (its own, or every
organization's by deleting a client grant or an application) reads those organizations
again."""

from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model import ApiAccess, Application
from tests.integration.incremental import BASE, LoggedTenant, logged_tenant, rows
from tests.integration.tenants import API
from tests.integration.test_action import SECRETS, our_action, with_action

Change = Callable[[LoggedTenant, httpx.AsyncClient], Awaitable[httpx.Response]]


async def with_applications(tmp_path: Path) -> LoggedTenant:
    """The logged tenant with a backend application of applications.yaml that org-0001 and
    org-0002 have API access for, and the tenant's app that org-0001's members may use;
    applied, then checked once (the checkpoint)."""
    t = logged_tenant(tmp_path)
    t.sandbox.store.create_client("Backend", "non_interactive")
    desired = t.tenant.desired
    access = [ApiAccess(application="Backend", api=API, scopes=["read"])]
    organizations = dict(desired.organizations)
    organizations["org-0001"] = organizations["org-0001"].model_copy(
        update={"api_access": access, "applications": ["App"]}
    )
    organizations["org-0002"] = organizations["org-0002"].model_copy(update={"api_access": access})
    t.tenant.desired = replace(
        desired,
        organizations=organizations,
        applications={"Backend": Application(app_type="non_interactive")},
    )
    async with connect(t.tenant.desired, sandbox=t.sandbox) as session:
        reconciler = Reconciler(session, t.tenant.desired, verify_delays=())
        assert (await reconciler.apply(await reconciler.plan())).converged
    assert not (await t.check()).drift.found
    return t


def grant_id(t: LoggedTenant) -> str:
    (grant,) = t.sandbox.store.state.client_grants.values()
    return str(grant["id"])


def backend(t: LoggedTenant) -> str:
    (client,) = [c for c in t.sandbox.store.state.clients.values() if c["name"] == "Backend"]
    return str(client["client_id"])


async def api_access_dissociated(t: LoggedTenant, hand: httpx.AsyncClient) -> httpx.Response:
    return await hand.delete(f"/organizations/{t.org_id('org-0001')}/client-grants/{grant_id(t)}")


async def application_dissociated(t: LoggedTenant, hand: httpx.AsyncClient) -> httpx.Response:
    org = t.org_id("org-0001")
    return await hand.request(
        "DELETE", f"/organizations/{org}/clients", json={"clients": ["gen-app"]}
    )


async def client_grant_deleted(t: LoggedTenant, hand: httpx.AsyncClient) -> httpx.Response:
    return await hand.delete(f"/client-grants/{grant_id(t)}")


async def application_deleted(t: LoggedTenant, hand: httpx.AsyncClient) -> httpx.Response:
    return await hand.delete(f"/clients/{backend(t)}")


CHANGES: dict[Change, set[str]] = {
    api_access_dissociated: {"org-0001"},
    application_dissociated: {"org-0001"},
    client_grant_deleted: {"org-0001", "org-0002"},
    application_deleted: {"org-0001", "org-0002"},
}
"""Each change by hand, and the managed organizations it makes the check read again."""


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
async def test_a_change_to_api_access_or_applications_is_found_as_a_full_read_finds_it(
    tmp_path: Path, change: Change
):
    t = await with_applications(tmp_path)
    async with t.by_hand() as hand:
        answer = await change(t, hand)
    assert answer.is_success, answer
    checked = await t.check()
    read = {c.split("/")[2] for c in t.calls() if c.startswith("GET /organizations/")}
    assert checked.scan.incremental, checked.scan.reason
    assert checked.drift.found
    assert rows(checked.drift) == rows(await t.full())
    assert read == CHANGES[change]


async def test_a_quiet_day_also_lists_the_applications_and_the_grants_of_api_access(
    tmp_path: Path,
):
    t = await with_applications(tmp_path)
    checked = await t.check()
    assert checked.scan.incremental and not checked.drift.found
    assert t.calls() == sorted([*BASE, "GET /clients", "GET /client-grants"])


async def test_the_post_login_action_is_read_on_every_check_and_a_change_to_it_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    t = logged_tenant(tmp_path)
    t.tenant.desired = with_action(t.tenant.desired)
    async with connect(t.tenant.desired, sandbox=t.sandbox) as session:
        reconciler = Reconciler(session, t.tenant.desired, verify_delays=())
        assert (await reconciler.apply(await reconciler.plan())).converged
    await t.check()
    assert not (await t.check()).drift.found
    action = sorted([*BASE, "GET /actions/actions", "GET /actions/triggers/post-login/bindings"])
    assert t.calls() == action
    action_id = our_action(t.sandbox)["id"]
    async with t.by_hand() as hand:
        code = "exports.onExecutePostLogin = async () => {};"
        assert (await hand.patch(f"/actions/actions/{action_id}", json={"code": code})).is_success
        while (await hand.get(f"/actions/actions/{action_id}")).json()["status"] != "built":
            pass
        assert (await hand.post(f"/actions/actions/{action_id}/deploy")).is_success
    checked = await t.check()
    assert (checked.scan.incremental, checked.scan.writes) == (True, 2)
    assert t.calls() == action
    assert [(r.kind, r.name) for r in checked.drift.rows] == [("action", "org-routing")]
    assert rows(checked.drift) == rows(await t.full())
