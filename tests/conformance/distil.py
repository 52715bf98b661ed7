"""Distil recorded Management API traffic into the replay fixtures of this directory.

Usage: ``python -m tests.conformance.distil REPOSITORY=PATH ...``, one checkout or git directory
per recorded repository of `SOURCES` (each is read at its pinned commit). Each scenario below
names a repository, a recording and the requests kept from it; a fixture holds only
facts: methods, paths and bodies with ids as placeholders, statuses, response shapes and the
values that matter. Headers, tokens, secrets and e-mail addresses are never kept.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

FIXTURES = Path(__file__).parent / "fixtures"
RECORDINGS = "test/data/recordings"
TERRAFORM = "auth0/terraform-provider-auth0"
GO_SDK = "auth0/go-auth0"
SOURCES = {
    TERRAFORM: "a00b69214a6c1daef76cf89d25ece690c7f9db22",
    GO_SDK: "df1084db909530241b4d1165438324b7601a6386",
}
"""The recorded repositories, at the commit each fixture is distilled from. The Go SDK's
Management API recordings (invitations, the tenant log, users by e-mail) were removed after
that commit, its last of the v1 SDK."""

KINDS: dict[str, str] = {
    "org": r"org_[A-Za-z0-9]{16}",
    "con": r"con_[A-Za-z0-9]{16}",
    "rol": r"rol_[A-Za-z0-9]{16}",
    "cgr": r"cgr_[A-Za-z0-9]{16}",
    "uinv": r"uinv_[A-Za-z0-9]{16}",
    "log": r"900\d{53}",
    "ord": r"ord_[A-Za-z0-9]{22}",
    "user": r"auth0(?:\||%7C)[0-9a-f]{24}",
    "uuid": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    "client": r"[A-Za-z0-9]{32}",
    "rs": r"[0-9a-f]{24}",
}
"""Id formats Auth0 uses, by placeholder kind; the replay checks the sandbox's ids by them."""
ID_PATTERN = re.compile(
    "|".join(f"(?P<{k}>(?<![A-Za-z0-9_|]){p}(?![A-Za-z0-9]))" for k, p in KINDS.items())
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
SECRET_KEYS = re.compile(
    r"secret|password|^token$|_token|private|credential|signing_keys|ticket", re.I
)
OPAQUE_KEYS = frozenset(
    {"next", "verification_txt", "identities", "picture", "nickname", "tenant", "invitation_url"}
)
"""Values that are Auth0's own, never the same twice, or made of an e-mail address: shape
only."""


@dataclass(frozen=True)
class Scenario:
    """One fixture: ``keep`` selects the requests (method and path) kept, in order. Requests
    matching ``brief`` keep only their status and the ids they answer (what later steps refer
    to), not their shape; ``values_kept`` limits the values kept to the paths it matches."""

    name: str
    cassette: str
    keep: str
    first: int = 0
    last: int | None = None
    most: int = 40
    repository: str = TERRAFORM
    brief: str | None = None
    values_kept: str | None = None


SCENARIOS = (
    Scenario("organization_metadata", "TestAccOrganization", r"^\w+ /organizations"),
    Scenario(
        "organization_defaults",
        "TestAccOrganizationIsAppEntitlementActive",
        r"^\w+ /organizations(/org_\w+)?$",
    ),
    Scenario(
        "organization_third_party_access",
        "TestAccOrganizationThirdPartyClientAccess",
        r"^\w+ /organizations(/org_\w+)?$",
    ),
    Scenario(
        "discovery_domain",
        "TestAccOrganizationDiscoveryDomain",
        r"discovery-domains|^(POST|DELETE) /organizations",
    ),
    Scenario(
        "discovery_domains",
        "TestAccOrgDiscoveryDomains",
        r"discovery-domains|^(POST|DELETE) /organizations",
    ),
    Scenario(
        "members",
        "TestAccOrganizationMembers",
        r"^(POST /users|\w+ /organizations/[^/]+/members|POST /organizations$"
        r"|DELETE /organizations)",
    ),
    Scenario(
        "member_roles",
        "TestAccOrganizationMemberRoles",
        r"^(POST /users|POST /roles|\w+ /organizations/[^/]+/members|POST /organizations$"
        r"|DELETE /(organizations|roles))",
    ),
    Scenario(
        "organization_connection",
        "TestAccOrganizationConnection",
        r"enabled_connections|^(POST|DELETE) /(organizations|connections)",
    ),
    Scenario(
        "organization_connections",
        "TestAccOrganizationConnections",
        r"enabled_connections|^(POST|DELETE) /(organizations|connections)",
    ),
    Scenario(
        "organization_client_grant",
        "TestAccOrganizationClientGrant",
        r"client-grants|^(POST|DELETE) /(organizations|clients|resource-servers)",
    ),
    Scenario(
        "organization_clients",
        "TestAccOrganizationClients",
        r"/organizations/[^/]+/clients|^(POST|DELETE) /(organizations|clients)",
    ),
    Scenario(
        "client_grant",
        "TestAccClientGrant",
        r"client-grants|^(POST|PATCH|DELETE) /(clients|resource-servers)",
    ),
    Scenario(
        "role_permissions",
        "TestAccRolePermissions",
        r"^\w+ /roles|^(POST|PATCH|DELETE) /resource-servers",
        most=16,
    ),
    Scenario("action", "TestAccAction", r"^\w+ /actions/actions(/[^/]+(/deploy)?)?$", last=24),
    Scenario(
        "trigger_actions", "TestAccTriggerActions", r"^\w+ /actions/(actions|triggers)", most=11
    ),
    Scenario("client_metadata", "TestAccClientMetadataBehavior", r"^\w+ /clients"),
    Scenario("resource_server", "TestAccResourceServer", r"^\w+ /resource-servers", most=4),
    Scenario("connection", "TestAccConnection", r"^\w+ /connections"),
    Scenario("user", "TestAccUser", r"^\w+ /users"),
    Scenario(
        "invitations",
        "TestOrganizationManager_Invitations",
        r"^\w+ /(organizations|clients)",
        repository=GO_SDK,
        brief=r"^POST /clients$",
    ),
    Scenario(
        "invitation_deleted",
        "TestOrganizationManager_DeleteInvitation",
        r"^\w+ /(organizations|clients)",
        repository=GO_SDK,
        brief=r"^POST /clients$",
    ),
    Scenario(
        "members_checkpoint",
        "TestOrganizationManager_MembersCheckpointPagination",
        r"^\w+ /(organizations|users)",
        repository=GO_SDK,
    ),
    Scenario("users_by_email", "TestUserManager_ListByEmail", r"^\w+ /users", repository=GO_SDK),
    Scenario(
        "sapi_log",
        "TestLogManager",
        r"^GET /logs$",
        first=2,
        repository=GO_SDK,
        values_kept=r"\[0\]\.(type|description|details\.request\.(method|path|channel))",
    ),
)


class Abstracter:
    """Replaces ids and e-mail addresses by named placeholders, the same value by the same
    name throughout one scenario."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.counts: dict[str, int] = {}

    def _name(self, kind: str, value: str) -> str:
        if value not in self.names:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.names[value] = f"{{{kind}_{self.counts[kind]}}}"
        return self.names[value]

    def text(self, value: str) -> str:
        """``value`` with its ids and e-mail addresses abstracted."""
        value = EMAIL.sub(lambda m: self._name("email", m.group(0).lower()), value)
        return ID_PATTERN.sub(lambda m: self._name(str(m.lastgroup), m.group(0)), value)

    def opaque(self, value: str) -> str:
        """A checkpoint or other opaque token: named, never compared."""
        return self._name("next", value)


def shape(value: Any) -> Any:
    """Keys and JSON types, recursively; a list by its first item."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return "string"


def values(value: Any, ab: Abstracter, path: str = "") -> dict[str, Any]:
    """The values that matter, by path (``members[0].user_id``): every scalar but secrets,
    timestamps and Auth0's opaque tokens."""
    found: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            if SECRET_KEYS.search(key) or key in OPAQUE_KEYS:
                continue
            found.update(values(item, ab, f"{path}.{key}" if path else key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.update(values(item, ab, f"{path}[{index}]"))
    elif isinstance(value, str):
        if not TIMESTAMP.match(value):
            found[path] = ab.text(value)
    else:
        found[path] = value
    return found


def request_body(value: Any, ab: Abstracter) -> Any:
    """The request body, ids abstracted, secrets replaced by ``{secret}``."""
    if isinstance(value, dict):
        return {
            k: secret(v) if SECRET_KEYS.search(k) else request_body(v, ab) for k, v in value.items()
        }
    if isinstance(value, list):
        return [request_body(item, ab) for item in value]
    return ab.text(value) if isinstance(value, str) else value


def secret(value: Any) -> Any:
    """A secret's value with every string in it replaced by ``{secret}``."""
    if isinstance(value, dict):
        return {k: secret(v) for k, v in value.items()}
    if isinstance(value, list):
        return [secret(item) for item in value]
    return "{secret}" if isinstance(value, str) else value


def _json(text: str | None) -> Any:
    try:
        return json.loads(text) if text and text.strip() else None
    except ValueError:
        return None


def distil(scenario: Scenario, interactions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps of one scenario."""
    ab = Abstracter()
    steps: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for it in interactions[scenario.first : scenario.last]:
        req, res = it["request"], it["response"]
        url = urlsplit(req["url"])
        path = unquote(url.path.removeprefix("/api/v2"))
        method = req["method"]
        if not re.search(scenario.keep, f"{method} {path}"):
            continue
        body_text = res.get("body") or ""
        if method == "GET" and seen.get(req["url"]) == body_text:
            continue  # a read that sees nothing new
        if method != "GET":
            seen.clear()
        seen[req["url"]] = body_text
        query = {}
        for key, value in parse_qsl(url.query):
            query[key] = ab.opaque(value) if key == "from" else ab.text(value)
        payload = _json(body_text)
        if isinstance(payload, dict) and isinstance(payload.get("next"), str):
            ab.opaque(payload["next"])
        step: dict[str, Any] = {"method": method, "path": ab.text(path)}
        if query:
            step["query"] = query
        body = _json(req.get("body"))
        if body is not None:
            step["body"] = request_body(body, ab)
        step["status"] = res["code"]
        brief = scenario.brief is not None and re.search(scenario.brief, f"{method} {path}")
        if payload is not None and brief:
            step["values"] = {k: v for k, v in values(payload, ab).items() if _is_id(v)}
        elif payload is not None:
            step["shape"] = shape(payload)
            step["values"] = {
                k: v
                for k, v in values(payload, ab).items()
                if scenario.values_kept is None or re.fullmatch(scenario.values_kept, k)
            }
            if isinstance(payload, dict) and isinstance(payload.get("next"), str):
                step["captures"] = {"next": ab.opaque(payload["next"])}
        steps.append(step)
        if len(steps) >= scenario.most:
            break
    return steps


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\{[a-z]+_\d+\}", value) is not None


def load(source: Path, cassette: str, commit: str) -> list[dict[str, Any]]:
    """The interactions of one recording at `commit`, from a checkout or a git directory."""
    text = subprocess.run(
        ["git", "-C", str(source), "show", f"{commit}:{RECORDINGS}/{cassette}.yaml"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return list(yaml.safe_load(text)["interactions"])


def dump(fixture: dict[str, Any]) -> str:
    """A fixture as JSON, one step a line."""
    steps = ",\n  ".join(json.dumps(step, separators=(",", ":")) for step in fixture["steps"])
    source = json.dumps(fixture["source"], indent=2).replace("\n", "\n ")
    return f'{{\n "source": {source},\n "steps": [\n  {steps}\n ]\n}}\n'


def main() -> None:
    """Write one fixture per scenario."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="REPOSITORY=PATH",
        help="a checkout or git directory of each repository of SOURCES",
    )
    args = parser.parse_args()
    paths = dict(item.split("=", 1) for item in args.sources)
    FIXTURES.mkdir(exist_ok=True)
    for scenario in SCENARIOS:
        if scenario.repository not in paths:
            continue
        commit = SOURCES[scenario.repository]
        steps = distil(scenario, load(Path(paths[scenario.repository]), scenario.cassette, commit))
        fixture = {
            "source": {
                "repository": scenario.repository,
                "recording": f"{RECORDINGS}/{scenario.cassette}.yaml",
                "commit": commit,
            },
            "steps": steps,
        }
        out = FIXTURES / f"{scenario.name}.json"
        out.write_text(dump(fixture))
        print(f"{out.name}: {len(steps)} steps")


if __name__ == "__main__":
    main()
