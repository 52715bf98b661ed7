"""Options shared by several commands."""

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from reconciler.config.tenants import TenantNotFoundError, resolve_tenant
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
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
verbose_option = click.option(
    "--verbose", is_flag=True, help="Markdown: also show the rows that stay as they are (=)."
)
max_chars_option = click.option(
    "--max-chars",
    type=click.IntRange(min=0),
    default=COMMENT_LIMIT,
    show_default=True,
    help="Markdown: shorten to this many characters (GitHub's comment limit); 0: no limit.",
)
