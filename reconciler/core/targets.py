"""The one place that turns a tenant's `domain` into a transport and a login.

`sandbox` is the embedded sandbox (in-process, state kept in `.sandbox/<tenant>.json`); an
`http://` URL must be loopback (a served sandbox); anything else is a real tenant over TLS.
The emulator's modules are loaded only for the embedded sandbox (`reconciler.sandbox`
imports them on first use).
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

import reconciler.sandbox as emulator
from reconciler.auth0.credentials import ClientCredentials, login_from_environment
from reconciler.auth0.session import Session, open_session
from reconciler.auth0.target import Target, TargetError, TargetKind, resolve_target
from reconciler.clock import Clock
from reconciler.config.layout import SANDBOX_STATE_DIR, WORLD_FILE, sandbox_state_file
from reconciler.config.loader import SandboxWorld
from reconciler.config.tenant_id import TenantId
from reconciler.model.desired import Desired
from reconciler.safe_text import declare_public
from reconciler.sandbox import state_lock
from reconciler.sandbox.transport import AsyncSandboxTransport

if TYPE_CHECKING:
    from reconciler.sandbox import Sandbox


def embedded_sandbox(tenant: TenantId, world: SandboxWorld, state_dir: Path) -> Sandbox:
    """The tenant's embedded sandbox: its saved state, or seeded from its loaded `sandbox.yaml`
    on first use."""
    state_file = sandbox_state_file(state_dir, tenant)
    return emulator.Sandbox(
        world.world,
        state_file=state_file,
        store=emulator.Store.load(state_file) if state_file.exists() else None,
        tenant_domain=f"{world.path.resolve().parent.name}.sandbox.auth0.local",
        world_digest=world.digest,
    )


@asynccontextmanager
async def connect(
    desired: Desired,
    world: SandboxWorld | None = None,
    *,
    domain: str | None = None,
    sandbox: Sandbox | None = None,
    state_dir: Path = SANDBOX_STATE_DIR,
    clock: Clock | None = None,
    ca_file: Path | None = None,
    shards: int = 1,
    notice: Callable[[str], None] | None = None,
) -> AsyncIterator[Session]:
    """A session on the tenant's target (`domain` overrides tenant.yaml's).

    `sandbox` serves the embedded target in-process (tests, bench); without it the
    embedded sandbox of the tenant's loaded `world` (its sandbox.yaml) is used. TLS is always
    verified, against the system's CAs or `ca_file`. A job that is one of `shards` parallel
    ones spends that share of the tenant's rate-limit share. `notice` hears of things worth a
    warning (a sandbox.yaml changed since the embedded state was made).
    """
    target = resolve_target(domain or desired.tenant.domain)
    share = desired.tenant.rate_limit.share / shards
    if target.kind is not TargetKind.SANDBOX:
        declare_public(urlsplit(target.origin).netloc)
        transport = httpx.AsyncHTTPTransport(verify=_tls(ca_file))
        login = login_from_environment(desired.tenant.credentials, _describe(target))
        async with open_session(
            desired.tenant, target, transport, login, clock=clock, share=share, ca_file=ca_file
        ) as session:
            yield session
        return
    tenant = TenantId(desired.tenant_name)
    with ExitStack() as held:
        if sandbox is None:
            if world is None:
                raise TargetError(
                    f"tenant {tenant.name} has no {WORLD_FILE}: the embedded sandbox's world "
                    "is described there"
                )
            held.enter_context(state_lock(sandbox_state_file(state_dir, tenant)))
            sandbox = embedded_sandbox(tenant, world, state_dir)
            held.callback(sandbox.flush)
            if sandbox.world_changed and notice is not None:
                notice(
                    f"{WORLD_FILE} changed since the embedded sandbox state was created; run "
                    f"`reconciler sandbox reset --tenant {tenant.name}` to rebuild it"
                )
        spec = sandbox.management_client
        login = ClientCredentials(spec.client_id, spec.client_secret)
        async with open_session(
            desired.tenant,
            target,
            AsyncSandboxTransport(sandbox.app),
            login,
            clock=clock,
            share=share,
        ) as session:
            yield session


def _tls(ca_file: Path | None) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    except (OSError, ssl.SSLError) as error:
        raise TargetError(f"--ca-file {ca_file}: not a readable PEM file ({error})") from None


def _describe(target: Target) -> str:
    if target.kind is TargetKind.LOOPBACK:
        return f"the served sandbox at {target.origin}"
    return f"the tenant at {target.origin}"
