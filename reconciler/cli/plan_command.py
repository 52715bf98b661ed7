"""`reconciler plan`: show what apply would change; never writes."""

import asyncio
from pathlib import Path

import click

from reconciler.cli.options import TargetChoice, org_option, target_options, tenant_option
from reconciler.cli.terminal import TerminalProgress, colour, load_files
from reconciler.core.files import tenant_files_digest
from reconciler.core.service import PlanResult, Reconciler, selected
from reconciler.engine.planfile import write_plan_file
from reconciler.render import PlanView, render_json, render_markdown, render_text

EXIT_CHANGES = 2


@click.command()
@tenant_option
@org_option
@target_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Save the plan.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes.")
def plan(
    tenant: Path,
    orgs: tuple[str, ...],
    target: TargetChoice,
    output_format: str,
    out: Path | None,
    detailed_exitcode: bool,
) -> None:
    """Show what apply would change; never writes to Auth0."""
    desired = load_files(tenant)
    only = selected(desired, orgs)
    progress = TerminalProgress()

    async def run() -> tuple[PlanResult, str]:
        async with target.connect(desired, tenant) as session:
            try:
                result = await Reconciler(session, desired, progress=progress).plan(
                    only, shard=target.shard
                )
            finally:
                progress.clear()
            return result, session.target.label

    result, label = asyncio.run(run())
    view = PlanView(desired.tenant_name, label, result.plan, result.live.read_calls)
    if output_format == "json":
        click.echo(render_json(view), nl=False)
    elif output_format == "markdown":
        click.echo(render_markdown(view), nl=False)
    else:
        click.echo(render_text(view, colour=colour()), nl=False)
    if out is not None:
        files = tenant_files_digest(tenant)
        write_plan_file(out, desired.tenant_name, label, files, result.plan, result.live)
        click.echo(f"Saved the plan to {out}.", err=True)
    if detailed_exitcode and result.plan.summary.changes:
        raise click.exceptions.Exit(EXIT_CHANGES)
