"""`reconciler import`: write files for live organizations (and tenant roles) Git lacks."""

import asyncio
from pathlib import Path

import click

from reconciler.cli.options import ca_file_option, domain_option, tenant_option
from reconciler.cli.terminal import echo, problem
from reconciler.config.loader import load_tenant_files
from reconciler.config.writer import import_files, write_files
from reconciler.config.yaml_source import display_path
from reconciler.core.importer import Imported, import_organizations, selection
from reconciler.core.targets import connect
from reconciler.model.desired import Desired
from reconciler.model.roles import Role
from reconciler.safe_text import inert


@click.command("import")
@tenant_option
@click.option(
    "--org", "orgs", multiple=True, metavar="NAME", help="Import this organization (repeatable)."
)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Import every organization no file describes, and every tenant role roles.yaml lacks.",
)
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
@click.option(
    "--adopt-connections",
    is_flag=True,
    help="Write the enterprise connections linked to the organizations that no file declares "
    "(made through self-service SSO) into their files, certificates under certs/.",
)
@domain_option
@ca_file_option
def import_(
    tenant: Path,
    orgs: tuple[str, ...],
    every: bool,
    force: bool,
    adopt_connections: bool,
    domain: str | None,
    ca_file: Path | None,
) -> None:
    """Write YAML for live organizations that the files do not describe yet, and the tenant
    roles they use; plan then shows no changes for them."""
    loaded = load_tenant_files(tenant)
    desired = loaded.desired
    selection(desired, orgs, every=every, force=force)

    async def run() -> Imported:
        async with connect(desired, loaded.world, domain=domain, ca_file=ca_file) as session:
            return await import_organizations(
                session, desired, orgs, every=every, adopt_connections=adopt_connections
            )

    imported = asyncio.run(run())
    files = import_files(
        tenant,
        own_roles(desired),
        imported.organizations,
        imported.roles,
        force=force,
        others=imported.files,
    )
    for note in imported.notes:
        problem("note", note)
    if not files:
        echo("Nothing to import: the files describe every organization and role.")
        return
    write_files(files)
    for file in files:
        echo(f"{file.change} {inert(display_path(file.path))}")
    load_tenant_files(tenant)
    if imported.organizations:
        names = " ".join(f"--org {name}" for name in sorted(imported.organizations))
        echo(f"`reconciler plan {names}` should now show no changes.")


def own_roles(desired: Desired) -> dict[str, Role]:
    """The tenant roles the tenant's own roles.yaml holds (not those only its base gives), so
    an import writes only what differs from the base."""
    return {
        name: role
        for name, role in desired.roles.items()
        if (origin := desired.origin("roles", name)) is None or not origin.inherited
    }
