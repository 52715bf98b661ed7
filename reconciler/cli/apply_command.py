"""`reconciler apply`: plan (or read a saved plan), gate, confirm, apply, verify."""

import asyncio
import json
from pathlib import Path

import click

from reconciler.auth0.report import Outcome
from reconciler.cli.options import (
    ENVIRONMENT_HELP,
    TargetChoice,
    json_format_option,
    no_color_option,
    org_option,
    snapshot_file,
    snapshot_options,
    target_options,
    tenant_option,
    yes_option,
)
from reconciler.cli.plan_command import check_snapshot_options
from reconciler.cli.terminal import (
    TerminalProgress,
    colour,
    echo,
    interactive,
    load_files,
    warn,
)
from reconciler.config.layout import RECORDS_DIR
from reconciler.core.apply_lock import apply_lock
from reconciler.core.files import tenant_files_digest
from reconciler.core.journal import Journal
from reconciler.core.results import ApplyResult
from reconciler.core.selection import selected
from reconciler.core.service import Reconciler
from reconciler.core.verification import Verify
from reconciler.drift.checkpoint import Checkpoint
from reconciler.drift.from_snapshot import after_apply, keep, on_fresh_reads, plan_from_snapshot
from reconciler.drift.incremental import Scan
from reconciler.engine import Action
from reconciler.engine.plan import JSON
from reconciler.engine.planfile import read_plan_file
from reconciler.engine.safety import APPROVAL_HINT
from reconciler.render import PlanView, render_text
from reconciler.render.json_render import plan_document
from reconciler.render.notes import plan_notes
from reconciler.safe_text import inert


@click.command(epilog=ENVIRONMENT_HELP)
@tenant_option
@click.argument(
    "planfile", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@org_option
@target_options
@yes_option
@no_color_option
@json_format_option("json: one document on stdout, the plan and what the apply did (needs --yes).")
@click.option(
    "--allow-delete",
    is_flag=True,
    help="Allow deleting organizations that policy.approved_deletions does not list.",
)
@click.option("--force", is_flag=True, help="Apply a plan larger than policy.max_change_percent.")
@click.option(
    "--verify",
    type=click.Choice([v.value for v in Verify]),
    help="After the writes: take Auth0's answers where they show what was sent and read "
    "member lists again (answers, the default), or read and plan again everything the apply "
    "touched (full, the default with --from-snapshot: what it reads is the new snapshot).",
)
@click.option(
    "--journal",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep the record of an unfinished apply in this file (default "
    f"{RECORDS_DIR}/<tenant>@<target>.apply.json); keep it between CI runs to resume there.",
)
@snapshot_options
def apply(
    tenant: Path,
    planfile: Path | None,
    orgs: tuple[str, ...],
    target: TargetChoice,
    yes: bool,
    output_format: str,
    allow_delete: bool,
    force: bool,
    verify: str | None,
    journal: Path | None,
    from_snapshot: bool,
    snapshot: Path | None,
) -> None:
    """Make Auth0 match the files: plan, check the safety rails, confirm, apply, verify.

    With PLANFILE, apply that saved plan as it was reviewed (refused when it was made for
    another tenant or target, edited, or is stale); --org then applies only those
    organizations' part of it. Running the same files again after an apply that did not
    converge (killed, failed) finishes it without --force; --journal says where its record is.
    An organization's deletion that neither policy.approved_deletions nor --allow-delete
    approves is left out: the rest is applied, and the command names it and exits 1.
    """
    check_snapshot_options(from_snapshot, snapshot, orgs, None, target)
    if from_snapshot and planfile is not None:
        raise click.UsageError("--from-snapshot plans again: drop PLANFILE")
    files = load_files(tenant)
    desired = files.desired
    only = selected(desired, orgs)
    saved = read_plan_file(planfile) if planfile is not None else None
    verify = verify or (Verify.FULL if from_snapshot else Verify.ANSWERS)
    if saved is None and not yes and not interactive():
        raise click.UsageError("no terminal to confirm on: pass --yes to apply")
    as_json = output_format == "json"
    if as_json and saved is None and not yes:
        raise click.UsageError("--format json asks nothing: pass --yes")
    shown: list[PlanView] = []
    progress = TerminalProgress()

    async def run() -> ApplyResult | None:
        async with target.connect(files) as session:
            tenant_id, label = files.tenant, session.target.label
            core = Reconciler(
                session,
                desired,
                progress=progress,
                verify=Verify(verify),
                files=tenant_files_digest(tenant),
                journal=Journal(journal, tenant_id, label)
                if journal is not None
                else Journal.in_folder(RECORDS_DIR, tenant_id, label),
                lock=apply_lock(tenant_id, session.target),
            )
            with core.exclusive():
                try:
                    if saved is not None:
                        return await core.apply_saved(
                            saved, only=only, allow_delete=allow_delete, force=force
                        )
                    planned = path = None
                    if from_snapshot:
                        path = snapshot_file(snapshot, tenant_id, label)
                        planned = await plan_from_snapshot(core, path)
                        planned = await on_fresh_reads(core, planned)
                        result = planned.result
                        progress.clear()
                        echo(planned.scan.sentence(), err=True)
                    else:
                        result = await core.plan(only, shard=target.shard)
                    progress.clear()
                    view = PlanView(
                        tenant_id.name,
                        label,
                        result.plan,
                        result.live.read_calls,
                        limits=files.desired.tenant.rate_limit.subscription,
                        read_groups=session.counter.read_groups.copy(),
                        notes=plan_notes(result.plan, files.desired.tenant.policy),
                    )
                    shown.append(view)
                    if not as_json:
                        echo(render_text(view, colour=colour()), nl=False)
                    if not result.plan.operations:
                        if planned is not None and path is not None:
                            keep_snapshot(path, planned.checkpoint, planned.scan)
                        return None
                    verdict = core.gate(
                        result.plan, result.existing, allow_delete=allow_delete, force=force
                    )
                    for line in verdict.waiting_lines:
                        warn(f"{line}; the rest is applied, this is left out")
                    if not yes and not click.confirm("Apply these changes?", default=False):
                        raise click.ClickException("not applied")
                    applied = await core.apply(result, allow_delete=allow_delete, force=force)
                    if planned is not None and path is not None:
                        kept = after_apply(core, planned, applied)
                        keep_snapshot(path, kept, planned.scan)
                    return applied
                finally:
                    progress.clear()

    outcome = asyncio.run(run())
    if as_json:
        plan = shown[0] if shown else None
        echo(json.dumps(apply_document(plan, outcome), indent=2, ensure_ascii=False))
    if outcome is None:
        return
    if not as_json:
        report_applied(outcome, "Verified: Auth0 matches the files.")
    if not outcome.report.ok or not outcome.converged or outcome.waiting:
        raise click.exceptions.Exit(1)


def keep_snapshot(path: Path, checkpoint: Checkpoint | None, scan: Scan) -> None:
    """Keep the snapshot; a warning when it cannot be written."""
    unwritten = keep(path, checkpoint, scan).unwritten
    if unwritten is not None and unwritten != scan.unwritten:
        warn(f"No snapshot was kept: {unwritten}.")


def report_applied(result: ApplyResult, verified: str) -> None:
    """What an apply did, then `verified` when it converged, or what is still planned."""
    report = result.report
    counts = {o: sum(r.outcome is o for r in report.results) for o in Outcome}
    echo(
        f"Applied: {counts[Outcome.DONE]} done, {counts[Outcome.ALREADY]} already so, "
        f"{counts[Outcome.FAILED]} failed, {counts[Outcome.SKIPPED]} skipped."
    )
    for call in report.results:
        if call.ok and call.detail:
            echo(f"  {call.line()}")
    if result.converged and not result.waiting:
        echo(verified)
    elif result.converged:
        echo("Verified: Auth0 matches the files, but for what waits for approval.")
    elif report.ok:
        rows = [r for r in result.remaining.rows if r.action is not Action.KEEP]
        echo(f"Not converged: {len(result.remaining.operations)} calls still planned.")
        for row in rows:
            echo(inert(f"  {row.action.symbol} {row.org or ''} {row.kind} {row.name}".rstrip()))
    if result.waiting:
        echo(f"Waiting for approval: {len(result.waiting)} deletions, left out of this apply.")
        for name in result.waiting:
            echo(inert(f"  - organization {name}: {APPROVAL_HINT}"))


def apply_document(view: PlanView | None, result: ApplyResult | None) -> dict[str, JSON]:
    """What `apply --format json` prints: the plan it made (None for a saved plan), each
    call's outcome, whether Auth0 matches the files after it, what is still planned and the
    deletions that wait for approval. No apply result: there was nothing to do."""
    calls = result.report.results if result is not None else []
    return {
        "plan": plan_document(view) if view is not None else None,
        "applied": {o.value: sum(c.outcome is o for c in calls) for o in Outcome},
        "calls": [
            {
                "method": c.operation.method,
                "path": c.operation.path_text,
                "org": c.operation.org,
                "outcome": c.outcome.value,
                "detail": c.detail or None,
            }
            for c in calls
        ],
        "converged": result is None or result.converged,
        "remaining": [
            {"action": r.action.value, "org": r.org, "kind": r.kind, "name": r.name}
            for r in (result.remaining.rows if result is not None else ())
            if r.action is not Action.KEEP
        ],
        "waiting_for_approval": list(result.waiting) if result is not None else [],
    }
