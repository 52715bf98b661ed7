"""Checks across a tenant's files that no single model can make on its own."""

from collections.abc import Iterator, Sequence
from pathlib import PurePath

from reconciler.config.errors import ConfigError, quoted
from reconciler.config.validation import Validated
from reconciler.model.desired import KeyPath, Location
from reconciler.model.organization import Organization
from reconciler.model.roles import RolesFile
from reconciler.model.tenant import Tenant

OrgFile = Validated[Organization]
"""A valid organization file."""


def check_tenant(
    orgs: Sequence[OrgFile], tenant: Tenant | None, roles: RolesFile | None
) -> list[ConfigError]:
    """Every cross-file problem; checks needing an invalid `tenant` or `roles` are skipped."""
    errors = [
        *_file_names(orgs),
        *_unique_names(orgs),
        *_unique_members(orgs),
        *_unique_email_domains(orgs),
    ]
    if roles is not None:
        errors += _known_roles(orgs, set(roles.roles))
    if tenant is not None and tenant.invitations is None:
        errors += _invitations_configured(orgs)
    return errors


def _file_names(orgs: Sequence[OrgFile]) -> Iterator[ConfigError]:
    for org in orgs:
        file = PurePath(org.document.path)
        if org.model.name != file.stem:
            message = f"must match the file name {file.name} (got {quoted(org.model.name)})"
            yield org.error(("name",), message)


def _unique_names(orgs: Sequence[OrgFile]) -> Iterator[ConfigError]:
    names: dict[str, Location] = {}
    for org in orgs:
        name = org.model.name
        if name in names:
            yield org.error(
                ("name",), f"organization {quoted(name)} is also defined at {names[name]}"
            )
        else:
            names[name] = org.document.value_at(("name",))
    previous: dict[str, Location] = {}
    for org in orgs:
        for index, old in enumerate(org.model.previous_names or []):
            path = ("previous_names", index)
            if old == org.model.name:
                yield org.error(path, f"{quoted(old)} is this organization's current name")
            elif old in names:
                yield org.error(
                    path, f"{quoted(old)} is the name of the organization at {names[old]}"
                )
            elif old in previous:
                yield org.error(path, f"{quoted(old)} is also a previous name at {previous[old]}")
            else:
                previous[old] = org.document.value_at(path)


def _unique_members(orgs: Sequence[OrgFile]) -> Iterator[ConfigError]:
    for org in orgs:
        seen: dict[tuple[str, str], Location] = {}
        for index, member in enumerate(org.model.members or []):
            keys = [("user_id", member.user_id), ("email", member.email)]
            for field, value in keys:
                if value is None:
                    continue
                key = (field, value.lower() if field == "email" else value)
                if key in seen:
                    message = f"member {quoted(value)} is already listed at line {seen[key].line}"
                    yield org.error(("members", index, field), message)
                    break
                seen[key] = org.document.value_at(("members", index, field))


def _unique_email_domains(orgs: Sequence[OrgFile]) -> Iterator[ConfigError]:
    routed: dict[str, tuple[str, Location]] = {}
    for org in orgs:
        routing = org.model.routing
        for index, domain in enumerate((routing.email_domains or []) if routing else []):
            path = ("routing", "email_domains", index)
            if domain in routed:
                owner, where = routed[domain]
                message = (
                    f"email domain {quoted(domain)} is already routed to {quoted(owner)} at {where}"
                )
                yield org.error(path, message)
            else:
                routed[domain] = (org.model.name, org.document.value_at(path))


def _known_roles(orgs: Sequence[OrgFile], tenant_roles: set[str]) -> Iterator[ConfigError]:
    for org in orgs:
        known = tenant_roles | set(org.model.roles or {})
        listing = ", ".join(sorted(known)) or "none"
        uses: list[tuple[KeyPath, str]] = []
        for index, member in enumerate(org.model.members or []):
            uses += [(("members", index, "roles", i), r) for i, r in enumerate(member.roles or [])]
        routing = org.model.routing
        defaults = (routing.default_roles or []) if routing else []
        uses += [(("routing", "default_roles", i), r) for i, r in enumerate(defaults)]
        for path, role in uses:
            if role not in known:
                yield org.error(path, f"unknown role {quoted(role)} (known roles: {listing})")


def _invitations_configured(orgs: Sequence[OrgFile]) -> Iterator[ConfigError]:
    for org in orgs:
        for index, member in enumerate(org.model.members or []):
            if member.invite:
                message = 'inviting needs "invitations" (client_id, inviter_name) in tenant.yaml'
                yield org.error(("members", index, "invite"), message)
