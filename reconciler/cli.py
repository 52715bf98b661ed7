"""The `reconciler` command line: each command parses its options and calls the packages."""

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from reconciler import __version__
from reconciler.auth0.credentials import CredentialsError
from reconciler.auth0.errors import ApiCallError
from reconciler.auth0.target import TargetError
from reconciler.commands import apply, plan
from reconciler.config.errors import ConfigErrors
from reconciler.config.loader import load_tenant
from reconciler.config.schemas import stale_schemas, write_schemas
from reconciler.config.yaml_source import display_path
from reconciler.engine.errors import PlanErrors
from reconciler.engine.planfile import PlanFileError
from reconciler.model.desired import Desired
from reconciler.options import tenant_option
from reconciler.sandbox.cli import sandbox_cli

F = TypeVar("F", bound=Callable[..., Any])


class _Commands(click.Group):
    """The command group; known errors become one stderr line each and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ConfigErrors, PlanErrors) as problems:
            for error in problems.errors:
                click.echo(str(error), err=True)
            ctx.exit(1)
        except (ApiCallError, CredentialsError, TargetError, PlanFileError) as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(1)


@click.group(cls=_Commands)
@click.version_option(__version__, prog_name="reconciler")
def main() -> None:
    """Declarative GitOps reconciler for Auth0 Organizations."""


@main.command()
@tenant_option
def validate(tenant: Path) -> None:
    """Check a tenant's files and print a summary, or every error."""
    click.echo(_summary(load_tenant(tenant)))


@main.command()
@click.option("--check", is_flag=True, help="Fail, naming them, if the schema files are stale.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Where the schema files are.",
)
def schema(check: bool, directory: Path) -> None:
    """Write the JSON Schemas of the tenant files from the models."""
    if not check:
        for path in write_schemas(directory):
            click.echo(f"wrote {display_path(path)}")
        return
    stale = stale_schemas(directory)
    for path in stale:
        state = "out of date" if path.exists() else "missing"
        click.echo(f"{display_path(path)}: {state}: run `reconciler schema`", err=True)
    if stale:
        raise click.exceptions.Exit(1)
    click.echo(f"schemas in {display_path(directory)} are up to date")


def _summary(desired: Desired) -> str:
    members = sum(len(org.members or []) for org in desired.organizations.values())
    counts = [
        _count(len(desired.organizations), "organization"),
        _count(len(desired.roles), "role"),
        _count(members, "member"),
    ]
    return f"{desired.tenant_name}: {', '.join(counts)}: valid"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


main.add_command(plan, "plan")
main.add_command(apply, "apply")
main.add_command(sandbox_cli, "sandbox")
