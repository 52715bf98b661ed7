"""Checks of the declared enterprise connections across files, and the signing certificates
they read: what Auth0 would refuse, found before any call."""

import base64
import binascii
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reconciler.config.errors import ConfigError, ConfigErrors, quoted
from reconciler.config.tenant_files import check_file
from reconciler.config.validation import Validated
from reconciler.model.connections import ConnectionsFile, EnterpriseConnection
from reconciler.model.desired import KeyPath
from reconciler.model.organization import MAX_CONNECTIONS, Organization
from reconciler.model.routing import WILDCARD
from reconciler.model.sso_profiles import SsoProfilesFile

_PEM = re.compile(
    r"-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END CERTIFICATE-----\r?\n?"
)


@dataclass(frozen=True)
class _Declared:
    """One declared connection and where it is written."""

    file: Validated[Organization] | Validated[ConnectionsFile]
    path: KeyPath
    name: str
    connection: EnterpriseConnection
    owner: str | None

    def error(self, *path: str | int, message: str) -> ConfigError:
        return self.file.error((*self.path, *path), message)

    @property
    def where(self) -> str:
        return str(self.file.source.value_at(self.path))


def _declared(
    orgs: Sequence[Validated[Organization]], connections: Validated[ConnectionsFile] | None
) -> list[_Declared]:
    found = []
    if connections is not None:
        for name, conn in connections.model.connections.items():
            found.append(_Declared(connections, ("connections", name), name, conn, None))
    for org in orgs:
        for name, conn in (org.model.enterprise_connections or {}).items():
            path = ("enterprise_connections", name)
            found.append(_Declared(org, path, name, conn, org.model.name))
    return found


def check_connections(
    orgs: Sequence[Validated[Organization]], connections: Validated[ConnectionsFile] | None
) -> list[ConfigError]:
    """Names declared once, an organization's links within Auth0's limit, each domain alias
    on one connection, and no alias routed to an organization the connection is not for."""
    declared = _declared(orgs, connections)
    return [
        *_unique_names(declared),
        *_links(orgs, declared),
        *_unique_aliases(declared),
        *_aliases_routed_elsewhere(orgs, declared),
    ]


def check_profiles_named(
    orgs: Sequence[Validated[Organization]], profiles: SsoProfilesFile | None
) -> list[ConfigError]:
    """An error at each `self_service_sso.profile` that sso-profiles.yaml does not declare."""
    known = set(profiles.profiles) if profiles else set()
    return [
        org.error(
            ("self_service_sso", "profile"),
            f"unknown self-service profile {quoted(sso.profile)}: sso-profiles.yaml declares "
            f"{', '.join(sorted(known)) or 'none'}",
        )
        for org in orgs
        if (sso := org.model.self_service_sso) is not None and sso.profile not in known
    ]


def read_certificates(
    orgs: Sequence[Validated[Organization]],
    connections: Validated[ConnectionsFile] | None,
    directory: Path,
    root: Path,
) -> tuple[dict[str, str], list[ConfigError]]:
    """The signing certificates the connections name, as Auth0 takes them (the PEM file
    base64-encoded), by path; an error at each reference to a file that is missing, outside
    the tenant or not one PEM certificate."""
    found: dict[str, str] = {}
    errors: list[ConfigError] = []
    for conn in _declared(orgs, connections):
        relative = conn.connection.options.signing_cert_file
        if relative is None or relative in found:
            continue
        problem = _certificate(directory, root, relative, found)
        if problem is not None:
            errors.append(conn.error("options", "signing_cert_file", message=problem))
    return found, errors


def _certificate(directory: Path, root: Path, relative: str, found: dict[str, str]) -> str | None:
    path = directory / relative
    if ".." in Path(relative).parts or Path(relative).is_absolute():
        return f"{quoted(relative)} must be a file inside the tenant directory"
    if not path.exists():
        return f"{quoted(relative)}: no such file in the tenant directory"
    try:
        check_file(path, relative, root)
        text = path.read_text(encoding="ascii")
    except ConfigErrors as refused:
        return refused.errors[0].message
    except (OSError, UnicodeDecodeError):
        return f"{quoted(relative)} is not a PEM certificate (not ASCII text)"
    match = _PEM.fullmatch(text.strip() + "\n")
    if match is None:
        return (
            f"{quoted(relative)} is not one PEM certificate (-----BEGIN CERTIFICATE----- ... "
            "-----END CERTIFICATE-----)"
        )
    try:
        der = base64.b64decode("".join(match.group(1).split()), validate=True)
    except binascii.Error:
        return f"{quoted(relative)}: the certificate's base64 does not decode"
    if not der.startswith(b"\x30"):
        return f"{quoted(relative)}: the certificate is not DER inside (no ASN.1 sequence)"
    found[relative] = base64.b64encode(text.encode("ascii")).decode("ascii")
    return None


def _unique_names(declared: list[_Declared]) -> Iterator[ConfigError]:
    first: dict[str, _Declared] = {}
    for conn in declared:
        other = first.setdefault(conn.name, conn)
        if other is not conn:
            yield conn.error(
                message=f"connection {quoted(conn.name)} is also declared at {other.where}"
            )


def _links(
    orgs: Sequence[Validated[Organization]], declared: list[_Declared]
) -> Iterator[ConfigError]:
    owned = {c.name: c for c in declared if c.owner is not None}
    for org in orgs:
        own = org.model.enterprise_connections or {}
        listed = org.model.connections or []
        for index, link in enumerate(listed):
            if link.name in own:
                yield org.error(
                    ("connections", index, "name"),
                    f"{quoted(link.name)} is this organization's own connection "
                    "(enterprise_connections): its flags go under its link",
                )
            elif link.name in owned:
                other = owned[link.name]
                yield org.error(
                    ("connections", index, "name"),
                    f"{quoted(link.name)} is the connection of organization "
                    f"{quoted(other.owner or '')} ({other.where}): declare it in connections.yaml "
                    "to share it",
                )
        names = {link.name for link in listed} | set(own)
        if len(names) > MAX_CONNECTIONS:
            path: KeyPath = ("enterprise_connections",) if own else ("connections",)
            yield org.error(
                path,
                f"{len(names)} connections in all: Auth0 enables at most {MAX_CONNECTIONS} for an "
                "organization",
            )


def _unique_aliases(declared: list[_Declared]) -> Iterator[ConfigError]:
    first: dict[str, _Declared] = {}
    for conn in declared:
        for index, alias in enumerate(conn.connection.options.domain_aliases or []):
            other = first.setdefault(alias, conn)
            if other is not conn:
                yield conn.error(
                    "options",
                    "domain_aliases",
                    index,
                    message=f"{quoted(alias)} is also a domain alias of connection "
                    f"{quoted(other.name)} ({other.where}): home-realm discovery needs one",
                )


def _routed(domain: str, entries: list[str]) -> str | None:
    """The entry of `email_domains` that routes addresses at `domain`, if any."""
    for entry in entries:
        if entry == domain:
            return entry
        if entry.startswith(WILDCARD) and domain.endswith("." + entry[len(WILDCARD) :]):
            return entry
    return None


def _aliases_routed_elsewhere(
    orgs: Sequence[Validated[Organization]], declared: list[_Declared]
) -> Iterator[ConfigError]:
    """A connection's users land in the organizations it is linked to; an alias that the
    routing rules send to an organization it is not linked to would split them."""
    linked: dict[str, set[str]] = {}
    for org in orgs:
        names = {link.name for link in org.model.connections or []}
        for name in names | set(org.model.enterprise_connections or {}):
            linked.setdefault(name, set()).add(org.model.name)
    for conn in declared:
        for index, alias in enumerate(conn.connection.options.domain_aliases or []):
            for org in orgs:
                routing = org.model.routing
                entries = (routing.email_domains if routing else None) or []
                entry = _routed(alias, entries)
                if entry is None or org.model.name in linked.get(conn.name, set()):
                    continue
                where = org.source.value_at(("routing", "email_domains", entries.index(entry)))
                yield conn.error(
                    "options",
                    "domain_aliases",
                    index,
                    message=f"{quoted(alias)} of connection {quoted(conn.name)} is routed to "
                    f"organization {quoted(org.model.name)} by {where}, which does not enable "
                    "the connection",
                )
