"""Options shared by several commands."""

import functools
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from reconciler.auth0.session import Session
from reconciler.cli.terminal import allow_colour, warn
from reconciler.config.layout import RECORDS_DIR
from reconciler.config.loader import TenantFiles
from reconciler.config.tenant_id import TenantId
from reconciler.config.tenants import TenantNotFoundError, resolve_tenant
from reconciler.core.journal import file_stem
from reconciler.core.shards import Shard, ShardError
from reconciler.core.targets import connect
from reconciler.model import ActionSettings, Credentials
from reconciler.model.tenant import TOKEN_ENV
from reconciler.render import COMMENT_LIMIT

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


DOMAIN_ENV = "AUTH0_DOMAIN"
"""The environment variable that overrides tenant.yaml's domain, as --domain does."""

domain_option = click.option(
    "--domain",
    envvar=DOMAIN_ENV,
    show_envvar=True,
    help="Override the tenant file's domain (sandbox, http://127.0.0.1:PORT, a host).",
)


def _no_colour(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        allow_colour(False)


no_color_option = click.option(
    "--no-color",
    is_flag=True,
    expose_value=False,
    callback=_no_colour,
    help="Plain text, no colours (as NO_COLOR=1 does).",
)
yes_option = click.option("--yes", "-y", is_flag=True, help="Go ahead without asking.")


def _environment_help() -> str:
    credentials, action = Credentials(), ActionSettings()
    rows = [
        (
            f"{credentials.client_id_env}, {credentials.client_secret_env}",
            "the Management API client's id and secret (the names tenant.yaml credentials gives)",
        ),
        (TOKEN_ENV, "a Management API token, used instead of the client credentials"),
        (DOMAIN_ENV, "the tenant to reach instead of tenant.yaml's domain (as --domain)"),
        (
            ", ".join(action.secret_names),
            "the post-login Action's secrets, sent when it is deployed (the names tenant.yaml "
            "action gives)",
        ),
        ("NO_COLOR", "no colours (as --no-color)"),
        ("XDG_RUNTIME_DIR", "where the apply lock is kept"),
    ]
    lines = ["\b", "Environment variables:"]
    for names, meaning in rows:
        lines += [f"  {names}", f"      {meaning}"]
    return "\n".join(lines)


ENVIRONMENT_HELP = _environment_help()
"""The environment variables the commands read, for the epilog of `--help`."""
org_option = click.option(
    "--org", "orgs", multiple=True, metavar="NAME", help="Only this organization (repeatable)."
)
ca_file_option = click.option(
    "--ca-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Trust this CA (PEM) for the target's TLS certificate, e.g. a served sandbox's.",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
verbose_option = click.option(
    "--verbose",
    is_flag=True,
    help="Also show the rows that stay as they are (=): pending invitations and discovery "
    "domains; changes and notes are always shown.",
)
max_chars_option = click.option(
    "--max-chars",
    type=click.IntRange(min=0),
    default=COMMENT_LIMIT,
    show_default=True,
    help="Markdown: shorten to this many characters (GitHub's comment limit); 0: no limit.",
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


@dataclass(frozen=True)
class TargetChoice:
    """Where a command connects: `--domain`, `--ca-file` and `--shard` together."""

    domain: str | None
    ca_file: Path | None
    shard: Shard | None

    def connect(self, files: TenantFiles) -> AbstractAsyncContextManager[Session]:
        """A session on the tenant's chosen target, warnings shown on the terminal."""
        return connect(
            files.desired,
            files.world,
            domain=self.domain,
            ca_file=self.ca_file,
            shards=self.shard.count if self.shard else 1,
            notice=warn,
        )


def target_options(command: F) -> F:
    """`--domain`, `--ca-file` and `--shard`, passed to the command as `target`."""

    @functools.wraps(command)
    def with_target(
        *args: Any, domain: str | None, ca_file: Path | None, shard: Shard | None, **kwargs: Any
    ) -> Any:
        return command(*args, target=TargetChoice(domain, ca_file, shard), **kwargs)

    return cast(F, domain_option(ca_file_option(shard_option(with_target))))


def json_format_option(json_help: str) -> Callable[[F], F]:
    """`--format text|json` (the value as `output_format`); `json_help` says what json gives."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=json_help,
    )


def snapshot_options(command: F) -> F:
    """`--from-snapshot` and `--snapshot FILE` (plans from the snapshot and the tenant log)."""
    flag = click.option(
        "--from-snapshot",
        is_flag=True,
        help="Read only what the tenant log says changed since the snapshot, and the "
        "organizations whose files changed; diff the rest against the snapshot (everything "
        "is read, saying why, when it cannot be used). Keeps the snapshot up to date.",
    )
    path = click.option(
        "--snapshot",
        type=click.Path(dir_okay=False, path_type=Path),
        help="The snapshot file of --from-snapshot, which is drift --incremental's checkpoint "
        f"(default: {RECORDS_DIR}/<tenant>@<target>.drift.json).",
    )
    return flag(path(command))


def snapshot_file(given: Path | None, tenant: TenantId, target: str) -> Path:
    """The snapshot (drift checkpoint) file of a tenant and target."""
    return given or RECORDS_DIR / (file_stem(tenant, target) + ".drift.json")
