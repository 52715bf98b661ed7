"""`reconciler sandbox ...`: serve a tenant's sandbox to other clients, or reset its state."""

from pathlib import Path
from typing import get_args

import click

from reconciler import sandbox as emulator
from reconciler.cli.options import tenant_option
from reconciler.config.layout import (
    SANDBOX_STATE_DIR,
    SANDBOX_TLS_DIR,
    WORLD_FILE,
    sandbox_state_file,
)
from reconciler.config.loader import load_sandbox_world
from reconciler.config.tenant_id import TenantId
from reconciler.core.targets import embedded_sandbox
from reconciler.sandbox import state_lock
from reconciler.sandbox.limits import LimitsName
from reconciler.sandbox.settings import DEFAULT_PORT, SandboxSettings


def world_file(tenant: Path) -> Path:
    """The tenant's `sandbox.yaml`, which must exist."""
    path = tenant / WORLD_FILE
    if not path.is_file():
        raise click.UsageError(f"{path} does not exist: the sandbox's world is described there")
    return path


@click.group("sandbox")
def sandbox_cli() -> None:
    """The embedded Auth0 Management API sandbox."""


@sandbox_cli.command("serve")
@tenant_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int)
@click.option("--unsafe-listen", is_flag=True, help="Allow a host other than loopback.")
@click.option("--tls", is_flag=True, help="Serve HTTPS with a generated CA.")
@click.option(
    "--tls-dir",
    default=str(SANDBOX_TLS_DIR),
    show_default=True,
    type=click.Path(path_type=Path),
    help="Where the CA and server certificate go.",
)
@click.option("--state", type=click.Path(path_type=Path), help="Persist state in this file.")
@click.option("--rate-limit", type=float, help="Requests per second (token bucket).")
@click.option("--rate-limit-burst", default=10, show_default=True, type=int)
@click.option(
    "--limits",
    type=click.Choice(get_args(LimitsName)),
    default="off",
    show_default=True,
    help="Enforce this subscription's Auth0 limits: a tenant-wide bucket and one per endpoint "
    "group (off: the one bucket of --rate-limit).",
)
@click.option(
    "--limits-speedup",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=1),
    help="Run the --limits buckets this many times faster (refill and reset), to measure "
    "Auth0's minutes in seconds.",
)
@click.option("--latency-ms", default=0.0, show_default=True, type=float)
@click.option("--fail-rate", default=0.0, show_default=True, type=float, help="P(5xx).")
@click.option("--drop-rate", default=0.0, show_default=True, type=float, help="P(drop).")
@click.option(
    "--lost-response-rate", default=0.0, show_default=True, type=float, help="P(write, no reply)."
)
@click.option("--member-lag", default=0.0, show_default=True, type=float, help="Seconds.")
@click.option("--member-batch-max", default=10, show_default=True, type=int)
@click.option("--seed", default=0, show_default=True, type=int, help="Seeds ids and faults.")
def serve_command(
    tenant: Path,
    host: str,
    port: int,
    unsafe_listen: bool,
    tls: bool,
    tls_dir: Path,
    state: Path | None,
    rate_limit: float | None,
    rate_limit_burst: int,
    limits: LimitsName,
    limits_speedup: float,
    latency_ms: float,
    fail_rate: float,
    drop_rate: float,
    lost_response_rate: float,
    member_lag: float,
    member_batch_max: int,
    seed: int,
) -> None:
    """Serve the sandbox for other clients over HTTP(S) on loopback."""
    try:
        settings = SandboxSettings(
            rate_limit_rps=rate_limit,
            rate_limit_burst=rate_limit_burst,
            limits=limits,
            limits_speedup=limits_speedup,
            latency_ms=latency_ms,
            fail_rate=fail_rate,
            drop_rate=drop_rate,
            lost_response_rate=lost_response_rate,
            member_lag_s=member_lag,
            member_batch_max=member_batch_max,
            seed=seed,
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    # The emulator's modules load here (`reconciler.sandbox` imports them on first use):
    # every other command, against a real tenant too, loads this module.
    sandbox = emulator.Sandbox.from_world_file(
        world_file(tenant), state_file=state, settings=settings, seed=seed
    )
    try:
        emulator.serve(sandbox, host, port, tls_dir if tls else None, unsafe_listen)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


@sandbox_cli.command("reset")
@tenant_option
def reset_command(tenant: Path) -> None:
    """Rebuild the embedded sandbox's state from sandbox.yaml (the TLS CA is kept)."""
    world_file(tenant)
    world = load_sandbox_world(tenant)
    tenant_id = TenantId.of_directory(tenant)
    with state_lock(sandbox_state_file(SANDBOX_STATE_DIR, tenant_id)):
        embedded_sandbox(tenant_id, world, SANDBOX_STATE_DIR).reset_state()
    click.echo(f"reset the embedded sandbox of {tenant_id.name} from {WORLD_FILE}")
