"""`reconciler drift`: how Auth0 differs from Git; exit 2 on drift, 0 without."""

import asyncio
from pathlib import Path

import click

from reconciler.cli.options import (
    ca_file_option,
    domain_option,
    format_option,
    max_chars_option,
    tenant_option,
)
from reconciler.cli.terminal import TerminalProgress
from reconciler.config.loader import load_tenant
from reconciler.core.drift import DriftResult, detect_drift
from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.render import (
    DriftView,
    render_drift_json,
    render_drift_markdown,
    render_drift_text,
)

EXIT_DRIFT = 2


@click.command()
@tenant_option
@domain_option
@ca_file_option
@format_option
@max_chars_option
def drift(
    tenant: Path,
    domain: str | None,
    ca_file: Path | None,
    output_format: str,
    max_chars: int,
) -> None:
    """Report what changed in Auth0 against the files, including organizations made outside
    Git (policy.unmanaged_organizations); exit 2 on drift, 0 without, 1 on error."""
    desired = load_tenant(tenant)
    progress = TerminalProgress()

    async def run() -> tuple[DriftResult, str]:
        async with connect(desired, tenant, domain=domain, ca_file=ca_file) as session:
            try:
                found = await detect_drift(Reconciler(session, desired, progress=progress))
            finally:
                progress.clear()
            return found, session.target.label

    found, target = asyncio.run(run())
    view = DriftView(desired.tenant_name, target, found.drift, found.result.live.read_calls)
    if output_format == "json":
        click.echo(render_drift_json(view), nl=False)
    elif output_format == "markdown":
        click.echo(render_drift_markdown(view, limit=max_chars or None), nl=False)
    else:
        click.echo(render_drift_text(view), nl=False)
    if found.drift.found:
        raise click.exceptions.Exit(EXIT_DRIFT)
