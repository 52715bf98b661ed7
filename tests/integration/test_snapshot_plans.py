"""Plans and applies from the snapshot: a merge costs the log and what it changes, counted
call by call; a snapshot that cannot be used means a full read that says why; a snapshot that
is wrong can make apply do less, never write what a full read would not."""

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reconciler.core.verification import Verify
from reconciler.drift.checkpoint import read_checkpoint, write_checkpoint
from reconciler.drift.from_snapshot import keep
from tests.integration.connections import CUSTOMER, pem, with_customer
from tests.integration.incremental import BASE, LoggedTenant, logged_tenant
from tests.integration.snapshots import full_plan, shown, snapshot_apply, snapshot_plan

DAY = 86_400.0
PARTS = ("members", "enabled_connections", "discovery-domains", "invitations")


async def applied(tmp_path: Path) -> LoggedTenant:
    """A logged tenant whose files were applied from the snapshot (a full read: none yet)."""
    t = logged_tenant(tmp_path)
    planned, _ = await snapshot_apply(t)
    assert planned.scan.reason == f"no checkpoint in {t.checkpoint} yet"
    return t


def edited(t: LoggedTenant, *names: str) -> None:
    """The merge of a pull request that changes these organizations' display names."""
    orgs = t.tenant.desired.organizations
    for name in names:
        orgs[name] = orgs[name].model_copy(update={"display_name": f"{name} edited"})


async def test_a_merge_that_changes_nothing_in_auth0_costs_three_reads(tmp_path: Path):
    t = await applied(tmp_path)
    planned, result = await snapshot_apply(t)
    assert result is None
    assert planned.scan.incremental
    assert t.calls() == BASE
    assert shown(planned.result.plan) == shown(await full_plan(t))


async def test_a_merge_that_changes_two_files_reads_writes_and_verifies_those_two(
    tmp_path: Path,
):
    t = await applied(tmp_path)
    edited(t, "org-0001", "org-0002")
    planned, result = await snapshot_apply(t)
    assert result is not None and result.converged
    assert planned.scan.incremental and set(planned.fresh) == {"org-0001", "org-0002"}
    orgs = ("org-0001", "org-0002")
    read = [
        *(f"GET /organizations/{org}" for org in orgs),
        *(f"GET /organizations/{org}/{part}" for org in orgs for part in PARTS),
        "GET /connections",
    ]
    verified = [  # one page lists the 4 organizations: cheaper than 2 look-ups by name
        "GET /organizations",
        *(f"GET /organizations/{org}/{part}" for org in orgs for part in PARTS),
        "GET /connections",
        "GET /roles",
        *(f"GET /roles/{role}/permissions" for role in ("admin", "member")),
    ]
    writes = [f"PATCH /organizations/{org}" for org in orgs]
    assert t.calls() == sorted([*BASE, *read, *writes, *verified])
    assert (await snapshot_plan(t)).result.plan.operations == ()
    assert t.calls() == BASE


async def test_an_apply_verified_from_answers_has_what_it_touched_read_next_time(
    tmp_path: Path,
):
    t = await applied(tmp_path)
    edited(t, "org-0001")
    await snapshot_apply(t, verify=Verify.ANSWERS)
    assert read_checkpoint(t.checkpoint).drifted_organizations == {"org-0001"}
    planned = await snapshot_plan(t)
    assert set(planned.fresh) == {"org-0001"} and planned.result.plan.operations == ()
    assert read_checkpoint(t.checkpoint).drifted_organizations == frozenset()


async def test_a_wrong_snapshot_makes_apply_read_again_and_write_nothing(tmp_path: Path):
    t = await applied(tmp_path)
    checkpoint = read_checkpoint(t.checkpoint)
    assert checkpoint.live is not None
    org = checkpoint.live.organizations["org-0001"]
    wrong = {**checkpoint.live.organizations, "org-0001": replace(org, display_name="Wrong")}
    write_checkpoint(
        t.checkpoint, replace(checkpoint, live=replace(checkpoint.live, organizations=wrong))
    )
    assert [op.method for op in (await snapshot_plan(t)).result.plan.operations] == ["PATCH"]
    write_checkpoint(
        t.checkpoint, replace(checkpoint, live=replace(checkpoint.live, organizations=wrong))
    )
    planned, result = await snapshot_apply(t)
    assert result is None and planned.result.plan.operations == ()
    assert not [call for call in t.calls() if not call.startswith("GET ")]
    kept = read_checkpoint(t.checkpoint).live
    assert kept is not None and kept.organizations["org-0001"].display_name == org.display_name


async def test_a_write_by_someone_else_is_read_again_and_undone(tmp_path: Path):
    t = await applied(tmp_path)
    async with t.by_hand() as hand:
        await hand.patch(f"/organizations/{t.org_id('org-0002')}", json={"display_name": "x"})
    planned, result = await snapshot_apply(t)
    assert planned.scan.writes == 1 and planned.fresh == {"org-0002": (True, False)}
    assert [op.org for op in planned.result.plan.operations] == ["org-0002"]
    assert result is not None and result.converged


def fallbacks() -> list[Any]:
    """(how the snapshot or the log is made unusable, the reason the full read gives)."""

    def rewrite(**changes: Any) -> Any:
        def change(t: LoggedTenant) -> None:
            write_checkpoint(t.checkpoint, replace(read_checkpoint(t.checkpoint), **changes))

        return change

    def edit_file(t: LoggedTenant) -> None:
        text = t.checkpoint.read_text(encoding="utf-8")
        t.checkpoint.write_text(text.replace('"org-0001"', '"org-0009"', 1), encoding="utf-8")

    def later(days: float) -> Any:
        def change(t: LoggedTenant) -> None:
            t.clock.time += days * DAY

        return change

    def clear_log(t: LoggedTenant) -> None:
        t.sandbox.store.state.logs.clear()
        t.sandbox.store.add_log({"type": "s", "description": "Success Login"})

    def remove(t: LoggedTenant) -> None:
        t.checkpoint.unlink()

    return [
        pytest.param(remove, "no checkpoint in {path} yet", id="missing"),
        pytest.param(
            edit_file,
            "{path} is not as it was written (its checksum does not match its content)",
            id="checksum",
        ),
        pytest.param(
            rewrite(tenant="other"),
            "the checkpoint is of tenant other on embedded sandbox",
            id="another tenant",
        ),
        pytest.param(
            rewrite(target="https://other.eu.auth0.com"),
            "the checkpoint is of tenant generated on https://other.eu.auth0.com",
            id="another target",
        ),
        pytest.param(
            rewrite(live=None),
            "the checkpoint holds no snapshot of the live state",
            id="no snapshot",
        ),
        pytest.param(
            later(31),
            "the checkpoint is 31 days old, older than the log's retention "
            "(drift.log_retention_days: 30)",
            id="past retention",
        ),
        pytest.param(
            clear_log,
            "the tenant log no longer holds the checkpoint's event (retention)",
            id="event gone",
        ),
    ]


@pytest.mark.parametrize(("unusable", "reason"), fallbacks())
async def test_a_snapshot_that_cannot_be_used_means_a_full_read_that_says_why(
    tmp_path: Path, unusable: Any, reason: str
):
    t = await applied(tmp_path)
    edited(t, "org-0003")
    unusable(t)
    planned = await snapshot_plan(t)
    assert not planned.scan.incremental
    assert planned.scan.reason == reason.format(path=t.checkpoint)
    assert planned.scan.sentence() == f"Full read: {reason.format(path=t.checkpoint)}."
    assert "GET /organizations" in t.calls()
    assert shown(planned.result.plan) == shown(await full_plan(t))
    assert (await snapshot_plan(t)).scan.incremental


async def test_a_full_read_is_made_when_the_last_one_is_a_week_old(tmp_path: Path):
    t = await applied(tmp_path)
    for _ in range(7):
        t.clock.time += DAY
        assert (await snapshot_plan(t)).scan.incremental
    t.clock.time += DAY
    planned = await snapshot_plan(t)
    assert planned.scan.reason == "the last full read is 8 days old (drift.full_scan_days: 7)"
    assert read_checkpoint(t.checkpoint).full_scan_at == t.clock.time


async def test_a_changed_tenant_file_means_a_full_read(tmp_path: Path):
    t = await applied(tmp_path)
    desired = t.tenant.desired
    policy = desired.tenant.policy.model_copy(update={"members": "additive"})
    t.tenant.desired = replace(desired, tenant=desired.tenant.model_copy(update={"policy": policy}))
    assert (await snapshot_plan(t)).scan.reason == "tenant.yaml changed since the last check"


async def test_a_write_that_can_change_any_organization_means_a_full_read(tmp_path: Path):
    t = await applied(tmp_path)
    okta = t.sandbox.store.connection_by_name("partner-okta")["id"]
    async with t.by_hand() as hand:
        assert (await hand.delete(f"/connections/{okta}")).is_success
    planned = await snapshot_plan(t)
    assert planned.scan.reason == f"DELETE /api/v2/connections/{okta} can change any organization"
    assert shown(planned.result.plan) == shown(await full_plan(t))


async def test_a_log_that_cannot_be_read_means_a_full_read_and_no_snapshot_kept(
    tmp_path: Path,
):
    t = await applied(tmp_path)
    before = t.checkpoint.read_bytes()
    scopes = sorted(t.sandbox.all_scopes - {"read:logs", "read:logs_users"})
    client = t.sandbox.world.management_client.model_copy(update={"scopes": scopes})
    t.sandbox.world = t.sandbox.world.model_copy(update={"management_client": client})
    planned = await snapshot_plan(t)
    assert planned.scan.reason is not None
    assert planned.scan.reason.startswith("the tenant log cannot be read (GET /logs/")
    assert planned.scan.unwritten == (
        "the tenant log cannot be read (GET /logs: 403 the token lacks the scope read:logs "
        "(or read:logs_users))"
    )
    assert shown(planned.result.plan) == shown(await full_plan(t))
    assert t.checkpoint.read_bytes() == before


async def test_the_snapshot_keeps_no_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OKTA_SECRET", "okta-secret-value")
    t = logged_tenant(tmp_path)
    okta = {
        "strategy": "okta",
        "options": {
            "domain": "acme.okta.com",
            "client_id": "abc",
            "client_secret_env": "OKTA_SECRET",
        },
    }
    t.tenant.desired = with_customer(t.tenant.desired, okta, pem(1))
    _, result = await snapshot_apply(t)
    assert result is not None and result.converged
    kept = read_checkpoint(t.checkpoint).live
    assert kept is not None and CUSTOMER in kept.organizations
    assert "okta-secret-value" not in t.checkpoint.read_text(encoding="utf-8")
    assert "okta-secret-value" in json.dumps(t.sandbox.store.connection_by_name("acme-sso"))


async def test_a_killed_apply_keeps_the_snapshot_before_it_and_the_next_apply_finishes(
    tmp_path: Path,
):
    t = await applied(tmp_path)
    before = t.checkpoint.read_bytes()
    edited(t, "org-0001", "org-0002")
    _, killed = await snapshot_apply(t, writes=1)
    assert killed is None and t.checkpoint.read_bytes() == before
    assert [call for call in t.calls() if not call.startswith("GET ")]  # it wrote
    planned = await snapshot_plan(t)
    assert planned.scan.own_writes >= 1 and set(planned.fresh) == {"org-0001", "org-0002"}
    assert shown(planned.result.plan) == shown(await full_plan(t))
    _, result = await snapshot_apply(t)
    assert result is None or result.converged
    assert (await snapshot_plan(t)).result.plan.operations == ()
    assert t.calls() == BASE


async def test_parts_the_snapshot_has_wrong_are_read_again_when_only_the_fields_were(
    tmp_path: Path,
):
    t = await applied(tmp_path)
    checkpoint = read_checkpoint(t.checkpoint)
    assert checkpoint.live is not None
    org = checkpoint.live.organizations["org-0001"]
    assert org.members
    wrong = replace(org, members=org.members[1:])
    organizations = {**checkpoint.live.organizations, "org-0001": wrong}
    live = replace(checkpoint.live, organizations=organizations)
    write_checkpoint(t.checkpoint, replace(checkpoint, live=live))
    async with t.by_hand() as hand:
        await hand.patch(f"/organizations/{t.org_id('org-0001')}", json={"display_name": "x"})
    planned, result = await snapshot_apply(t)
    assert planned.fresh == {"org-0001": (True, True)}
    assert [op.method for op in planned.result.plan.operations] == ["PATCH"]
    assert result is not None and result.converged
    assert [c for c in t.calls() if not c.startswith("GET ")] == ["PATCH /organizations/org-0001"]


async def test_more_log_than_a_full_read_costs_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path, orgs=1)
    await snapshot_plan(t)
    for _ in range(300):
        t.sandbox.store.add_log({"type": "s", "description": "Success Login"})
    planned = await snapshot_plan(t)
    assert planned.scan.reason == (
        "the tenant log holds more than 300 events since the last check: "
        "reading everything costs fewer requests"
    )
    assert shown(planned.result.plan) == shown(await full_plan(t))


async def test_a_snapshot_that_cannot_be_written_is_said_and_the_plan_still_made(
    tmp_path: Path,
):
    t = await applied(tmp_path)
    t.checkpoint.unlink()
    t.checkpoint.mkdir()
    planned = await snapshot_plan(t)
    scan = keep(t.checkpoint, planned.checkpoint, planned.scan)
    assert scan.unwritten is not None
    assert scan.unwritten.startswith(f"{t.checkpoint} cannot be written (")
    assert scan.sentence().endswith(f"No checkpoint was written: {scan.unwritten}.")
    assert shown(planned.result.plan) == shown(await full_plan(t))
