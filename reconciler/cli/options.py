"""Options shared by several commands."""

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from reconciler.config.tenants import TenantNotFoundError, resolve_tenant
from reconciler.core.shards import Shard, ShardError

F = TypeVar("F", bound=Callable[..., Any])


def _tenant_directory(ctx: click.Context, param: click.Parameter, value: str | None) -> Path:
    try:
        return resolve_tenant(value)
    except TenantNotFoundError as error:
        raise click.UsageError(str(error)) from None


def tenant_option(command: F) -> F:
    """`--tenant NAME|PATH`, passed to the command as the tenant's directory."""
    option = click.option(
        "--tenant",
        metavar="NAME|PATH",
        callback=_tenant_directory,
        help="A tenant under ./tenants/ or a tenant directory; optional when there is only one.",
    )
    return option(command)


domain_option = click.option(
    "--domain", help="Override the tenant file's domain (sandbox, http://127.0.0.1:PORT, a host)."
)
org_option = click.option(
    "--org", "orgs", multiple=True, metavar="NAME", help="Only this organization (repeatable)."
)
ca_file_option = click.option(
    "--ca-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Trust this CA (PEM) for the target's TLS certificate, e.g. a served sandbox's.",
)


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> Shard | None:
    if value is None:
        return None
    try:
        return Shard.parse(value)
    except ShardError as error:
        raise click.UsageError(str(error)) from None


shard_option = click.option(
    "--shard",
    metavar="I/N",
    callback=_shard,
    help="Only the organizations of shard I of N (a stable hash of the name); "
    "uses 1/N of the rate-limit share.",
)
