"""`reconciler drift`: how Auth0 differs from Git; exit 2 on drift, 0 without."""

import asyncio
from pathlib import Path

import click

from reconciler.cli.options import (
    TargetChoice,
    format_option,
    max_chars_option,
    snapshot_file,
    target_options,
    tenant_option,
)
from reconciler.cli.terminal import TerminalProgress, echo, load_files
from reconciler.config.layout import RECORDS_DIR
from reconciler.core.drift import detect_drift
from reconciler.core.service import Reconciler
from reconciler.drift.incremental import incremental_drift
from reconciler.render import (
    DriftView,
    ScanNote,
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
@click.option(
    "--incremental",
    is_flag=True,
    help="Read only what the tenant log says changed since the last check (the checkpoint); "
    "everything, saying why, when it cannot tell.",
)
@click.option(
    "--checkpoint",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The checkpoint file of --incremental "
    f"(default: {RECORDS_DIR}/<tenant>@<target>.drift.json).",
)
def drift(
    tenant: Path,
    target: TargetChoice,
    output_format: str,
    max_chars: int,
    incremental: bool,
    checkpoint: Path | None,
) -> None:
    """Report what changed in Auth0 against the files, including organizations made outside
    Git (policy.unmanaged_organizations); exit 2 on drift, 0 without, 1 on error."""
    if checkpoint is not None and not incremental:
        raise click.UsageError("--checkpoint goes with --incremental")
    if incremental and target.shard is not None:
        raise click.UsageError("--incremental reads the whole tenant's log: drop --shard")
    files = load_files(tenant)
    name = files.tenant.name
    progress = TerminalProgress()

    async def run() -> DriftView:
        async with target.connect(files) as session:
            reconciler = Reconciler(session, files.desired, progress=progress)
            label = session.target.label
            try:
                if incremental:
                    path = snapshot_file(checkpoint, files.tenant, label)
                    checked = await incremental_drift(reconciler, path)
                    note = ScanNote(checked.scan.sentence(), checked.scan.document())
                    read = checked.read_calls
                    drift = checked.drift
                else:
                    found = await detect_drift(reconciler, shard=target.shard)
                    read, drift, note = found.result.live.read_calls, found.drift, None
            finally:
                progress.clear()
            limits = files.desired.tenant.rate_limit.subscription
            groups = session.counter.read_groups.copy()
            return DriftView(name, label, drift, read, note, limits, groups)

    view = asyncio.run(run())
    if output_format == "json":
        echo(render_drift_json(view), nl=False)
    elif output_format == "markdown":
        echo(render_drift_markdown(view, limit=max_chars or None), nl=False)
    else:
        echo(render_drift_text(view), nl=False)
    if view.drift.found:
        raise click.exceptions.Exit(EXIT_DRIFT)
