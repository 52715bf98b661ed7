"""Property: after random changes by hand, edits of the files, applies (from the snapshot or
not, some killed halfway), drift checks and days passing (a full read is due once a week), a
plan from the snapshot and the tenant log is exactly the plan of a full read."""

import asyncio
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.core.verification import Verify
from tests.integration.incremental import LoggedTenant, logged_tenant
from tests.integration.snapshots import full_plan, shown, snapshot_apply, snapshot_plan
from tests.integration.test_incremental_property import USERS, change, make

change_or_run = st.one_of(
    change,
    st.tuples(st.just("apply from the snapshot"), st.sampled_from(list(Verify))),
    st.tuples(st.just("killed apply"), st.integers(1, 6)),
    st.tuples(st.just("drift check")),
    st.tuples(st.just("days later"), st.integers(1, 4)),
)
DAY = 86_400.0
rounds = st.lists(st.lists(change_or_run, max_size=4), min_size=1, max_size=3)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rounds=rounds)
def test_a_plan_from_the_snapshot_is_the_plan_of_a_full_read(tmp_path_factory: Any, rounds: Any):
    asyncio.run(check_rounds(tmp_path_factory.mktemp("snapshot"), rounds))


async def check_rounds(folder: Path, changes: list[list[tuple[Any, ...]]]) -> None:
    t = logged_tenant(folder, orgs=3, members=3)
    for index in range(3, USERS):
        t.sandbox.store.create_user(f"user{index:05d}@gen.example", f"User {index}")
    await snapshot_plan(t)
    for batch in changes:
        async with t.by_hand() as hand:
            for one in batch:
                await run(t, hand, one)
        planned = await snapshot_plan(t)
        assert shown(planned.result.plan) == shown(await full_plan(t)), (batch, planned.scan)


async def run(t: LoggedTenant, hand: httpx.AsyncClient, one: tuple[Any, ...]) -> None:
    kind, *args = one
    if kind == "apply from the snapshot":
        await snapshot_apply(t, verify=args[0])
    elif kind == "killed apply":
        await snapshot_apply(t, writes=args[0])
    elif kind == "drift check":
        await t.check()
    elif kind == "days later":  # a full read is due once the last one is a week old
        t.clock.time += args[0] * DAY
    else:
        await make(t, hand, one)
