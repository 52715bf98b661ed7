"""`reconciler compare FROM TO`: what promoting FROM's desired state to TO would change,
from the files alone (Auth0 is not contacted)."""

from pathlib import Path

import click

from reconciler.cli.terminal import echo, load_files
from reconciler.config.tenants import resolve_tenant
from reconciler.core.compare import compare
from reconciler.render.view import field_line, row_title
from reconciler.safe_text import inert

EXIT_DIFFERENT = 2


@click.command(name="compare")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when the two differ.")
def compare_command(source: str, target: str, detailed_exitcode: bool) -> None:
    """Show how tenant TO's files would change if they said what FROM's say (each tenant's
    domain, credentials and values aside), without contacting Auth0."""
    paths = [_tenant(spec) for spec in (source, target)]
    left, right = (load_files(path).desired for path in paths)
    rows = compare(left, right)
    lines = [f"Compare {inert(left.tenant_name)} -> {inert(right.tenant_name)}.", ""]
    for row in rows:
        lines.append(f"  {row_title(row)}")
        lines.extend(f"      {field_line(row, change)}" for change in row.fields)
    if rows:
        lines.append("")
    lines.append(f"{len(rows)} difference{'' if len(rows) == 1 else 's'}." if rows else "Same.")
    echo("\n".join(lines))
    if detailed_exitcode and rows:
        raise click.exceptions.Exit(EXIT_DIFFERENT)


def _tenant(spec: str) -> Path:
    try:
        return resolve_tenant(spec)
    except LookupError as error:
        raise click.UsageError(str(error)) from None
