"""`reconciler validate` and `reconciler schema`: the files alone, no target."""

from pathlib import Path

import click

from reconciler.cli.options import tenant_option
from reconciler.cli.terminal import echo, load_files
from reconciler.config.bases import extending, is_base
from reconciler.config.layout import SCHEMAS_DIR
from reconciler.config.schemas import stale_schemas, write_schemas
from reconciler.config.yaml_source import display_path
from reconciler.model.desired import Desired
from reconciler.safe_text import inert


@click.command()
@tenant_option
def validate(tenant: Path) -> None:
    """Check a tenant's files and print a summary, or every error. For a base (a folder whose
    name starts with `_`), check every tenant that extends it."""
    if not is_base(tenant):
        echo(inert(summary(load_files(tenant).desired)))
        return
    tenants = extending(tenant, tenant.parent)
    if not tenants:
        raise click.UsageError(f"no tenant under {display_path(tenant.parent)}/ extends {tenant}")
    for path in tenants:
        echo(inert(summary(load_files(path).desired)))


@click.command()
@click.option("--check", is_flag=True, help="Fail, naming them, if the schema files are stale.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=SCHEMAS_DIR,
    show_default=True,
    help="Where the schema files are.",
)
def schema(check: bool, directory: Path) -> None:
    """Write the JSON Schemas of the tenant files from the models."""
    if not check:
        for path in write_schemas(directory):
            echo(f"wrote {inert(display_path(path))}")
        return
    stale = stale_schemas(directory)
    for path in stale:
        state = "out of date" if path.exists() else "missing"
        echo(f"{inert(display_path(path))}: {state}: run `reconciler schema`", err=True)
    if stale:
        raise click.exceptions.Exit(1)
    echo(f"schemas in {inert(display_path(directory))} are up to date")


def summary(desired: Desired) -> str:
    """`example: 2 organizations, 2 roles, 6 members: valid`."""
    members = sum(
        1 for org in desired.organizations.values() for m in org.members or [] if not m.absent
    )
    counts = [
        _count(len(desired.organizations), "organization"),
        _count(len(desired.roles), "role"),
        _count(members, "member"),
    ]
    return f"{desired.tenant_name}: {', '.join(counts)}: valid"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
