"""The post-login Action's desired definition: the fixed template plus the routing table as data.

The template (`templates/post_login.js`) ships with the package. The only generated part is
the `ROUTES` table, written as JSON with `<`, `>`, `&`, U+2028 and U+2029 escaped, so no value
from the files can end the literal or become code.
"""

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from reconciler.model.desired import Desired
from reconciler.model.tenant import ActionSettings
from reconciler.routing.table import RoutingTable, routing_table

TEMPLATE = "post_login.js"
PLACEHOLDER = "__ROUTES__"
ROUTES_LINE = "const ROUTES = "
"""What precedes the placeholder in the template."""
TRIGGER = {"id": "post-login", "version": "v3"}
ACTION_SCOPES = (
    "read:organizations",
    "create:organization_members",
    "read:organization_member_roles",
    "create:organization_member_roles",
    "read:roles",
)
"""Every scope the Action's application needs: the user's organizations and an organization
by name (`read:organizations`), adding a member, reading and assigning member roles, and
looking up default roles by name."""
AUTH0_PACKAGE = "auth0"

_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@dataclass(frozen=True)
class ActionDefinition:
    """Everything the Action should be in Auth0, with the names of its secrets, never values."""

    name: str
    runtime: str
    code: str
    dependencies: tuple[tuple[str, str], ...]
    """(npm package, exact version) pairs."""
    secret_names: tuple[str, ...]
    """The Action's secrets; their values come from environment variables of these names."""

    def body(self) -> dict[str, object]:
        """The Management API's create/update body, without `secrets` (added at deploy time)."""
        return {
            "name": self.name,
            "supported_triggers": [dict(TRIGGER)],
            "runtime": self.runtime,
            "code": self.code,
            "dependencies": [{"name": n, "version": v} for n, v in self.dependencies],
        }


def template() -> str:
    """The fixed JavaScript of the Action, with its one placeholder for the routing table."""
    return (
        resources.files("reconciler.routing")
        .joinpath("templates", TEMPLATE)
        .read_text(encoding="utf-8")
    )


def script_json(data: object) -> str:
    """`data` as a JSON literal that is safe to place in JavaScript source."""
    text = json.dumps(data, indent=2, ensure_ascii=True)
    return "".join(_SCRIPT_ESCAPES.get(char, char) for char in text)


def routes_data(table: RoutingTable, settings: ActionSettings) -> dict[str, object]:
    """The `ROUTES` table: the routing rules and the names of the secrets to read."""
    return {
        **table.data(),
        "secrets": {
            "domain": settings.domain_env,
            "clientId": settings.client_id_env,
            "clientSecret": settings.client_secret_env,
        },
    }


def action_code(table: RoutingTable, settings: ActionSettings) -> str:
    """The Action's source: the template with the routing table in place of its placeholder."""
    before, placeholder, after = template().partition(PLACEHOLDER)
    if not placeholder or PLACEHOLDER in after:
        raise RuntimeError(f"the Action template must hold {PLACEHOLDER} exactly once")
    return before + script_json(routes_data(table, settings)) + after


def split_code(code: str) -> tuple[str, dict[str, Any]] | None:
    """An Action's code as its template (the table replaced by the placeholder) and its
    `ROUTES` table, or None when the code holds no such table."""
    start = code.find(ROUTES_LINE)
    if start < 0:
        return None
    at = start + len(ROUTES_LINE)
    try:
        data, end = json.JSONDecoder().raw_decode(code, at)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return code[:at] + PLACEHOLDER + code[end:], data


def action_definition(desired: Desired) -> ActionDefinition | None:
    """The Action the tenant's files describe, or None when tenant.yaml has no `action`."""
    settings = desired.tenant.action
    if settings is None:
        return None
    return ActionDefinition(
        name=settings.name,
        runtime=settings.runtime,
        code=action_code(routing_table(desired), settings),
        dependencies=((AUTH0_PACKAGE, settings.auth0_version),),
        secret_names=settings.secret_names,
    )
