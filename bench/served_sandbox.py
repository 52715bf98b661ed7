"""A sandbox served over TLS on loopback in its own process, and its `/_sandbox` controls."""

import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.peer_files import CLIENT_ID, CLIENT_SECRET, FLAGS, JobFiles

STARTUP_TIMEOUT = 30.0
POLL_S = 0.05
ID_SEGMENT = re.compile(r"^[a-z]{2,4}_[A-Za-z0-9]{8,}$")  # org_..., con_..., rol_...


@dataclass(frozen=True)
class Call:
    """One Management API call from the sandbox's call log."""

    method: str
    path: str
    status: int

    @property
    def shape(self) -> str:
        """The call with ids replaced by `{id}`, to group calls of the same kind."""
        segments = ["{id}" if ID_SEGMENT.match(s) else s for s in self.path.split("/")]
        return f"{self.method} {'/'.join(segments)}"


def free_port() -> int:
    """A TCP port nothing listens on right now, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServedSandbox:
    """Controls of a served sandbox, with a token of its management client."""

    def __init__(self, base_url: str, ca_file: Path) -> None:
        self.base_url = base_url
        self.ca_file = ca_file
        self._http = httpx.Client(
            base_url=base_url, verify=ssl.create_default_context(cafile=str(ca_file)), timeout=60
        )
        self._headers: dict[str, str] = {}

    def login(self) -> None:
        """Take a token for the controls from the sandbox's `/oauth/token`."""
        reply = self._http.post(
            "/oauth/token",
            json={
                "grant_type": "client_credentials",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "audience": f"{self.base_url}/api/v2/",
            },
        )
        reply.raise_for_status()
        self._headers = {"authorization": f"Bearer {reply.json()['access_token']}"}

    def reset(self, state: bool) -> None:
        """Clear the call log; with `state`, also restore the seeded world."""
        params = {"state": "1"} if state else {}
        self._http.post("/_sandbox/reset", params=params, headers=self._headers).raise_for_status()

    def calls(self) -> list[Call]:
        """The Management API calls since the last reset."""
        reply = self._http.get("/_sandbox/calls", params={"api": "true"}, headers=self._headers)
        reply.raise_for_status()
        return [Call(c["method"], c["path"], c["status"]) for c in reply.json()["calls"]]

    @contextmanager
    def first_call(self) -> Iterator["FirstCall"]:
        """Watch the call log, from a thread, until the first Management API call appears."""
        watch = FirstCall(self.base_url, self.ca_file, self._headers)
        thread = threading.Thread(target=watch.run, name="first-call", daemon=True)
        thread.start()
        try:
            yield watch
        finally:
            watch.stop.set()
            thread.join()

    def _get(self, path: str, **params: Any) -> Any:
        """An API read; a 429 (the sandbox's limits) waits for the bucket's reset."""
        while True:
            reply = self._http.get(f"/api/v2{path}", params=params, headers=self._headers)
            if reply.status_code != 429:
                reply.raise_for_status()
                return reply.json()
            reset = float(reply.headers.get("x-ratelimit-reset", time.time() + 1))
            time.sleep(min(max(reset - time.time(), POLL_S), 60))

    def organizations(self) -> dict[str, Any]:
        """Every organization's display name and enabled connections with their flags, by
        name (read with the API, so call it after the calls of a step were counted)."""
        found: dict[str, Any] = {}
        params: dict[str, Any] = {"take": 100}
        while True:
            page = self._get("/organizations", **params)
            for org in page["organizations"]:
                links = self._get(f"/organizations/{org['id']}/enabled_connections")
                found[org["name"]] = {
                    "display_name": org.get("display_name"),
                    "connections": sorted(
                        (link["connection"]["name"], *(link.get(flag) for flag in FLAGS))
                        for link in links
                    ),
                }
            if not page.get("next"):
                return found
            params["from"] = page["next"]

    def close(self) -> None:
        """Close the HTTP client."""
        self._http.close()


class FirstCall:
    """When the first Management API call reached the sandbox (`time.time()`, to within
    `POLL_S`), or None. Polls `/_sandbox/calls`, which is not itself an API call."""

    def __init__(self, base_url: str, ca_file: Path, headers: dict[str, str]) -> None:
        self.at: float | None = None
        self.stop = threading.Event()
        self._http = httpx.Client(
            base_url=base_url, verify=ssl.create_default_context(cafile=str(ca_file)), timeout=60
        )
        self._headers = headers

    def run(self) -> None:
        """Poll until a call shows or `stop` is set."""
        with self._http:
            while not self.stop.wait(POLL_S):
                reply = self._http.get(
                    "/_sandbox/calls", params={"api": "true"}, headers=self._headers
                )
                if reply.is_success and reply.json()["calls"]:
                    self.at = time.time()
                    return


def _wait_until_up(process: subprocess.Popen[bytes], base_url: str, ca_file: Path) -> ServedSandbox:
    """The sandbox's controls once it answers (its CA is written as it starts)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the sandbox exited at start with status {process.returncode}")
        if ca_file.exists():
            sandbox = ServedSandbox(base_url, ca_file)
            try:
                sandbox.login()
                return sandbox
            except (httpx.TransportError, ssl.SSLError):
                sandbox.close()
        if time.monotonic() > deadline:
            raise RuntimeError(f"the sandbox did not start in {STARTUP_TIMEOUT:g} s")
        time.sleep(0.1)


@contextmanager
def served(
    files: JobFiles, repo: Path, limits: str, speedup: int
) -> Iterator[tuple[ServedSandbox, int]]:
    """Serve the job's sandbox over TLS on a free loopback port, under a subscription's
    `limits` on a clock `speedup` times faster; yields its controls and port."""
    port = free_port()
    log = files.root / "sandbox.log"
    command = [
        sys.executable,
        "-m",
        "reconciler",
        "sandbox",
        "serve",
        *("--tenant", str(files.ours_base), "--port", str(port), "--tls"),
        *("--tls-dir", str(files.tls_dir), "--state", str(files.state_file)),
        *("--limits", limits, "--limits-speedup", str(speedup)),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=repo, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        sandbox = _wait_until_up(process, f"https://127.0.0.1:{port}", files.tls_dir / "ca.pem")
        try:
            yield sandbox, port
        finally:
            sandbox.close()
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGINT)
        try:
            process.wait(STARTUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
