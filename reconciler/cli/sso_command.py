"""`reconciler sso-ticket ORG` and `revoke-sso-ticket ORG TICKET`: self-service SSO tickets
for an organization's customer admin (printed, never stored)."""

import asyncio
from pathlib import Path

import click

from reconciler.cli.options import ca_file_option, domain_option, tenant_option
from reconciler.cli.terminal import echo
from reconciler.config.loader import load_tenant_files
from reconciler.core.sso_tickets import Ticket, create_ticket, revoke_ticket
from reconciler.core.targets import connect
from reconciler.safe_text import inert


@click.command("sso-ticket")
@tenant_option
@click.argument("org")
@domain_option
@ca_file_option
def sso_ticket(tenant: Path, org: str, domain: str | None, ca_file: Path | None) -> None:
    """Create a self-service SSO ticket for ORG as its file's `self_service_sso` says, and
    print the link to send to the customer's admin (and the id that revokes it)."""
    loaded = load_tenant_files(tenant)

    async def run() -> Ticket:
        async with connect(loaded.desired, loaded.world, domain=domain, ca_file=ca_file) as s:
            return await create_ticket(s, loaded.desired, org)

    ticket = asyncio.run(run())
    echo(inert(ticket.url))
    echo(
        f"ticket id {inert(ticket.id)}: `reconciler revoke-sso-ticket {org} ID` revokes it",
        err=True,
    )


@click.command("revoke-sso-ticket")
@tenant_option
@click.argument("org")
@click.argument("ticket")
@domain_option
@ca_file_option
def revoke_sso_ticket(
    tenant: Path, org: str, ticket: str, domain: str | None, ca_file: Path | None
) -> None:
    """Revoke a self-service SSO ticket of ORG's profile: its link stops working."""
    loaded = load_tenant_files(tenant)

    async def run() -> None:
        async with connect(loaded.desired, loaded.world, domain=domain, ca_file=ca_file) as s:
            await revoke_ticket(s, loaded.desired, org, ticket)

    asyncio.run(run())
    echo(f"revoked ticket {inert(ticket)} of {inert(org)}")
