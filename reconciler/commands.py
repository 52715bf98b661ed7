"""The `plan` and `apply` commands: parse options, run the workflow, pick a renderer."""

import asyncio
import os
import sys
import time
from pathlib import Path

import click

from reconciler.auth0.report import CallResult, Outcome
from reconciler.auth0.session import Session
from reconciler.config.loader import load_tenant
from reconciler.engine import Action, Plan
from reconciler.engine.planfile import SavedPlan, read_plan_file, write_plan_file
from reconciler.engine.safety import check_plan, existing_objects
from reconciler.model.desired import Desired
from reconciler.options import tenant_option
from reconciler.render import PlanView, render_json, render_markdown, render_text
from reconciler.workflow import (
    ApplyResult,
    PlanResult,
    apply_operations,
    connect,
    make_plan,
    selected,
    stale,
)

EXIT_CHANGES = 2
PROGRESS_AFTER = 1.0
"""Seconds a read runs before progress is shown on a terminal."""


class Progress:
    """`reading organizations 12/250` on stderr, when it is a terminal and the work is long."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.monotonic()
        self.shown = False
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < PROGRESS_AFTER:
            return
        self.shown = True
        click.echo(f"\r{self.label} {done}/{total}", nl=False, err=True)

    def close(self) -> None:
        """Clear the progress line."""
        if self.shown:
            click.echo("\r\x1b[K", nl=False, err=True)


def interactive() -> bool:
    """True when someone can answer a question on standard input."""
    return sys.stdin.isatty()


def _colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


domain_option = click.option(
    "--domain", help="Override the tenant file's domain (sandbox, http://127.0.0.1:PORT, a host)."
)
org_option = click.option(
    "--org", "orgs", multiple=True, metavar="NAME", help="Only this organization (repeatable)."
)


@click.command()
@tenant_option
@org_option
@domain_option
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
    domain: str | None,
    output_format: str,
    out: Path | None,
    detailed_exitcode: bool,
) -> None:
    """Show what apply would change; never writes to Auth0."""
    desired = load_tenant(tenant)
    only = selected(desired, orgs)

    async def run() -> tuple[PlanResult, str]:
        async with connect(desired, tenant, domain=domain) as session:
            progress = Progress("reading organizations")
            try:
                return await make_plan(session, desired, only=only, progress=progress), (
                    session.target.label
                )
            finally:
                progress.close()

    result, target = asyncio.run(run())
    view = PlanView(desired.tenant_name, target, result.plan, result.live.read_calls)
    if output_format == "json":
        click.echo(render_json(view), nl=False)
    elif output_format == "markdown":
        click.echo(render_markdown(view), nl=False)
    else:
        click.echo(render_text(view, colour=_colour()), nl=False)
    if out is not None:
        write_plan_file(out, desired.tenant_name, target, result.plan, result.live)
        click.echo(f"Saved the plan to {out}.", err=True)
    if detailed_exitcode and result.plan.summary.changes:
        raise click.exceptions.Exit(EXIT_CHANGES)


@click.command()
@tenant_option
@click.argument(
    "planfile", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@org_option
@domain_option
@click.option("--yes", is_flag=True, help="Apply without asking.")
@click.option("--allow-delete", is_flag=True, help="Allow deleting organizations.")
@click.option("--force", is_flag=True, help="Apply a plan larger than policy.max_change_percent.")
def apply(
    tenant: Path,
    planfile: Path | None,
    orgs: tuple[str, ...],
    domain: str | None,
    yes: bool,
    allow_delete: bool,
    force: bool,
) -> None:
    """Make Auth0 match the files: plan, check the safety rails, confirm, apply, verify."""
    desired = load_tenant(tenant)
    only = selected(desired, orgs)
    saved = read_plan_file(planfile) if planfile is not None else None
    if saved is not None and saved.tenant != desired.tenant_name:
        raise click.ClickException(
            f"{planfile} was made for tenant {saved.tenant}, not {desired.tenant_name}"
        )
    if saved is None and not yes and not interactive():
        raise click.ClickException("no terminal to confirm on: pass --yes to apply")

    async def run() -> ApplyResult | None:
        async with connect(desired, tenant, domain=domain) as session:
            if saved is not None:
                return await _apply_saved(session, desired, saved, allow_delete, force)
            result = await make_plan(session, desired, only=only)
            view = PlanView(
                desired.tenant_name, session.target.label, result.plan, result.live.read_calls
            )
            click.echo(render_text(view, colour=_colour()), nl=False)
            if not result.plan.operations:
                return None
            _check(result.plan, existing_objects(result.live), desired, allow_delete, force)
            if not yes and not click.confirm("Apply these changes?", default=False):
                raise click.ClickException("not applied")
            return await _execute(session, desired, result.plan, only)

    outcome = asyncio.run(run())
    if outcome is None:
        return
    _report(outcome)
    if not outcome.report.ok or not outcome.converged:
        raise click.exceptions.Exit(1)


async def _apply_saved(
    session: Session, desired: Desired, saved: SavedPlan, allow_delete: bool, force: bool
) -> ApplyResult:
    changed = await stale(session, desired, saved)
    if changed:
        raise click.ClickException(
            f"the plan is stale: {', '.join(changed)} changed since it was made; plan again"
        )
    _check(saved.plan, saved.existing, desired, allow_delete, force)
    return await _execute(session, desired, saved.plan, None)


def _check(plan: Plan, existing: int, desired: Desired, allow_delete: bool, force: bool) -> None:
    refusals = check_plan(
        plan, existing, desired.tenant.policy, allow_delete=allow_delete, force=force
    )
    if refusals:
        for refusal in refusals:
            click.echo(f"refused: {refusal}", err=True)
        raise click.exceptions.Exit(1)


async def _execute(
    session: Session, desired: Desired, plan: Plan, only: frozenset[str] | None
) -> ApplyResult:
    total = len(plan.operations)
    done = 0

    def progress(result: CallResult) -> None:
        nonlocal done
        done += 1
        if result.outcome in (Outcome.FAILED, Outcome.SKIPPED):
            click.echo(result.line(), err=True)
        elif sys.stderr.isatty():
            click.echo(f"\rapplying {done}/{total}", nl=False, err=True)

    result = await apply_operations(session, desired, plan.operations, only=only, progress=progress)
    if sys.stderr.isatty():
        click.echo("\r\x1b[K", nl=False, err=True)
    return result


def _report(result: ApplyResult) -> None:
    report = result.report
    counts = {o: sum(r.outcome is o for r in report.results) for o in Outcome}
    click.echo(
        f"Applied: {counts[Outcome.DONE]} done, {counts[Outcome.ALREADY]} already so, "
        f"{counts[Outcome.FAILED]} failed, {counts[Outcome.SKIPPED]} skipped."
    )
    if result.converged:
        click.echo("Verified: Auth0 matches the files.")
    elif report.ok:
        rows = [r for r in result.remaining.rows if r.action is not Action.KEEP]
        click.echo(f"Not converged: {len(result.remaining.operations)} calls still planned.")
        for row in rows:
            click.echo(f"  {row.action.symbol} {row.org or ''} {row.kind} {row.name}".rstrip())
