"""`reconciler drift`: how Auth0 differs from Git; exit 2 on drift, 0 without."""

import asyncio
from pathlib import Path

import click

from reconciler.cli.options import (
    TargetChoice,
    format_option,
    max_chars_option,
    target_options,
    tenant_option,
)
from reconciler.cli.terminal import TerminalProgress, load_files
from reconciler.core.drift import DriftResult, detect_drift
from reconciler.core.service import Reconciler
from reconciler.render import (
    DriftView,
    render_drift_json,
    render_drift_markdown,
    render_drift_text,
)

EXIT_DRIFT = 2


@click.command()
@tenant_option
@target_options
@format_option
@max_chars_option
def drift(
    tenant: Path,
    target: TargetChoice,
    output_format: str,
    max_chars: int,
) -> None:
    """Report what changed in Auth0 against the files, including organizations made outside
    Git (policy.unmanaged_organizations); exit 2 on drift, 0 without, 1 on error."""
    desired = load_files(tenant)
    progress = TerminalProgress()

    async def run() -> tuple[DriftResult, str]:
        async with target.connect(desired, tenant) as session:
            try:
                found = await detect_drift(
                    Reconciler(session, desired, progress=progress), shard=target.shard
                )
            finally:
                progress.clear()
            return found, session.target.label

    found, label = asyncio.run(run())
    view = DriftView(desired.tenant_name, label, found.drift, found.result.live.read_calls)
    if output_format == "json":
        click.echo(render_drift_json(view), nl=False)
    elif output_format == "markdown":
        click.echo(render_drift_markdown(view, limit=max_chars or None), nl=False)
    else:
        click.echo(render_drift_text(view), nl=False)
    if found.drift.found:
        raise click.exceptions.Exit(EXIT_DRIFT)
