"""`reconciler repair-applications`: delete the copies of duplicated applications that nothing
refers to, after confirmation."""

import asyncio
from pathlib import Path

import click

from reconciler.cli.apply_command import report_applied
from reconciler.cli.options import TargetChoice, ca_file_option, domain_option, tenant_option
from reconciler.cli.terminal import echo, interactive, load_files, problem
from reconciler.core.apply_lock import apply_lock
from reconciler.core.results import ApplyResult
from reconciler.core.service import Reconciler
from reconciler.engine.duplicate_apps import DuplicateName
from reconciler.engine.plan import Plan
from reconciler.safe_text import inert


@click.command("repair-applications")
@tenant_option
@click.option(
    "--keep",
    multiple=True,
    metavar="CLIENT_ID",
    help="Of a name whose copies nothing refers to, the copy to keep (repeatable).",
)
@click.option("--yes", "-y", is_flag=True, help="Delete without asking.")
@click.option(
    "--force",
    is_flag=True,
    help="Delete more than policy.max_change_percent of the tenant's applications.",
)
@domain_option
@ca_file_option
def repair_applications(
    tenant: Path,
    keep: tuple[str, ...],
    yes: bool,
    force: bool,
    domain: str | None,
    ca_file: Path | None,
) -> None:
    """Repair applications of applications.yaml that Auth0 holds more than once (as two
    applies racing each other leave them): report every copy and what refers to it, then
    delete the copies nothing refers to (no client grant, organization or connection), keeping
    the referenced one, or the one --keep names when none is referenced.
    """
    files = load_files(tenant)
    if not yes and not interactive():
        raise click.UsageError("no terminal to confirm on: pass --yes to delete")
    kept = frozenset(keep)
    target = TargetChoice(domain, ca_file, None)
    blocked: list[str] = []

    def confirm(found: tuple[DuplicateName, ...], plan: Plan) -> None:
        blocked.extend(_show(found, kept))
        asked = plan.operations and not yes
        if asked and not click.confirm("Delete these applications?", default=False):
            raise click.ClickException("not deleted")

    async def run() -> ApplyResult | None:
        async with target.connect(files) as session:
            lock = apply_lock(files.tenant, session.target)
            core = Reconciler(session, files.desired, lock=lock)
            return await core.repair_applications(kept, force=force, confirm=confirm)

    outcome = asyncio.run(run())
    if outcome is not None:
        report_applied(outcome, "Verified: the copies nothing referred to are gone.")
    if blocked or (outcome is not None and (not outcome.report.ok or not outcome.converged)):
        raise click.exceptions.Exit(1)


def _show(found: tuple[DuplicateName, ...], keep: frozenset[str]) -> list[str]:
    """Show the copies and what happens to each; return why names cannot be repaired (a
    usage error when --keep names no copy)."""
    copies = {copy.client_id for name in found for copy in name.copies}
    unknown = sorted(keep - copies)
    if unknown:
        raise click.UsageError(
            f"--keep {', '.join(unknown)}: not a copy of an application that Auth0 holds "
            "more than once"
        )
    if not found:
        echo("No application of applications.yaml is in Auth0 more than once.")
        return []
    for name in found:
        echo(inert(name.describe()))
        for copy in name.doomed(keep):
            echo(inert(f"  - delete {copy.client_id}"))
    blocked = [reason for name in found if (reason := name.blocked(keep))]
    for reason in blocked:
        problem("error", reason)
    return blocked
