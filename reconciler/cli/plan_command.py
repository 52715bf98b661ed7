"""`reconciler plan`: show what apply would change; never writes. `reconciler show`: render a
saved plan again, checked against the files and Auth0 first."""

import asyncio
from pathlib import Path

import click

from reconciler.cli.options import (
    ENVIRONMENT_HELP,
    TargetChoice,
    ca_file_option,
    domain_option,
    format_option,
    max_chars_option,
    no_color_option,
    org_option,
    snapshot_file,
    snapshot_options,
    target_options,
    tenant_option,
    verbose_option,
)
from reconciler.cli.terminal import TerminalProgress, colour, echo, load_files
from reconciler.core.changes import changed_since as files_changed_since
from reconciler.core.changes import removed_blocks
from reconciler.core.environment import check_environment
from reconciler.core.files import tenant_files_digest
from reconciler.core.results import PlanResult
from reconciler.core.selection import selected
from reconciler.core.service import Reconciler
from reconciler.drift.from_snapshot import keep, plan_from_snapshot
from reconciler.engine.planfile import read_plan_file
from reconciler.render import PlanView, render_json, render_markdown, render_text
from reconciler.render.notes import plan_notes
from reconciler.render.provenance import origins
from reconciler.resources.fingerprints import write_plan_file
from reconciler.safe_text import inert, redact

EXIT_CHANGES = 2


@click.command(epilog=ENVIRONMENT_HELP)
@tenant_option
@org_option
@click.option(
    "--changed-since",
    metavar="REF",
    help="Only the organizations whose files changed since this Git revision "
    "(everything when a tenant-wide file changed).",
)
@click.option(
    "--base",
    metavar="REF",
    help="Compare the files with this Git revision (a pull request's base) to note the blocks "
    "removed from organization files and the files renamed (default: --changed-since's REF).",
)
@target_options
@format_option
@verbose_option
@max_chars_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Save the plan.")
@click.option(
    "--summary",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the whole plan as Markdown, every row shown (a CI job's summary).",
)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes.")
@snapshot_options
@no_color_option
def plan(
    tenant: Path,
    orgs: tuple[str, ...],
    changed_since: str | None,
    base: str | None,
    target: TargetChoice,
    output_format: str,
    verbose: bool,
    max_chars: int,
    out: Path | None,
    summary: Path | None,
    detailed_exitcode: bool,
    from_snapshot: bool,
    snapshot: Path | None,
) -> None:
    """Show what apply would change; never writes to Auth0."""
    if orgs and changed_since is not None:
        raise click.UsageError("--org and --changed-since cannot be used together")
    check_snapshot_options(from_snapshot, snapshot, orgs, changed_since, target)
    files = load_files(tenant)
    desired = files.desired
    only, list_all = selected(desired, orgs), None
    changes = None
    if changed_since is not None:
        changes = files_changed_since(tenant, changed_since, files.base)
        only, list_all = changes.only, changes.list_all
    since = base or changed_since
    if since is not None and (changes is None or base is not None):
        changes = files_changed_since(tenant, since, files.base)
    removed = removed_blocks(tenant, since, changes) if since and changes else {}
    renamed = {new: old for old, new in changes.renamed} if changes else {}
    progress = TerminalProgress()

    async def run() -> tuple[PlanResult, PlanView]:
        async with target.connect(files) as session:
            core = Reconciler(session, desired, progress=progress)
            try:
                if from_snapshot:
                    path = snapshot_file(snapshot, files.tenant, session.target.label)
                    planned = await plan_from_snapshot(core, path)
                    result = planned.result
                    progress.clear()
                    echo(keep(path, planned.checkpoint, planned.scan).sentence(), err=True)
                else:
                    result = await core.plan(only, list_all=list_all, shard=target.shard)
            finally:
                progress.clear()
            check_environment(result.plan)
            verdict = core.verdict(result)
            return result, PlanView(
                files.tenant.name,
                session.target.label,
                result.plan,
                result.live.read_calls,
                tuple(str(r) for r in verdict.refusals),
                approved=verdict.approved,
                waiting=verdict.waiting,
                origins=origins(result.plan, desired),
                notes=plan_notes(
                    result.plan, desired.tenant.policy, removed_blocks=removed, renamed=renamed
                ),
                limits=desired.tenant.rate_limit.subscription,
                read_groups=session.counter.read_groups.copy(),
            )

    result, view = asyncio.run(run())
    label = view.target
    echo_plan(view, output_format, verbose=verbose, max_chars=max_chars)
    if summary is not None:
        summary.write_text(redact(render_markdown(view, verbose=True)), encoding="utf-8")
    if out is not None:
        digest = tenant_files_digest(tenant)
        write_plan_file(out, files.tenant.name, label, digest, result.plan, result.live)
        echo(f"Saved the plan to {inert(str(out))}.", err=True)
    if detailed_exitcode and result.plan.summary.changes:
        raise click.exceptions.Exit(EXIT_CHANGES)


@click.command()
@tenant_option
@click.argument("planfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@domain_option
@ca_file_option
@format_option
@verbose_option
@max_chars_option
@no_color_option
def show(
    tenant: Path,
    planfile: Path,
    domain: str | None,
    ca_file: Path | None,
    output_format: str,
    verbose: bool,
    max_chars: int,
) -> None:
    """Render a plan saved with `plan --out` again, once it is checked as apply checks it:
    made for these files and this target, and what planning its organizations again gives
    (operations and rows); a plan that is not is refused, never shown."""
    saved = read_plan_file(planfile)
    files = load_files(tenant)
    target = TargetChoice(domain, ca_file, None)

    async def run() -> None:
        async with target.connect(files) as session:
            core = Reconciler(session, files.desired, files=tenant_files_digest(tenant))
            await core.verify_saved(saved)

    asyncio.run(run())
    limits = files.desired.tenant.rate_limit.subscription
    notes = plan_notes(saved.plan, files.desired.tenant.policy)
    view = PlanView(saved.tenant, saved.target, saved.plan, None, limits=limits, notes=notes)
    echo_plan(view, output_format, verbose=verbose, max_chars=max_chars)


def check_snapshot_options(
    from_snapshot: bool,
    snapshot: Path | None,
    orgs: tuple[str, ...],
    changed_since: str | None,
    target: TargetChoice,
) -> None:
    """A plan from the snapshot is of every organization: refuse options that narrow it."""
    if snapshot is not None and not from_snapshot:
        raise click.UsageError("--snapshot goes with --from-snapshot")
    if not from_snapshot:
        return
    narrowing = [
        name
        for name, given in (
            ("--org", bool(orgs)),
            ("--changed-since", changed_since is not None),
            ("--shard", target.shard is not None),
        )
        if given
    ]
    if narrowing:
        raise click.UsageError(
            f"--from-snapshot plans every organization: drop {', '.join(narrowing)}"
        )


def echo_plan(view: PlanView, output_format: str, *, verbose: bool, max_chars: int) -> None:
    """Print a plan in the chosen format (`--verbose` shows the `=` rows too, `--max-chars`
    shapes Markdown)."""
    if output_format == "json":
        echo(render_json(view), nl=False)
    elif output_format == "markdown":
        echo(render_markdown(view, verbose=verbose, limit=max_chars or None), nl=False)
    else:
        echo(render_text(view, colour=colour(), verbose=verbose), nl=False)
