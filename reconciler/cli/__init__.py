"""The `reconciler` command line: thin click commands over the application core."""

from typing import Any

import click

from reconciler import __version__
from reconciler.auth0.credentials import CredentialsError
from reconciler.auth0.errors import ApiCallError
from reconciler.auth0.target import TargetError
from reconciler.cli.apply_command import apply
from reconciler.cli.compare_command import compare_command
from reconciler.cli.drift_command import drift
from reconciler.cli.file_commands import schema, validate
from reconciler.cli.import_command import import_
from reconciler.cli.init_command import init
from reconciler.cli.options import ENVIRONMENT_HELP
from reconciler.cli.plan_command import plan, show
from reconciler.cli.repair_command import repair_applications
from reconciler.cli.route_command import route
from reconciler.cli.sandbox_commands import sandbox_cli
from reconciler.cli.sso_command import revoke_sso_ticket, sso_ticket
from reconciler.cli.terminal import allow_colour, echo, problem
from reconciler.config.errors import ConfigErrors
from reconciler.config.writer import WriteRefused
from reconciler.core.apply_lock import ApplyLocked, LockFolderUnsafe
from reconciler.core.changes import ChangesError
from reconciler.core.importer import ImportRefused
from reconciler.core.saved_plans import PlanRefused
from reconciler.core.service import UnsafePlan
from reconciler.core.sso_tickets import TicketRefused
from reconciler.engine.duplicate_apps import DuplicateApplications
from reconciler.engine.errors import PlanErrors
from reconciler.engine.planfile import PlanFileError
from reconciler.engine.scopes import AnswerLacksScope, MissingScopes
from reconciler.safe_text import inert
from reconciler.sandbox import StateBusy


class _Commands(click.Group):
    """The command group; known errors become one stderr line each (inert, whatever names or
    server messages they carry) and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ConfigErrors, PlanErrors) as problems:
            for error in problems.errors:
                echo(inert(str(error)), err=True)
            ctx.exit(1)
        except DuplicateApplications as duplicates:
            for line in duplicates.lines():
                problem("error", line)
            ctx.exit(1)
        except UnsafePlan as unsafe:
            for refusal in unsafe.refusals:
                problem("refused", str(refusal))
            ctx.exit(1)
        except (
            ApiCallError,
            CredentialsError,
            TargetError,
            PlanFileError,
            PlanRefused,
            ApplyLocked,
            LockFolderUnsafe,
            StateBusy,
            ChangesError,
            ImportRefused,
            WriteRefused,
            MissingScopes,
            AnswerLacksScope,
            TicketRefused,
        ) as error:
            problem("error", str(error))
            ctx.exit(1)
        except click.ClickException as error:
            # Usage errors too: exit 2 is what --detailed-exitcode means by "changes".
            problem("error", error.format_message())
            ctx.exit(1)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=ENVIRONMENT_HELP,
)
@click.version_option(__version__, prog_name="reconciler")
@click.option(
    "--no-color", is_flag=True, help="Plain text, no colours, for every command (as NO_COLOR=1)."
)
def main(no_color: bool) -> None:
    """Declarative GitOps reconciler for Auth0 Organizations."""
    allow_colour(not no_color)


main.add_command(init)
main.add_command(validate)
main.add_command(schema)
main.add_command(plan)
main.add_command(apply)
main.add_command(show)
main.add_command(drift)
main.add_command(import_)
main.add_command(repair_applications)
main.add_command(route)
main.add_command(sso_ticket)
main.add_command(revoke_sso_ticket)
main.add_command(compare_command)
main.add_command(sandbox_cli, "sandbox")
