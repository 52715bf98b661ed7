"""Rate limits, latency, faults and eventual consistency."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from auth0.management import AsyncAuth0, Auth0
from auth0.management.core import ApiError as SdkApiError
from auth0.management.errors import TooManyRequestsError
from freezegun import freeze_time

from reconciler.sandbox import Sandbox, SandboxSettings, World

from .conftest import sdk, user_id


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_rate_limit_with_an_injected_clock(world: World) -> None:
    clock = FakeClock()
    sandbox = Sandbox(
        world, clock=clock, settings=SandboxSettings(rate_limit_rps=2, rate_limit_burst=3)
    )
    role = sandbox.store.create_role("admin").id
    with sandbox.sync_client() as http:
        api = sdk(sandbox, http)
        seen = []
        for _ in range(3):
            raw = api.roles.with_raw_response.get(role)
            seen.append((raw.headers["x-ratelimit-limit"], raw.headers["x-ratelimit-remaining"]))
        assert seen == [("3", "2"), ("3", "1"), ("3", "0")]
        with pytest.raises(TooManyRequestsError) as error:
            api.roles.list()
        assert error.value.body == {
            "statusCode": 429,
            "error": "Too Many Requests",
            "message": "Global limit has been reached",
            "errorCode": "too_many_requests",
        }
        assert error.value.headers["x-ratelimit-remaining"] == "0"
        assert error.value.headers["x-ratelimit-reset"] == str(int(clock.now) + 2)
        clock.now += 0.5
        assert api.roles.with_raw_response.get(role).headers["x-ratelimit-remaining"] == "0"
        with pytest.raises(TooManyRequestsError):
            api.roles.list()
        clock.now += 10
        assert api.roles.with_raw_response.get(role).headers["x-ratelimit-remaining"] == "2"
    assert [c.fault for c in sandbox.api_calls()].count("rate_limited") == 2


def test_rate_limit_under_freezegun(world: World) -> None:
    with freeze_time("2030-01-01 00:00:00") as frozen:
        sandbox = Sandbox(world, settings=SandboxSettings(rate_limit_rps=1, rate_limit_burst=1))
        with sandbox.sync_client(
            headers={"authorization": f"Bearer {sandbox.issue_token()}"}
        ) as http:
            first = http.get("/api/v2/roles")
            assert first.headers["x-ratelimit-reset"] == "1893456001"
            assert http.get("/api/v2/roles").status_code == 429
            frozen.tick(1)
            assert http.get("/api/v2/roles").status_code == 200


def test_headers_on_every_response_without_limit(sandbox: Sandbox, http: httpx.Client) -> None:
    response = http.get(
        "/api/v2/nowhere", headers={"authorization": f"Bearer {sandbox.issue_token()}"}
    )
    assert response.status_code == 404
    assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(
        response.headers
    )


async def test_latency_delays_each_call_without_blocking_the_others(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = Sandbox(world, settings=SandboxSettings(latency_ms=50))
    waiting = peak = 0
    real_sleep = asyncio.sleep

    async def counting_sleep(seconds: float) -> None:
        nonlocal waiting, peak
        waiting += 1
        peak = max(peak, waiting)
        await real_sleep(seconds)
        waiting -= 1

    monkeypatch.setattr("reconciler.sandbox.app.asyncio.sleep", counting_sleep)
    async with sandbox.async_client() as http:
        api = AsyncAuth0(
            base_url=f"{sandbox.base_url}/api/v2",
            token=sandbox.issue_token(),
            httpx_client=http,
            max_retries=0,
        )
        await asyncio.gather(*(api.roles.list() for _ in range(5)))
    assert all(call.duration_ms >= 50 for call in sandbox.api_calls())
    assert peak == 5  # the five waits overlap: the sleep is asynchronous


def test_server_errors_are_not_applied(world: World) -> None:
    sandbox = Sandbox(world, settings=SandboxSettings(fail_rate=1.0))
    with sandbox.sync_client() as http:
        api = sdk(sandbox, http)
        with pytest.raises(SdkApiError) as error:
            api.organizations.create(name="acme")
    assert error.value.status_code == 503
    assert error.value.body["error"] == "Service Unavailable"
    assert sandbox.store.state.organizations == {}
    assert sandbox.api_calls()[-1].fault == "server_error"


def test_fault_sequence_is_deterministic(world: World) -> None:
    def outcomes(seed: int) -> list[int]:
        sandbox = Sandbox(world, settings=SandboxSettings(fail_rate=0.5, seed=seed))
        with sandbox.sync_client(
            headers={"authorization": f"Bearer {sandbox.issue_token()}"}
        ) as http:
            return [http.get("/api/v2/roles").status_code for _ in range(20)]

    assert outcomes(7) == outcomes(7)
    assert set(outcomes(7)) == {200, 503}
    assert outcomes(7) != outcomes(8)


def test_dropped_connection_applies_nothing(world: World) -> None:
    sandbox = Sandbox(world, settings=SandboxSettings(drop_rate=1.0))
    with sandbox.sync_client() as http:
        api = sdk(sandbox, http)
        with pytest.raises(httpx.RemoteProtocolError):
            api.organizations.create(name="acme")
    assert sandbox.store.state.organizations == {}
    assert (sandbox.api_calls()[-1].status, sandbox.api_calls()[-1].fault) == (0, "drop")


async def test_dropped_connection_async(world: World) -> None:
    sandbox = Sandbox(world, settings=SandboxSettings(drop_rate=1.0))
    async with sandbox.async_client(
        headers={"authorization": f"Bearer {sandbox.issue_token()}"}
    ) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get("/api/v2/roles")


def test_committed_but_response_lost(world: World) -> None:
    sandbox = Sandbox(world, settings=SandboxSettings(lost_response_rate=1.0))
    with sandbox.sync_client() as http:
        api = sdk(sandbox, http)
        with pytest.raises(httpx.RemoteProtocolError):
            api.organizations.create(name="acme")
        assert [o.name for o in sandbox.store.state.organizations.values()] == ["acme"]
        assert list(api.roles.list()) == []  # reads are never lost
        with pytest.raises(SdkApiError) as retried:
            api.organizations.create(name="acme")
    assert retried.value.status_code == 409
    faults = [(c.status, c.fault) for c in sandbox.api_calls()]
    assert faults == [(201, "lost_response"), (200, None), (409, None)]


def test_member_list_lag(world: World) -> None:
    clock = FakeClock()
    sandbox = Sandbox(world, clock=clock, settings=SandboxSettings(member_lag_s=5))
    org = sandbox.store.create_organization("acme")
    alice, bob = user_id(sandbox, "alice@acme.com"), user_id(sandbox, "bob@acme.com")
    sandbox.store.add_members(org.id, [alice])
    with sandbox.sync_client() as http:
        api = sdk(sandbox, http)

        def listed() -> list[str]:
            return [m.user_id for m in api.organizations.members.list(org.id)]

        api.organizations.members.create(org.id, members=[bob])
        assert listed() == [alice]
        assert [o.name for o in api.users.organizations.list(bob)] == ["acme"]
        clock.now += 5
        assert listed() == [alice, bob]
        api.organizations.members.delete(org.id, members=[alice])
        assert listed() == [alice, bob]
        clock.now += 4.9
        assert listed() == [alice, bob]
        clock.now += 0.1
        assert listed() == [bob]


def test_settings_change_at_runtime(sandbox: Sandbox, api: Auth0) -> None:
    sandbox.update_settings(fail_rate=1.0, fail_status=502)
    with pytest.raises(SdkApiError) as error:
        api.roles.list()
    assert error.value.status_code == 502
    sandbox.update_settings(fail_rate=0)
    assert list(api.roles.list()) == []
    with pytest.raises(ValueError):
        sandbox.update_settings(fail_rate=2)
