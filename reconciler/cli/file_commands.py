"""`reconciler validate` and `reconciler schema`: the files alone, no target."""

import json
from pathlib import Path
from typing import Any

import click

from reconciler.cli.options import json_format_option, tenant_option
from reconciler.cli.terminal import echo, load_files
from reconciler.config.bases import extending, is_base
from reconciler.config.errors import ConfigErrors
from reconciler.config.layout import SCHEMAS_DIR
from reconciler.config.schemas import stale_schemas, write_schemas
from reconciler.config.yaml_source import display_path
from reconciler.model.desired import Desired
from reconciler.safe_text import inert


@click.command()
@tenant_option
@json_format_option("json: one document on stdout, the counts or every error with its place.")
def validate(tenant: Path, output_format: str) -> None:
    """Check a tenant's files and print a summary, or every error. For a base (a folder whose
    name starts with `_`), check every tenant that extends it."""
    if is_base(tenant):
        tenants = extending(tenant, tenant.parent)
        if not tenants:
            where = display_path(tenant.parent)
            raise click.UsageError(f"no tenant under {where}/ extends {tenant}")
        for path in tenants:
            _validate_one(path, output_format)
        return
    _validate_one(tenant, output_format)


def _validate_one(tenant: Path, output_format: str) -> None:
    if output_format == "text":
        echo(inert(summary(load_files(tenant).desired)))
        return
    try:
        desired = load_files(tenant).desired
    except ConfigErrors as problems:
        echo(json.dumps(errors_document(problems), indent=2, ensure_ascii=False))
        raise click.exceptions.Exit(1) from None
    echo(json.dumps(counts_document(desired), indent=2, ensure_ascii=False))


def counts_document(desired: Desired) -> dict[str, Any]:
    """`validate --format json` for valid files: the tenant and what its files hold."""
    return {
        "tenant": desired.tenant_name,
        "valid": True,
        "organizations": len(desired.organizations),
        "roles": len(desired.roles),
        "members": _members(desired),
        "warnings": list(desired.warnings),
        "errors": [],
    }


def errors_document(problems: ConfigErrors) -> dict[str, Any]:
    """`validate --format json` for invalid files: every error with its file, line and
    column (None for a problem of a whole file)."""
    return {
        "valid": False,
        "errors": [
            {
                "file": error.location.path,
                "line": None if error.whole_file else error.location.line,
                "column": None if error.whole_file else error.location.column,
                "message": error.message,
            }
            for error in problems.errors
        ],
    }


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
    counts = [
        _count(len(desired.organizations), "organization"),
        _count(len(desired.roles), "role"),
        _count(_members(desired), "member"),
    ]
    return f"{desired.tenant_name}: {', '.join(counts)}: valid"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _members(desired: Desired) -> int:
    return sum(
        1 for org in desired.organizations.values() for m in org.members or [] if not m.absent
    )
