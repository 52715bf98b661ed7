"""`import --adopt-connections`: an enterprise connection linked to an imported organization
(one a customer made through self-service SSO) written into that organization's file, its
options as Auth0 returns them under the files' names, its signing certificate as a file of
the tenant, its secret as the name of a variable (never its value)."""

import base64
import binascii
import re
from fnmatch import fnmatchcase
from typing import Any

from pydantic import ValidationError

from reconciler.model.connections import STRATEGY_OPTIONS, EnterpriseConnection
from reconciler.model.live import LiveConnection, LiveEnabledConnection
from reconciler.resources.enterprise_connections import FIELDS
from reconciler.resources.importing import OrgImport

CERTS_DIR = "certs"


def ignored(name: str, patterns: list[str]) -> bool:
    """Whether tenant.yaml's `policy.ignored_connections` leaves the connection alone."""
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def adoptable(importing: OrgImport, link: LiveEnabledConnection) -> LiveConnection | None:
    """The connection of a link that import writes as the organization's own: an enterprise
    connection no file declares, not ignored, whose options were read."""
    conn = importing.live.connections.get(link.name)
    desired = importing.desired
    if (
        not importing.adopt
        or conn is None
        or conn.strategy not in STRATEGY_OPTIONS
        or conn.options is None
        or link.name in desired.enterprise_connections()
        or ignored(link.name, desired.tenant.policy.ignored_connections)
    ):
        return None
    return conn


def adopted(importing: OrgImport, conn: LiveConnection, link: LiveEnabledConnection) -> Any:
    """The file's entry for an adopted connection, or None (noted) when what Auth0 holds
    cannot be written as one."""
    what = f"{importing.org.name}: connection {conn.name}"
    data: dict[str, Any] = {"strategy": conn.strategy}
    data.update({f: getattr(conn, f) for f in FIELDS if getattr(conn, f) is not None})
    options: dict[str, Any] = {}
    have = conn.options or {}
    aliases = have.get("domain_aliases")
    if isinstance(aliases, list) and aliases:
        options["domain_aliases"] = list(aliases)
    for file_key, auth0_key in STRATEGY_OPTIONS[conn.strategy].keys.items():
        if file_key == "client_secret_env":
            options[file_key] = _secret_variable(conn.name)
        elif file_key == "signing_cert_file" and auth0_key in have:
            path = _certificate(importing, conn.name, have[auth0_key])
            if path is None:
                importing.left_out.append(
                    f"{what}: not adopted: its signing certificate is not a base64 PEM file"
                )
                return None
            options[file_key] = path
        elif auth0_key in have and have[auth0_key] is not None:
            options[file_key] = have[auth0_key]
    data["options"] = options
    data["link"] = {
        "assign_membership_on_login": link.assign_membership_on_login,
        "show_as_button": link.show_as_button,
    }
    try:
        EnterpriseConnection.model_validate(
            {k: v for k, v in data.items() if k != "link"}, strict=False
        )
    except ValidationError as error:
        importing.left_out.append(f"{what}: not adopted (left a link): {error.errors()[0]['msg']}")
        return None
    if "client_secret_env" in options:
        importing.left_out.append(
            f"{what}: its client secret is left out: set {options['client_secret_env']} to it "
            "before its options change"
        )
    return data


def _secret_variable(name: str) -> str:
    return re.sub(r"[^A-Z0-9_]", "_", name.upper()) + "_CLIENT_SECRET"


def _certificate(importing: OrgImport, name: str, value: Any) -> str | None:
    """The tenant-relative path the certificate is written to, or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        text = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if not text.startswith("-----BEGIN CERTIFICATE-----"):
        return None
    path = f"{CERTS_DIR}/{name}.pem"
    importing.files[path] = text
    return path
