"""The sandbox served over HTTP on loopback in its own process, and its controls."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.limits import BenchLimits
from bench.tenant import CLIENT_ID, CLIENT_SECRET

RETRIES = 20


@dataclass
class Served:
    """A running served sandbox: its base URL and a control token."""

    base: str
    token: str = ""

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """One request to the sandbox (controls or API) with the token; a 429 is sent again
        once its bucket's `x-ratelimit-reset` has passed, as a careful client would."""
        data = None if body is None else json.dumps(body).encode()
        for _ in range(RETRIES):
            request = urllib.request.Request(f"{self.base}{path}", data=data, method=method)
            request.add_header("Content-Type", "application/json")
            if self.token:
                request.add_header("Authorization", f"Bearer {self.token}")
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    text = response.read()
                return json.loads(text) if text else None
            except urllib.error.HTTPError as error:
                if error.code != 429:
                    raise
                reset = float(error.headers.get("x-ratelimit-reset") or 0)
                time.sleep(min(max(reset - time.time(), 0.05), 5.0))
        raise RuntimeError(f"{method} {path}: still refused (429) after {RETRIES} attempts")

    def login(self) -> None:
        """Take a token from the sandbox's /oauth/token."""
        answer = self.request(
            "POST",
            "/oauth/token",
            {
                "grant_type": "client_credentials",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "audience": f"{self.base}/api/v2/",
            },
        )
        self.token = answer["access_token"]

    def as_client(self, client_id: str) -> "Served":
        """The same sandbox, called as another application (someone changing it by hand)."""
        answer = self.request("POST", "/_sandbox/token", {"client_id": client_id})
        return Served(self.base, answer["access_token"])

    def calls(self) -> list[dict[str, Any]]:
        """The API calls logged since the last reset, then forget them."""
        calls: list[dict[str, Any]] = self.request("GET", "/_sandbox/calls?api=true")["calls"]
        self.request("POST", "/_sandbox/reset")
        return calls

    def reset_state(self) -> None:
        """Back to the seeded world (no organizations), and an empty call log."""
        self.request("POST", "/_sandbox/reset?state=1")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(
    tenant: Path, limits: BenchLimits, latency_ms: float, state: Path | None = None
) -> Iterator[Served]:
    """Serve the tenant's sandbox in a separate process for the duration of the block, under
    the limits of `limits` and on their faster clock (its state kept in `state` when given,
    seeded from it when that file exists)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reconciler",
            "sandbox",
            "serve",
            "--tenant",
            str(tenant),
            "--port",
            str(port),
            "--limits",
            limits.subscription.value,
            "--limits-speedup",
            str(limits.speedup),
            "--latency-ms",
            f"{latency_ms:g}",
            *(("--state", str(state)) if state is not None else ()),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    served = Served(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                served.login()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the served sandbox did not start") from None
                time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        process.wait(timeout=30)
