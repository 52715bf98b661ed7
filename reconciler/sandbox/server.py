"""Serving a sandbox over HTTP(S) on loopback with uvicorn."""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from .app import JSON_TYPE, Receive, Scope, Send, dump
from .errors import ApiError
from .faults import ConnectionDropped
from .sandbox import Sandbox
from .settings import DEFAULT_PORT
from .tls import TlsFiles, ensure_certificates

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
STARTUP_TIMEOUT = 10.0


class _HideDrops(logging.Filter):
    """uvicorn logs an exception for every (deliberately) dropped connection: hide those."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


class _AbortOnDrop:
    """Turns a dropped connection into what a client sees when a server dies mid-response:
    a status line and headers promising a body, then the connection closes."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.sandbox.app(scope, receive, send)
        except ConnectionDropped:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"1")],
                }
            )
            raise


class _LoopbackHostOnly:
    """Answers only requests whose `Host` names the loopback address and port it is served on
    (or `localhost` at that port), controls included: a web page whose own domain an attacker
    points at 127.0.0.1 (DNS rebinding) sends that domain, and is refused."""

    def __init__(self, app: _AbortOnDrop) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _host_header(scope) not in _served_hosts(scope):
            error = ApiError(403, "Host not allowed: the sandbox answers its loopback address")
            body = dump(error.body())
            headers = [(b"content-length", str(len(body)).encode()), JSON_TYPE]
            await send({"type": "http.response.start", "status": 403, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def _host_header(scope: Scope) -> str | None:
    hosts = [value for key, value in scope["headers"] if key.lower() == b"host"]
    return hosts[0].decode("latin-1").lower() if len(hosts) == 1 else None


def _served_hosts(scope: Scope) -> frozenset[str]:
    """The `Host` values that name where this connection was accepted: its loopback address
    and port, and `localhost` at that port (the port left out when it is the scheme's)."""
    address, port = scope.get("server") or ("", 0)
    try:
        loopback = ipaddress.ip_address(address).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        return frozenset()
    names = {f"[{address}]" if ":" in address else address, "localhost"}
    default = {"http": 80, "https": 443}.get(scope.get("scheme", ""))
    hosts = {f"{name}:{port}" for name in names}
    return frozenset(hosts | names if port == default else hosts)


def check_port(host: str, port: int) -> None:
    """Refuse, in one line, a port another program already listens on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ValueError(
                f"cannot listen on {host}:{port} ({error.strerror}): "
                "another program uses it; pick another with --port"
            ) from None


def check_host(host: str, unsafe_listen: bool = False) -> None:
    """Refuse to listen beyond loopback unless explicitly allowed."""
    if host not in LOOPBACK_HOSTS and not unsafe_listen:
        raise ValueError(
            f"refusing to listen on {host}: the sandbox serves only loopback "
            "(127.0.0.1, localhost, ::1) unless unsafe_listen is set"
        )


def _config(sandbox: Sandbox, host: str, port: int, tls: TlsFiles | None) -> uvicorn.Config:
    """uvicorn's settings; served beyond loopback (`unsafe_listen`), any `Host` is answered."""
    logging.getLogger("uvicorn.error").addFilter(_HideDrops())
    options: dict[str, Any] = {}
    if tls is not None:
        options = {"ssl_certfile": str(tls.server_cert), "ssl_keyfile": str(tls.server_key)}
    app = _AbortOnDrop(sandbox)
    return uvicorn.Config(
        app if host not in LOOPBACK_HOSTS else _LoopbackHostOnly(app),
        host=host,
        port=port,
        lifespan="off",
        log_config=None,
        access_log=False,
        **options,
    )


def _url(scheme: str, host: str, port: int) -> str:
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


def serve(
    sandbox: Sandbox,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    tls_dir: str | Path | None = None,
    unsafe_listen: bool = False,
) -> None:
    """Serve until interrupted. With ``tls_dir``, serve HTTPS with a certificate signed by a
    CA generated there (printed, so that clients can trust it)."""
    check_host(host, unsafe_listen)
    check_port(host, port)
    tls = ensure_certificates(tls_dir) if tls_dir is not None else None
    base = _url("https" if tls else "http", host, port)
    client = sandbox.management_client
    print(f"Auth0 sandbox: {base}/api/v2/  (token: POST {base}/oauth/token)")
    print(f"  client_id={client.client_id} client_secret={client.client_secret}")
    print(f"  audience={base}/api/v2/")
    if tls is not None:
        print(f"  TLS certificates in {tls.folder}; for Node clients:")
        print(f"  export NODE_EXTRA_CA_CERTS={tls.ca_cert}")
    try:
        uvicorn.Server(_config(sandbox, host, port, tls)).run()
    finally:
        sandbox.flush()


@contextmanager
def serving(
    sandbox: Sandbox, tls_dir: str | Path | None = None, host: str = "127.0.0.1"
) -> Iterator[str]:
    """Serve on a free loopback port in a background thread; yields the base URL (without
    ``/api/v2``) and stops the server on exit."""
    check_host(host)
    tls = ensure_certificates(tls_dir) if tls_dir is not None else None
    server = uvicorn.Server(_config(sandbox, host, 0, tls))
    thread = threading.Thread(target=server.run, name="sandbox-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield _url("https" if tls else "http", host, port)
    finally:
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT)
        sandbox.flush()
