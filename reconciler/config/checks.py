"""Checks across a tenant's files that no single model can make on its own."""

import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from pathlib import PurePath

from reconciler.config.errors import ConfigError, quoted
from reconciler.config.tenant_files import MAX_MEMBERS
from reconciler.config.validation import Validated
from reconciler.model.desired import KeyPath, Location
from reconciler.model.organization import Organization
from reconciler.model.roles import MAX_TENANT_ROLES, RolesFile
from reconciler.model.routing import WILDCARD
from reconciler.model.tenant import TOKEN_ENV, Tenant

OrgFile = Validated[Organization]
"""A valid organization file."""
_USER_ID = attrgetter("user_id")
_EMAIL = attrgetter("email")
_ROLES = attrgetter("roles")
_INVITE = attrgetter("invite")
_EMAILS = frozenset({None})
"""What the checks read of every member, read in loops of C (10,000 files of 50 members)."""


def check_tenant(
    orgs: Sequence[OrgFile], tenant: Tenant | None, roles: RolesFile | None
) -> list[ConfigError]:
    """Every cross-file problem; checks needing an invalid `tenant` or `roles` are skipped."""
    errors = [
        *_file_names(orgs),
        *_unique_names(orgs),
        *_unique_members(orgs),
        *_email_domain_overlaps(orgs),
        *_signup_needs_auto_membership(orgs),
    ]
    if roles is not None:
        errors += _known_roles(orgs, set(roles.roles))
    if tenant is not None and tenant.invitations is None:
        errors += _invitations_configured(orgs)
    return errors


def check_action_secrets(tenant: Validated[Tenant]) -> list[ConfigError]:
    """An error at each secret of the post-login Action named like a variable of the
    management credentials (`credentials` or AUTH0_TOKEN): deploying the Action would send
    the management API's own secret to Auth0 as the Action's."""
    action, credentials = tenant.model.action, tenant.model.credentials
    if action is None:
        return []
    management = {
        credentials.client_id_env: "the variable of credentials.client_id_env",
        credentials.client_secret_env: "the variable of credentials.client_secret_env",
        TOKEN_ENV: "the variable of a management token",
    }
    fields = ("domain_env", "client_id_env", "client_secret_env")
    return [
        tenant.error(
            ("action", field),
            f"{quoted(name)} is {management[name]}: an Action secret must not name a "
            "variable of the management credentials (deploying would send its value to Auth0)",
        )
        for field, name in zip(fields, action.secret_names, strict=True)
        if name in management
    ]


def check_member_count(orgs: Sequence[OrgFile]) -> list[ConfigError]:
    """An error at the file in which the members of all files pass `MAX_MEMBERS`."""
    members = 0
    for org in orgs:
        members += len(org.model.members or [])
        if members > MAX_MEMBERS:
            message = f"the tenant's files list more than {MAX_MEMBERS:,} members in all"
            return [org.error(("members",), message + ": refused")]
    return []


def check_role_count(
    roles: Validated[RolesFile] | None, orgs: Sequence[OrgFile]
) -> list[ConfigError]:
    """An error at the file in which the roles of roles.yaml and the organizations' own roles
    pass `MAX_TENANT_ROLES`, the most Auth0 lets a tenant hold."""
    files: list[tuple[Validated[RolesFile] | OrgFile, int]] = (
        [(roles, len(roles.model.roles))] if roles is not None else []
    )
    files += [(org, len(org.model.roles or {})) for org in orgs]
    count = 0
    for validated, defined in files:
        count += defined
        if count > MAX_TENANT_ROLES:
            message = (
                f"the tenant's files define more than {MAX_TENANT_ROLES:,} roles in all, "
                "the most Auth0 lets a tenant hold: refused"
            )
            return [validated.error(("roles",), message)]
    return []


def check_approved_deletions(
    tenant: Validated[Tenant], orgs: Sequence[OrgFile]
) -> list[ConfigError]:
    """An error at each name of policy.approved_deletions that an organization file defines:
    an approval outlives its deletion in the files, and must not delete a later organization
    of the same name."""
    defined = {org.model.name: org for org in orgs}
    return [
        tenant.error(
            ("policy", "approved_deletions", index),
            f"{quoted(name)} is approved for deletion but "
            f"{defined[name].source.path} defines it: remove it from the list",
        )
        for index, name in enumerate(tenant.model.policy.approved_deletions)
        if name in defined
    ]


def _file_names(orgs: Sequence[OrgFile]) -> Iterator[ConfigError]:
    for org in orgs:
        if os.path.splitext(os.path.basename(org.source.path))[0] == org.model.name:
            continue
        file = PurePath(org.source.path)
        if org.model.name != file.stem:
            message = f"must match the file name {file.name} (got {quoted(org.model.name)})"
            yield org.error(("name",), message)


def _unique_names(orgs: Sequence[OrgFile]) -> Iterator[ConfigError]:
    names: dict[str, OrgFile] = {}
    for org in orgs:
        name = org.model.name
        if name in names:
            where = names[name].source.value_at(("name",))
            yield org.error(("name",), f"organization {quoted(name)} is also defined at {where}")
        else:
            names[name] = org
    previous: dict[str, tuple[OrgFile, KeyPath]] = {}
    for org in orgs:
        for index, old in enumerate(org.model.previous_names or []):
            path = ("previous_names", index)
            if old == org.model.name:
                yield org.error(path, f"{quoted(old)} is this organization's current name")
            elif old in names:
                where = names[old].source.value_at(("name",))
                yield org.error(path, f"{quoted(old)} is the name of the organization at {where}")
            elif old in previous:
                other, at = previous[old]
                where = other.source.value_at(at)
                yield org.error(path, f"{quoted(old)} is also a previous name at {where}")
            else:
                previous[old] = (org, path)


def _unique_members(orgs: Sequence[OrgFile]) -> Iterator[ConfigError]:
    for org in orgs:
        members = org.model.members or []
        if len(set(map(_USER_ID, members))) == len(members) and _EMAILS.issuperset(
            map(_EMAIL, members)
        ):
            continue  # the usual file: a user_id for each member, none listed twice, no email
        ids = [m.user_id for m in members if m.user_id is not None]
        emails = [m.email.lower() for m in members if m.email is not None]
        if len(set(ids)) == len(ids) and len(set(emails)) == len(emails):
            continue  # nothing listed twice
        seen: dict[tuple[str, str], int] = {}
        for index, member in enumerate(members):
            keys = [("user_id", member.user_id), ("email", member.email)]
            for field, value in keys:
                if value is None:
                    continue
                key = (field, value.lower() if field == "email" else value)
                if key in seen:
                    first = org.source.value_at(("members", seen[key], field))
                    message = f"member {quoted(value)} is already listed at line {first.line}"
                    yield org.error(("members", index, field), message)
                    break
                seen[key] = index


@dataclass(frozen=True)
class _Routed:
    """An entry of `routing.email_domains` and where it is written."""

    file: OrgFile
    path: KeyPath
    entry: str

    @property
    def org(self) -> str:
        """The organization that routes the entry."""
        return self.file.model.name

    @property
    def where(self) -> Location:
        """Where the entry is written (read from the file only for a message)."""
        return self.file.source.value_at(self.path)


def _suffixes(domain: str) -> list[str]:
    """The proper parent domains of `domain`: `eu.acme.com` -> `acme.com`, `com`."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(1, len(labels))]


def _email_domain_overlaps(orgs: Sequence[OrgFile]) -> Iterator[ConfigError]:
    """Two organizations may route the same email address only at different priorities.

    Entries overlap when one email address can match both: the same domain, a domain and a
    wildcard above it (`eu.acme.com`, `*.acme.com`), or two nested wildcards. `acme.com` and
    `*.acme.com` do not overlap: a wildcard matches subdomains only.
    """
    exact: dict[tuple[int, str], list[_Routed]] = defaultdict(list)
    wildcards: dict[tuple[int, str], list[_Routed]] = defaultdict(list)
    below: dict[tuple[int, str], list[_Routed]] = defaultdict(list)
    """Entries by each domain they lie strictly under."""
    for org in orgs:
        routing = org.model.routing
        if routing is None:
            continue
        priority = routing.priority
        for index, entry in enumerate(routing.email_domains or []):
            path = ("routing", "email_domains", index)
            wildcard = entry.startswith(WILDCARD)
            domain = entry[len(WILDCARD) :] if wildcard else entry
            places = [exact[priority, domain]] if not wildcard else [wildcards[priority, domain]]
            places += [wildcards[priority, s] for s in _suffixes(domain)]
            if wildcard:
                places.append(below[priority, domain])
            other = next((r for p in places for r in p if r.org != org.model.name), None)
            if other is not None:
                yield org.error(path, _overlap_message(entry, other, priority))
            routed = _Routed(org, path, entry)
            (wildcards if wildcard else exact)[priority, domain].append(routed)
            for suffix in _suffixes(domain):
                below[priority, suffix].append(routed)


def _overlap_message(entry: str, other: _Routed, priority: int) -> str:
    what = f"email domain {quoted(entry)}"
    if other.entry == entry:
        what += " is also routed"
    else:
        what += f" overlaps {quoted(other.entry)}, also routed"
    return (
        f"{what} to {quoted(other.org)} by {other.where} at the same priority ({priority}): "
        "give one of them a higher routing.priority"
    )


def _signup_needs_auto_membership(orgs: Sequence[OrgFile]) -> Iterator[ConfigError]:
    """Auth0 refuses signup on a link that does not assign membership on login."""
    for org in orgs:
        for index, conn in enumerate(org.model.connections or []):
            if conn.is_signup_enabled and not conn.assign_membership_on_login:
                yield org.error(
                    ("connections", index, "is_signup_enabled"),
                    "true needs assign_membership_on_login: true (Auth0 refuses signup on "
                    "a connection that does not assign membership)",
                )


def _known_roles(orgs: Sequence[OrgFile], tenant_roles: set[str]) -> Iterator[ConfigError]:
    for org in orgs:
        own = org.model.roles
        known = tenant_roles | set(own) if own else tenant_roles
        members = org.model.members or []
        uses: list[tuple[KeyPath, str]] = []
        if not known.issuperset(chain.from_iterable(filter(None, map(_ROLES, members)))):
            for index, member in enumerate(members):
                if member.roles and not known.issuperset(member.roles):
                    uses += [
                        (("members", index, "roles", i), r) for i, r in enumerate(member.roles)
                    ]
        routing = org.model.routing
        defaults = (routing.default_roles or []) if routing else []
        uses += [(("routing", "default_roles", i), r) for i, r in enumerate(defaults)]
        if not uses:
            continue
        listing = ", ".join(sorted(known)) or "none"
        for path, role in uses:
            if role not in known:
                yield org.error(path, f"unknown role {quoted(role)} (known roles: {listing})")


def _invitations_configured(orgs: Sequence[OrgFile]) -> Iterator[ConfigError]:
    for org in orgs:
        members = org.model.members or []
        if not any(map(_INVITE, members)):
            continue
        for index, member in enumerate(members):
            if member.invite:
                message = 'inviting needs "invitations" (client_id, inviter_name) in tenant.yaml'
                yield org.error(("members", index, "invite"), message)
