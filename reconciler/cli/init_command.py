"""`reconciler init DIR`: a config repository's skeleton, ready to plan on the sandbox."""

import re
from pathlib import Path

import click

from reconciler.cli.terminal import echo
from reconciler.config.repo_skeleton import ACTION_PLACEHOLDER, write_skeleton
from reconciler.safe_text import inert


def _tenant_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", value):
        raise click.BadParameter("a folder name: letters, digits, '-' and '_'")
    return value


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--tenant",
    default="example",
    show_default=True,
    callback=_tenant_name,
    help="The tenant's folder under tenants/.",
)
@click.option(
    "--action",
    default=ACTION_PLACEHOLDER,
    show_default=True,
    metavar="OWNER/NAME@COMMIT",
    help="The reconciler's action the workflows use, pinned to a commit.",
)
def init(directory: Path, tenant: str, action: str) -> None:
    """Write a config repository's skeleton into DIRECTORY: tenants/TENANT (tenant.yaml on
    the embedded sandbox, roles.yaml, sandbox.yaml, one organization), the JSON Schemas, a
    .gitignore and the plan, apply and drift workflows. Writes nothing if a file exists."""
    for path in write_skeleton(directory, tenant, action):
        echo(f"wrote {inert(str(path))}")
    if action == ACTION_PLACEHOLDER:
        echo(
            f"Next: in .github/workflows/, replace {ACTION_PLACEHOLDER} with the reconciler's "
            "repository and the commit to pin (or run init with --action)."
        )
    echo(f"Then: cd {inert(str(directory))} && reconciler plan")
