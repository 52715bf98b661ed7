"""`drift --incremental`: what changed since the checkpoint is found from the tenant log, with
the reads of what changed only; the reconciler's own writes are left out; without a usable
checkpoint or log, everything is read (and the check says why)."""

import json
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.drift.checkpoint import read_checkpoint, write_checkpoint
from tests.integration.incremental import BASE, FULL, LoggedTenant, logged_tenant, rows
from tests.integration.tenants import API

DAY = 86_400.0
Change = Callable[[LoggedTenant, httpx.AsyncClient], Awaitable[object]]


async def display_name(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    return await hand.patch(f"/organizations/{t.org_id('org-0001')}", json={"display_name": "x"})


async def member_removed(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    org = t.org_id("org-0001")
    return await hand.request(
        "DELETE", f"/organizations/{org}/members", json={"members": [t.tenant.user_ids[0]]}
    )


async def member_added(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    user = t.sandbox.store.create_user("newcomer@gen.example", "Newcomer")
    org = t.org_id("org-0001")
    return await hand.post(f"/organizations/{org}/members", json={"members": [user["user_id"]]})


async def member_roles(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    org, user = t.org_id("org-0001"), t.tenant.user_ids[1]
    return await hand.post(
        f"/organizations/{org}/members/{user}/roles", json={"roles": [t.role_id("admin")]}
    )


async def connection_disabled(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    org = t.org_id("org-0002")
    corp = t.sandbox.store.connection_by_name("corp-ad")["id"]
    return await hand.delete(f"/organizations/{org}/enabled_connections/{corp}")


async def connection_enabled(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    org = t.org_id("org-0002")
    google = t.sandbox.store.connection_by_name("google-oauth2")["id"]
    return await hand.post(
        f"/organizations/{org}/enabled_connections", json={"connection_id": google}
    )


async def domain_removed(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    org = t.org_id("org-0002")
    domain = t.sandbox.store.discovery_domain_by_name(org, "org-0002.example")
    return await hand.delete(f"/organizations/{org}/discovery-domains/{domain.id}")


async def organization_deleted(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    return await hand.delete(f"/organizations/{t.org_id('org-0001')}")


async def organization_created(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    return await hand.post("/organizations", json={"name": "by-hand"})


async def organization_renamed(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    return await hand.patch(f"/organizations/{t.org_id('org-0001')}", json={"name": "renamed"})


async def role_permissions(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    grant = {"resource_server_identifier": API, "permission_name": "write"}
    return await hand.post(
        f"/roles/{t.role_id('member')}/permissions", json={"permissions": [grant]}
    )


async def role_renamed(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    return await hand.patch(f"/roles/{t.role_id('member')}", json={"name": "members"})


async def role_deleted(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    return await hand.delete(f"/roles/{t.role_id('admin')}")


async def org_role_permissions(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    grant = {"resource_server_identifier": API, "permission_name": "read"}
    role = t.role_id("lead", "org-0003")
    return await hand.request("DELETE", f"/roles/{role}/permissions", json={"permissions": [grant]})


async def user_email(t: LoggedTenant, hand: httpx.AsyncClient) -> object:
    user = t.tenant.user_ids[2]
    return await hand.patch(f"/users/{user}", json={"email": "changed@gen.example"})


CHANGES: dict[Change, set[str]] = {
    display_name: {"org-0001"},
    member_removed: {"org-0001"},
    member_added: {"org-0001"},
    member_roles: {"org-0001"},
    connection_disabled: {"org-0002"},
    connection_enabled: {"org-0002"},
    domain_removed: {"org-0002"},
    organization_deleted: {"org-0001"},
    organization_created: set(),
    organization_renamed: {"org-0001"},
    role_permissions: set(),
    role_renamed: {"org-0000", "org-0001", "org-0002", "org-0003"},
    role_deleted: set(),
    org_role_permissions: {"org-0003"},
    user_email: {"org-0000", "org-0001", "org-0002", "org-0003"},
}
"""Each kind of change by hand, and the managed organizations it makes the check read again."""


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
async def test_a_change_by_hand_is_found_from_the_log_as_a_full_read_finds_it(
    tmp_path: Path, change: Change
):
    t = logged_tenant(tmp_path)
    assert not (await t.check()).drift.found
    async with t.by_hand() as hand:
        answer = await change(t, hand)
    assert isinstance(answer, httpx.Response) and answer.is_success, answer
    checked = await t.check()
    read = {c.split("/")[2] for c in t.calls() if c.startswith("GET /organizations/")}
    assert checked.scan.incremental, checked.scan.reason
    assert checked.scan.writes == 1
    assert checked.drift.found
    assert rows(checked.drift) == rows(await t.full())
    assert checked.scan.organizations == len(CHANGES[change])
    assert read - {"name"} <= CHANGES[change]


async def test_a_quiet_day_costs_three_reads(tmp_path: Path):
    t = logged_tenant(tmp_path)
    first = await t.check()
    assert not first.scan.incremental
    assert first.scan.reason == f"no checkpoint in {t.checkpoint} yet"
    assert read_checkpoint(t.checkpoint).log_id is not None
    checked = await t.check()
    assert checked.scan.incremental
    assert (checked.scan.writes, checked.scan.organizations) == (0, 0)
    assert not checked.drift.found
    assert t.calls() == BASE
    assert checked.read_calls == 3


async def test_a_changed_display_name_costs_one_more_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    async with t.by_hand() as hand:
        await display_name(t, hand)
    checked = await t.check()
    assert t.calls() == sorted([*BASE, "GET /organizations/org-0001"])
    assert [(r.kind, r.name, r.fields[0].auth0) for r in checked.drift.rows] == [
        ("organization", "org-0001", "x")
    ]


async def test_a_member_removed_reads_that_organization_s_members_links_and_domains(
    tmp_path: Path,
):
    t = logged_tenant(tmp_path)
    await t.check()
    async with t.by_hand() as hand:
        await member_removed(t, hand)
    await t.check()
    removed = t.tenant.user_ids[0].replace("|", "%7C")
    assert t.calls() == sorted(
        [
            *BASE,
            "GET /connections",
            "GET /organizations/org-0001/members",
            "GET /organizations/org-0001/enabled_connections",
            "GET /organizations/org-0001/discovery-domains",
            "GET /organizations/org-0001/invitations",
            f"GET /users/{removed}",
        ]
    )


async def test_drift_found_once_is_reported_again_until_it_is_repaired(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    async with t.by_hand() as hand:
        await display_name(t, hand)
    found = rows((await t.check()).drift)
    again = await t.check()
    assert again.scan.incremental and again.scan.writes == 0
    assert rows(again.drift) == found
    async with t.by_hand() as hand:
        await hand.patch(f"/organizations/{t.org_id('org-0001')}", json={"display_name": "Org 1"})
    await t.check()
    assert not (await t.check()).drift.found
    assert t.calls() == BASE


async def test_the_reconcilers_own_writes_are_left_out(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    async with t.by_hand("gen-client") as own:
        await display_name(t, own)
    checked = await t.check()
    assert (checked.scan.writes, checked.scan.own_writes) == (0, 1)
    assert not checked.drift.found
    assert t.calls() == BASE


async def test_an_apply_is_not_reported_and_its_organization_is_read_because_its_file_changed(
    tmp_path: Path,
):
    t = logged_tenant(tmp_path)
    await t.check()
    orgs = t.tenant.desired.organizations
    orgs["org-0002"] = orgs["org-0002"].model_copy(update={"display_name": "Renamed in Git"})
    async with connect(t.tenant.desired, sandbox=t.sandbox) as session:
        reconciler = Reconciler(session, t.tenant.desired, verify_delays=())
        applied = await reconciler.apply(await reconciler.plan())
    assert applied.converged
    checked = await t.check()
    assert checked.scan.incremental
    assert (checked.scan.writes, checked.scan.own_writes, checked.scan.organizations) == (0, 1, 1)
    assert not checked.drift.found


async def test_without_a_usable_checkpoint_everything_is_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    t.checkpoint.write_text("{not json", encoding="utf-8")
    checked = await t.check()
    assert not checked.scan.incremental
    assert checked.scan.reason.startswith(f"{t.checkpoint} cannot be read")
    assert "GET /organizations" in t.calls()
    t.checkpoint.write_text(json.dumps({"version": 0}), encoding="utf-8")
    assert (await t.check()).scan.reason == f"{t.checkpoint} is not a checkpoint of version 3"


@pytest.mark.parametrize(
    ("bound", "reason"),
    [
        ({"tenant": "other"}, "the checkpoint is of tenant other on embedded sandbox"),
        (
            {"target": "https://other.eu.auth0.com"},
            "the checkpoint is of tenant generated on https://other.eu.auth0.com",
        ),
    ],
    ids=["tenant", "target"],
)
async def test_a_checkpoint_of_another_tenant_or_target_is_not_used(
    tmp_path: Path, bound: dict[str, str], reason: str
):
    t = logged_tenant(tmp_path)
    await t.check()
    write_checkpoint(t.checkpoint, replace(read_checkpoint(t.checkpoint), **bound))
    checked = await t.check()
    assert checked.scan.reason == reason
    assert t.calls() == FULL


async def test_a_checkpoint_older_than_the_log_s_retention_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    t.clock.time += 31 * DAY
    checked = await t.check()
    assert checked.scan.reason == (
        "the checkpoint is 31 days old, older than the log's retention "
        "(drift.log_retention_days: 30)"
    )
    assert read_checkpoint(t.checkpoint).full_scan_at == t.clock.time


async def test_a_full_read_is_made_when_the_last_one_is_a_week_old(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    for _ in range(7):
        t.clock.time += DAY
        assert (await t.check()).scan.incremental
    t.clock.time += DAY
    assert (await t.check()).scan.reason == (
        "the last full read is 8 days old (drift.full_scan_days: 7)"
    )


async def test_a_changed_tenant_file_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    desired = t.tenant.desired
    policy = desired.tenant.policy.model_copy(update={"members": "additive"})
    t.tenant.desired = type(desired)(
        desired.tenant_name,
        desired.tenant.model_copy(update={"policy": policy}),
        desired.roles,
        desired.organizations,
    )
    assert (await t.check()).scan.reason == "tenant.yaml changed since the last check"


async def test_a_log_that_lost_the_checkpoint_s_event_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    t.sandbox.store.state.logs.clear()
    checked = await t.check()
    assert checked.scan.reason == (
        "the tenant log no longer holds the checkpoint's event (retention)"
    )


async def test_a_log_that_cannot_be_read_means_a_full_read_and_no_checkpoint(tmp_path: Path):
    t = logged_tenant(tmp_path)
    scopes = sorted(t.sandbox.all_scopes - {"read:logs", "read:logs_users"})
    client = t.sandbox.world.management_client.model_copy(update={"scopes": scopes})
    t.sandbox.world = t.sandbox.world.model_copy(update={"management_client": client})
    checked = await t.check()
    assert not checked.scan.incremental
    assert checked.scan.unwritten == (
        "the tenant log cannot be read (GET /logs: 403 the token lacks the scope read:logs "
        "(or read:logs_users))"
    )
    assert not t.checkpoint.exists()


async def test_a_log_read_from_a_checkpoint_that_cannot_be_followed_means_a_full_read(
    tmp_path: Path,
):
    t = logged_tenant(tmp_path)
    await t.check()
    scopes = sorted(t.sandbox.all_scopes - {"read:logs", "read:logs_users"})
    client = t.sandbox.world.management_client.model_copy(update={"scopes": scopes})
    t.sandbox.world = t.sandbox.world.model_copy(update={"management_client": client})
    checked = await t.check()
    assert checked.scan.reason.startswith("the tenant log cannot be read (GET /logs/")
    assert "403" in checked.scan.reason


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        (("DELETE", "/connections/{okta}"), "DELETE /api/v2/connections/{okta} can change any"),
        (("DELETE", "/users/{user}"), "user {user_id} was deleted: which organizations it was"),
    ],
)
async def test_a_write_that_can_change_what_it_does_not_name_means_a_full_read(
    tmp_path: Path, request_: tuple[str, str], reason: str
):
    t = logged_tenant(tmp_path)
    await t.check()
    okta = t.sandbox.store.connection_by_name("partner-okta")["id"]
    user = t.sandbox.store.create_user("nobody@gen.example", "Nobody")["user_id"]
    values = {"okta": okta, "user": user.replace("|", "%7C"), "user_id": user}
    method, path = request_
    async with t.by_hand() as hand:
        assert (await hand.request(method, path.format(**values))).is_success
    checked = await t.check()
    assert not checked.scan.incremental
    assert checked.scan.reason.startswith(reason.format(**values))
    assert rows(checked.drift) == rows(await t.full())


async def test_more_log_than_a_full_read_costs_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path, orgs=1)
    await t.check()
    for _ in range(300):
        t.sandbox.store.add_log({"type": "s", "description": "Success Login"})
    checked = await t.check()
    assert checked.scan.reason == (
        "the tenant log holds more than 300 events since the last check: "
        "reading everything costs fewer requests"
    )


async def test_a_checkpoint_that_cannot_be_written_is_said_and_the_drift_still_reported(
    tmp_path: Path,
):
    t = logged_tenant(tmp_path)
    t.checkpoint.mkdir()
    checked = await t.check()
    assert checked.scan.unwritten is not None
    assert checked.scan.unwritten.startswith(f"{t.checkpoint} cannot be written (")
    assert checked.scan.sentence().endswith(f"No checkpoint was written: {checked.scan.unwritten}.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint.json"]


async def test_a_write_the_log_does_not_describe_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    event = t.sandbox.store.add_log({"type": "sapi", "client_id": "script", "details": {}})
    checked = await t.check()
    assert checked.scan.reason == (
        f"the log event {event['log_id']} does not say which request it was"
    )


async def test_events_other_than_writes_are_read_and_passed_over(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    for kind in ("s", "f", "seacft", "slo"):
        t.sandbox.store.add_log({"type": kind, "client_id": "app", "details": {"x": 1}})
    checked = await t.check()
    assert checked.scan.incremental and checked.scan.writes == 0
    assert t.calls() == BASE


async def test_the_log_is_read_in_pages_of_100_each_from_the_last_event_of_the_one_before(
    tmp_path: Path,
):
    t = logged_tenant(tmp_path)
    await t.check()
    start = read_checkpoint(t.checkpoint).log_id
    logins = [t.sandbox.store.add_log({"type": "s"}) for _ in range(150)]
    async with t.by_hand() as hand:
        await display_name(t, hand)
    logins += [t.sandbox.store.add_log({"type": "s"}) for _ in range(99)]
    checked = await t.check()
    assert (checked.scan.incremental, checked.scan.writes) == (True, 1)
    assert [c.query for c in t.sandbox.api_calls() if c.path == "/api/v2/logs"] == [
        f"from={start}&take=100",
        f"from={logins[99]['log_id']}&take=100",
        f"from={logins[198]['log_id']}&take=100",
    ]
    assert read_checkpoint(t.checkpoint).log_id == logins[-1]["log_id"]
    assert checked.read_calls == 1 + (250 // 100 + 1) + 1 + 1  # event, pages, roles, org
