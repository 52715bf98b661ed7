"""`reconciler route`: where a login would land under the files' rules; no target is contacted."""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from reconciler.cli.options import tenant_option
from reconciler.config.loader import load_tenant
from reconciler.model.routing import METADATA_ROOTS, PROFILE_FIELDS
from reconciler.routing import Login, explain_route, listed_memberships
from reconciler.safe_text import inert

OWN_OPTIONS = {"user_id": "--user-id", "email_verified": "--verified/--unverified"}


@click.command()
@tenant_option
@click.argument("email")
@click.option("--connection", metavar="NAME", help="The connection the user logs in with.")
@click.option(
    "--verified/--unverified",
    default=True,
    show_default=True,
    help="Whether the email address is verified.",
)
@click.option(
    "--user-id", metavar="ID", help="The user's id (for user_id rules and absent entries)."
)
@click.option(
    "--organization",
    metavar="NAME",
    help="A login through this organization (picked at Auth0's prompt or given by the "
    "application): its claims, never another's.",
)
@click.option(
    "--attr",
    "attrs",
    multiple=True,
    metavar="KEY=VALUE",
    help="A profile value such as app_metadata.customer=acme or name=Erin; a key given "
    "again makes a list.",
)
def route(
    tenant: Path,
    email: str,
    connection: str | None,
    verified: bool,
    user_id: str | None,
    organization: str | None,
    attrs: tuple[str, ...],
) -> None:
    """Show the organization EMAIL lands in at login, the rule that matched, the roles and the
    token claims, or why none matched. Members are who the files list."""
    desired = load_tenant(tenant)
    profile = attributes(attrs)
    login = Login(
        user_id=user_id or "",
        email=email,
        email_verified=verified,
        connection=connection,
        profile={k: v for k, v in profile.items() if k not in METADATA_ROOTS},
        user_metadata=profile.get("user_metadata", {}),
        app_metadata=profile.get("app_metadata", {}),
        memberships=listed_memberships(desired, email, user_id),
        organization=organization,
    )
    for line in explain_route(desired, login):
        click.echo(inert(line))


def attributes(pairs: Sequence[str]) -> dict[str, Any]:
    """`app_metadata.team=red` pairs as a profile: metadata keys nest, a repeated key is a list."""
    profile: dict[str, Any] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        path = key.split(".")
        root = path[0]
        if not equals or not all(path):
            raise click.BadParameter(f"{pair!r}: expected KEY=VALUE", param_hint="--attr")
        if root in OWN_OPTIONS:
            raise click.BadParameter(f"{root}: use {OWN_OPTIONS[root]}", param_hint="--attr")
        nested = root in METADATA_ROOTS
        if (nested and len(path) < 2) or (not nested and (root not in PROFILE_FIELDS or path[1:])):
            known = ", ".join((*(f"{r}.KEY" for r in METADATA_ROOTS), *PROFILE_FIELDS))
            raise click.BadParameter(f"{key!r}: not one of {known}", param_hint="--attr")
        _put(profile, path, value)
    return profile


def _put(target: dict[str, Any], path: list[str], value: str) -> None:
    for key in path[:-1]:
        inner = target.setdefault(key, {})
        if not isinstance(inner, dict):
            raise click.BadParameter(f"{'.'.join(path)}: {key} has a value", param_hint="--attr")
        target = inner
    last = path[-1]
    if isinstance(target.get(last), dict):
        raise click.BadParameter(f"{'.'.join(path)}: holds keys", param_hint="--attr")
    if last not in target:
        target[last] = value
    elif isinstance(target[last], list):
        target[last].append(value)
    else:
        target[last] = [target[last], value]
