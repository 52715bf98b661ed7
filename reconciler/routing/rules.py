"""One organization's routing rules, compiled for matching logins.

The generated post-login Action carries the same logic in JavaScript; both are checked against
the shared test vectors. In an organization the rules are tried in this order, and the first
that matches names the reason: email domains as listed, auto-join connections as listed, then
attribute rules as listed.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from reconciler.model import AttributeRule, Organization
from reconciler.model.desired import KeyPath
from reconciler.model.pattern_matcher import Matcher
from reconciler.model.patterns import compile_pattern
from reconciler.model.routing import ACTION_RECORD_KEY, WILDCARD
from reconciler.routing.login import Login

MAX_SAFE_INTEGER = 2**53 - 1
"""Whole numbers beyond this are not exact in JavaScript, so they never match."""

GRANTED_KEY = ACTION_RECORD_KEY
"""The `app_metadata` key where the Action records the organizations whose default roles it
has given the user (`{"defaults_granted": [names]}`), so that it gives them once."""
GRANTED_LIST = "defaults_granted"
ORGANIZATION_LOGIN = "organization login"
"""The reason shown for a login through an organization: Auth0 chose it, not a rule."""


def email_domain(email: str | None) -> str | None:
    """The lowercased domain of an email address; None without one or when it is not ASCII.

    Non-ASCII domains never match: lowercasing could turn a look-alike character into ASCII.
    """
    if not email or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1]
    if not domain or not domain.isascii():
        return None
    return domain.lower()


def domain_matches(domain: str, entry: str) -> bool:
    """Whether an email domain matches `acme.com` (exactly) or `*.acme.com` (a subdomain)."""
    if entry.startswith(WILDCARD):
        base = entry[len(WILDCARD) :]
        return len(domain) > len(base) + 1 and domain.endswith("." + base)
    return domain == entry


def value_texts(value: object) -> list[str]:
    """A profile value as the texts a rule compares: a list gives each of its elements."""
    items = value if isinstance(value, list) else [value]
    return [text for text in map(_scalar_text, items) if text is not None]


def _scalar_text(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int) and abs(value) <= MAX_SAFE_INTEGER:
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_SAFE_INTEGER:
        return str(int(value))
    return None


@dataclass(frozen=True)
class Rule:
    """A rule as a person reads it (`email domain acme.com`) and where it is written."""

    label: str
    at: KeyPath


@dataclass(frozen=True)
class DomainRule:
    """An entry of `routing.email_domains`: `acme.com` or `*.acme.com`."""

    entry: str
    rule: Rule


@dataclass(frozen=True)
class ConnectionRule:
    """A connection whose users join the organization when they log in through it."""

    name: str
    rule: Rule


@dataclass(frozen=True)
class AttributeTest:
    """An attribute rule: a profile path and one test of the value found there."""

    rule: Rule
    path: tuple[str, ...]
    equals: str | None = None
    one_of: tuple[str, ...] | None = None
    pattern: Matcher | None = None

    @classmethod
    def of(cls, spec: AttributeRule, at: KeyPath) -> "AttributeTest":
        """Compile an attribute rule of an organization file."""
        if spec.equals is not None:
            test = f"equals {_quote(spec.equals)}"
        elif spec.in_ is not None:
            test = f"in [{', '.join(map(_quote, spec.in_))}]"
        else:
            test = f"matches {_quote(str(spec.matches))}"
        return cls(
            rule=Rule(f"attribute {spec.path} {test}", at),
            path=tuple(spec.path.split(".")),
            equals=spec.equals,
            one_of=tuple(spec.in_) if spec.in_ is not None else None,
            pattern=compile_pattern(spec.matches) if spec.matches is not None else None,
        )

    def matches(self, login: Login) -> bool:
        """Whether the login's profile passes this test."""
        texts = value_texts(login.value(self.path))
        if self.equals is not None:
            return self.equals in texts
        if self.one_of is not None:
            return any(text in self.one_of for text in texts)
        pattern = self.pattern
        return pattern is not None and any(pattern.fullmatch(text) for text in texts)

    def data(self) -> dict[str, object]:
        """The rule as the Action's table holds it."""
        item: dict[str, object] = {"path": list(self.path), "label": self.rule.label}
        if self.equals is not None:
            item["equals"] = self.equals
        elif self.one_of is not None:
            item["in"] = list(self.one_of)
        elif self.pattern is not None:
            item["matches"] = self.pattern.pattern
        return item


@dataclass(frozen=True)
class Blocked:
    """A member entry with `absent: true`: a user_id or a (lowercased) email."""

    user_id: str | None
    email: str | None
    at: KeyPath


@dataclass(frozen=True)
class Listed:
    """The members whose roles the file manages (`roles:` given): at an organization login the
    Action never gives them the default roles, the files decide."""

    user_ids: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()

    def includes(self, login: Login) -> bool:
        """Whether the file lists this login's user with managed roles."""
        email = login.email.lower() if login.email else None
        return login.user_id in self.user_ids or (email is not None and email in self.emails)


def defaults_granted(login: Login) -> frozenset[str]:
    """The organizations whose default roles the Action has already given this user, from the
    record it keeps in `app_metadata`; malformed records count as none."""
    record = login.app_metadata.get(GRANTED_KEY)
    names = record.get(GRANTED_LIST) if isinstance(record, dict) else None
    if not isinstance(names, list):
        return frozenset()
    return frozenset(name for name in names if isinstance(name, str))


@dataclass(frozen=True)
class DefaultRole:
    """A role given on joining; `owned` when the organization defines a role of that name."""

    name: str
    owned: bool


@dataclass(frozen=True)
class OrgRules:
    """Everything the routing decision needs to know about one organization."""

    name: str
    priority: int
    email_domains: tuple[DomainRule, ...]
    connections: tuple[ConnectionRule, ...]
    attributes: tuple[AttributeTest, ...]
    default_roles: tuple[DefaultRole, ...]
    blocked: tuple[Blocked, ...]
    listed: Listed = Listed()

    @property
    def has_rules(self) -> bool:
        """Whether any rule can admit a user at all."""
        return bool(self.email_domains or self.connections or self.attributes)

    @property
    def in_table(self) -> bool:
        """Whether the Action needs this organization: it has rules, or `absent` entries that
        an organization login must refuse."""
        return self.has_rules or bool(self.blocked)

    def auto_join(self, login: Login) -> ConnectionRule | None:
        """The connection rule when the login came through one that assigns membership."""
        return next((c for c in self.connections if c.name == login.connection), None)

    def is_newcomer(self, login: Login) -> bool:
        """Whether an organization login is a user Auth0 has just added through one of this
        organization's auto-membership connections: no roles in the organization, not a
        member whose roles the file manages, and no record of a grant of the default roles."""
        roles = login.memberships.get(self.name, ())
        return (
            not roles
            and self.auto_join(login) is not None
            and not self.listed.includes(login)
            and self.name not in defaults_granted(login)
        )

    def match(self, login: Login) -> Rule | None:
        """The first rule that admits this login, or None."""
        domain = email_domain(login.email) if login.email_verified else None
        if domain is not None:
            for candidate in self.email_domains:
                if domain_matches(domain, candidate.entry):
                    return candidate.rule
        for connection in self.connections:
            if connection.name == login.connection:
                return connection.rule
        for test in self.attributes:
            if test.matches(login):
                return test.rule
        return None

    def unverified_domain(self, login: Login) -> Rule | None:
        """The email domain rule that would admit this login if its email were verified."""
        if login.email_verified:
            return None
        domain = email_domain(login.email)
        if domain is None:
            return None
        found = (d.rule for d in self.email_domains if domain_matches(domain, d.entry))
        return next(found, None)

    def blocking(self, login: Login) -> Blocked | None:
        """The `absent: true` entry that keeps this user out, or None."""
        email = login.email.lower() if login.email else None
        for entry in self.blocked:
            if entry.user_id is not None and entry.user_id == login.user_id:
                return entry
            if entry.email is not None and entry.email == email:
                return entry
        return None

    def data(self) -> dict[str, object]:
        """The organization as the Action's table holds it."""
        return {
            "name": self.name,
            "priority": self.priority,
            "emailDomains": [domain.entry for domain in self.email_domains],
            "connections": [connection.name for connection in self.connections],
            "attributes": [test.data() for test in self.attributes],
            "defaultRoles": [
                {"name": role.name, "owner": "organization" if role.owned else "tenant"}
                for role in self.default_roles
            ],
            "blocked": {
                "userIds": sorted({b.user_id for b in self.blocked if b.user_id is not None}),
                "emails": sorted({b.email for b in self.blocked if b.email is not None}),
            },
            "listed": {
                "userIds": sorted(self.listed.user_ids),
                "emails": sorted(self.listed.emails),
            },
        }


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def org_rules(org: Organization, auto_join: Sequence[str] | None = None) -> OrgRules:
    """The routing rules of an organization file.

    `auto_join` overrides which connections admit users at login; by default they are the
    connections the file lists with `assign_membership_on_login: true`.
    """
    routing = org.routing
    if auto_join is None:
        auto_join = [c.name for c in org.connections or [] if c.assign_membership_on_login]
    positions: dict[str, KeyPath] = {
        c.name: ("connections", i) for i, c in enumerate(org.connections or [])
    }
    own_roles = set(org.roles or {})
    default_roles = tuple(
        DefaultRole(name, name in own_roles)
        for name in ((routing.default_roles or []) if routing else [])
    )
    return OrgRules(
        name=org.name,
        priority=routing.priority if routing else 0,
        email_domains=tuple(
            DomainRule(entry, Rule(f"email domain {entry}", ("routing", "email_domains", i)))
            for i, entry in enumerate((routing.email_domains or []) if routing else [])
        ),
        connections=tuple(
            ConnectionRule(name, Rule(f"connection {name}", positions.get(name, ("connections",))))
            for name in auto_join
        ),
        attributes=tuple(
            AttributeTest.of(spec, ("routing", "attributes", i))
            for i, spec in enumerate((routing.attributes or []) if routing else [])
        ),
        default_roles=default_roles,
        blocked=tuple(
            Blocked(m.user_id, m.email.lower() if m.email else None, ("members", i))
            for i, m in enumerate(org.members or [])
            if m.absent
        ),
        listed=_listed(org) if auto_join and default_roles else Listed(),
    )


def _listed(org: Organization) -> Listed:
    managed = [m for m in org.members or [] if not m.absent and m.roles is not None]
    return Listed(
        user_ids=frozenset(m.user_id for m in managed if m.user_id is not None),
        emails=frozenset(m.email.lower() for m in managed if m.email is not None),
    )
