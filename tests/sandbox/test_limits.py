"""Auth0's per-subscription limits: a bucket per endpoint group on top of the tenant's."""

from __future__ import annotations

import httpx

from reconciler.sandbox import Sandbox, SandboxSettings, World
from reconciler.sandbox.limits import LimitsName


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def client(world: World, limits: LimitsName, clock: FakeClock) -> tuple[Sandbox, httpx.Client]:
    sandbox = Sandbox(world, clock=clock, settings=SandboxSettings(limits=limits))
    http = sandbox.sync_client(headers={"authorization": f"Bearer {sandbox.issue_token()}"})
    return sandbox, http


def remaining(response: httpx.Response) -> tuple[int, str, str]:
    h = response.headers
    return response.status_code, h["x-ratelimit-limit"], h["x-ratelimit-remaining"]


def test_a_group_runs_out_alone_and_its_429_names_it(world: World) -> None:
    clock = FakeClock()
    sandbox, http = client(world, "enterprise", clock)
    org = sandbox.store.create_organization("acme").id
    with http:
        path = f"/api/v2/organizations/{org}/enabled_connections"
        seen = [remaining(http.get(path)) for _ in range(10)]
        assert seen == [(200, "10", str(9 - i)) for i in range(10)]
        refused = http.get(path)
        assert refused.status_code == 429
        assert refused.json() == {
            "statusCode": 429,
            "error": "Too Many Requests",
            "message": "Rate limit of the endpoint group 'Read Organization Connections' "
            "has been reached",
            "errorCode": "too_many_requests",
        }
        assert refused.headers["x-ratelimit-reset"] == str(int(clock.now) + 6)
        # Another group, and a route in none (the tenant-wide bucket's headers: 12 taken, the
        # refused request took none), still pass.
        assert remaining(http.get(f"/api/v2/organizations/{org}")) == (200, "10", "9")
        assert remaining(http.get("/api/v2/roles")) == (200, "50", "38")
        clock.now += 1  # 100/minute: a token back
        assert remaining(http.get(path))[0] == 200
    assert [c.fault for c in sandbox.api_calls()].count("rate_limited") == 1


def test_the_tenant_wide_bucket_limits_every_group(world: World) -> None:
    clock = FakeClock()
    sandbox, http = client(world, "free", clock)
    org = sandbox.store.create_organization("acme").id
    with http:
        assert remaining(http.get(f"/api/v2/organizations/{org}")) == (200, "2", "1")
        assert remaining(http.get("/api/v2/roles")) == (200, "2", "0")
        refused = http.get(f"/api/v2/organizations/{org}/members")
        assert refused.status_code == 429
        assert refused.json()["message"] == "Global limit has been reached"


def test_unlisted_groups_share_one_bucket_on_professional(world: World) -> None:
    clock = FakeClock()
    sandbox, http = client(world, "professional", clock)
    org = sandbox.store.create_organization("acme").id
    with http:
        assert remaining(http.get("/api/v2/roles")) == (200, "10", "9")
        assert remaining(http.get(f"/api/v2/organizations/{org}/invitations")) == (200, "10", "8")
        assert remaining(http.get(f"/api/v2/organizations/{org}/members")) == (200, "20", "19")


def test_a_faster_clock_refills_k_times_faster_and_resets_in_kths_of_a_second(
    world: World,
) -> None:
    clock = FakeClock()
    sandbox = Sandbox(
        world, clock=clock, settings=SandboxSettings(limits="enterprise", limits_speedup=20)
    )
    org = sandbox.store.create_organization("acme").id
    path = f"/api/v2/organizations/{org}/enabled_connections"
    with sandbox.sync_client(headers={"authorization": f"Bearer {sandbox.issue_token()}"}) as http:
        for _ in range(10):
            http.get(path)
        refused = http.get(path)
        assert refused.status_code == 429
        # 10 tokens at 100/minute x 20: full again in 0.3 s, said to the 1/20 second.
        assert refused.headers["x-ratelimit-reset"] == f"{clock.now + 0.3:.3f}"
        clock.now += 0.05  # a token back (at Auth0's pace it takes 0.6 s)
        assert remaining(http.get(path)) == (200, "10", "0")
