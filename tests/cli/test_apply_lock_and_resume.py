"""Two checkouts of one tenant on one machine, as CI runners and people have them: an apply
killed in one is finished from a fresh one without --force when the record of the apply is
restored there (as apply.yml restores it from the Actions cache), and two applies of the
same tenant and target never run at once."""

import asyncio
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reconciler.sandbox import Sandbox, serving
from tests.cli.conftest import start

pytestmark = pytest.mark.http

ORGS, MEMBERS = 3, 4
RECORD = Path(".apply-journal/big.json")


def write_tenant(root: Path) -> None:
    """A new tenant: organizations with a connection and members with a role, and one
    application."""
    tenant = root / "tenants" / "big"
    (tenant / "organizations").mkdir(parents=True)
    (tenant / "tenant.yaml").write_text(
        "domain: sandbox\npolicy: {max_change_percent: 30}\n", encoding="utf-8"
    )
    users = "".join(f"  - {{email: user{i}@big.example, connection: db}}\n" for i in range(MEMBERS))
    (tenant / "sandbox.yaml").write_text(
        "connections: [{name: db, strategy: auth0}]\nusers:\n" + users, encoding="utf-8"
    )
    (tenant / "roles.yaml").write_text("roles:\n  member: {description: Member}\n")
    (tenant / "applications.yaml").write_text("applications:\n  Portal: {app_type: spa}\n")
    members = "".join(
        f"  - {{email: user{i}@big.example, roles: [member]}}\n" for i in range(MEMBERS)
    )
    for n in range(ORGS):
        (tenant / "organizations" / f"org-{n}.yaml").write_text(
            f"name: org-{n}\nconnections: [{{name: db}}]\nmembers:\n{members}", encoding="utf-8"
        )


class Stall:
    """Wraps the sandbox's ASGI app: requests that `stalls` picks (with `once`, only the
    first) wait until `release`, then fail with a 503 without being applied; `reached` is
    set when the first one arrives."""

    def __init__(self, app: Any, stalls: Callable[[str, str], bool], once: bool) -> None:
        self.app = app
        self.stalls = stalls
        self.once = once
        self.reached = threading.Event()
        self.release = threading.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        picked = scope["type"] == "http" and self.stalls(scope["method"], scope["path"])
        if not picked or (self.once and self.reached.is_set()):
            await self.app(scope, receive, send)
            return
        self.reached.set()
        while not self.release.is_set():
            await asyncio.sleep(0.02)
        start = {"type": "http.response.start", "status": 503, "headers": []}
        await send(start)
        await send({"type": "http.response.body", "body": b""})


@pytest.fixture
def checkouts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two directories holding the same tenant's files, nothing else."""
    first, second = tmp_path / "first", tmp_path / "second"
    write_tenant(first)
    shutil.copytree(first / "tenants", second / "tenants")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    return first, second


@pytest.fixture
def sandbox(checkouts: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """The tenant, served over HTTP to both directories (credentials in the environment)."""
    served = Sandbox.from_world_file(checkouts[0] / "tenants" / "big" / "sandbox.yaml")
    monkeypatch.setenv("AUTH0_CLIENT_ID", served.management_client.client_id)
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", served.management_client.client_secret)
    return served


@pytest.fixture
def url(sandbox: Sandbox) -> Iterator[str]:
    with serving(sandbox) as base_url:
        yield base_url


def stall(sandbox: Sandbox, stalls: Callable[[str, str], bool], once: bool = False) -> Stall:
    stalled = Stall(sandbox.app, stalls, once)
    sandbox.app = stalled
    return stalled


def unstall(sandbox: Sandbox, stalled: Stall) -> None:
    sandbox.app = stalled.app
    stalled.release.set()


def writes(sandbox: Sandbox) -> list[tuple[str, str]]:
    return [(c.method, c.path) for c in sandbox.api_calls() if c.method != "GET"]


def member_roles(method: str, path: str) -> bool:
    return method == "POST" and "/members/" in path and path.endswith("/roles")


def creates_application(method: str, path: str) -> bool:
    return (method, path) == ("POST", "/api/v2/clients")


def apply(directory: Path, url: str, *args: str) -> tuple[int, str, str]:
    process = start(directory, "apply", "--tenant", "big", "--yes", "--domain", url, *args)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def test_an_apply_killed_on_one_runner_is_finished_on_a_fresh_one_without_force(
    checkouts, sandbox, url
):
    first, second = checkouts
    stalled = stall(sandbox, member_roles)
    victim = start(
        first, "apply", "--tenant", "big", "--yes", "--domain", url, "--journal", str(RECORD)
    )
    assert stalled.reached.wait(timeout=60)
    victim.kill()  # the runner is lost while member roles are being assigned
    victim.wait(timeout=60)
    unstall(sandbox, stalled)
    assert (first / RECORD).is_file()
    # Each organization goes on to its members' roles once its members are added: the lost
    # runner may have left some organizations before that.
    done = [(c.method, c.path) for c in sandbox.api_calls() if c.method != "GET" and c.status < 300]
    assert not any(member_roles(*call) for call in done)

    # A fresh runner without the record: a large change, refused.
    sandbox.reset_calls()
    code, _, err = apply(second, url, "--journal", str(RECORD))
    assert code == 1
    assert re.fullmatch(
        r"refused: the plan changes or deletes 1\d of 19 existing managed objects \(\d+\.\d%\), "
        r"more than policy.max_change_percent \(30%\) \(pass --force to apply it anyway\)\n",
        err,
    )
    assert writes(sandbox) == []

    # With the record restored (as apply.yml restores it from the Actions cache): finished.
    (second / RECORD).parent.mkdir()
    shutil.copy(first / RECORD, second / RECORD)
    code, out, err = apply(second, url, "--journal", str(RECORD))
    assert code == 0, err
    finished = writes(sandbox)
    assert out.splitlines()[-2:] == [
        f"Applied: {len(finished)} done, 0 already so, 0 failed, 0 skipped.",
        "Verified: Auth0 matches the files.",
    ]
    # what the lost runner did is not done again; every role is assigned once
    assert not set(finished) & set(done)
    assert sum(member_roles(*call) for call in finished) == ORGS * MEMBERS
    assert not (second / RECORD).exists()
    code, out, _ = apply(second, url)
    assert (code, out.splitlines()[-1]) == (0, "No changes.")


def test_a_second_checkout_cannot_apply_while_the_first_one_does(checkouts, sandbox, url):
    first, second = checkouts
    stalled = stall(sandbox, creates_application, once=True)
    running = start(first, "apply", "--tenant", "big", "--yes", "--domain", url)
    assert stalled.reached.wait(timeout=60)  # planned, and about to create the application
    before = len(sandbox.api_calls())
    code, out, err = apply(second, url)
    assert (code, out) == (1, "")
    assert err.startswith(
        f"error: another apply of tenant big on {url} is running on this machine "
        f"(pid {running.pid}, lock "
    )
    assert len(sandbox.api_calls()) == before  # refused before reading anything
    unstall(sandbox, stalled)
    out, err = running.communicate(timeout=120)
    assert running.returncode == 0, err
    assert out.splitlines()[-1] == "Verified: Auth0 matches the files."
    code, out, _ = apply(second, url)
    assert (code, out.splitlines()[-1]) == (0, "No changes.")
    clients = [c for c in sandbox.store.state.clients.values() if c["name"] == "Portal"]
    assert len(clients) == 1
