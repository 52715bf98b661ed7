"""The routing decision for one login: which organization, by which rule, with which roles.

The generated post-login Action makes the same decision in JavaScript (see the shared test
vectors). A login through an organization stays in it: the claims are that organization's,
with the roles Auth0 gives for the membership, and a user it lists with `absent: true` is
refused. For other logins every organization whose rules admit the user is a candidate,
unless it lists the user with `absent: true`. The highest `routing.priority` wins; among equal
priorities an organization the user already belongs to wins, then the first name in
alphabetical order.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from reconciler.model.desired import Desired
from reconciler.routing.login import Login
from reconciler.routing.rules import ORGANIZATION_LOGIN, Blocked, OrgRules, Rule
from reconciler.routing.table import RoutingTable, routing_table

NO_RULE = "no rule matches"


class Outcome(StrEnum):
    """What happens at login."""

    JOIN = "join"
    """A rule admits the user, who becomes a member with the default roles."""
    MEMBER = "member"
    """A rule admits the user, who already is a member."""
    BLOCKED = "blocked"
    """Rules match, but each such organization lists the user with `absent: true`; or the
    login went through an organization that lists them so (the Action denies that login)."""
    UNVERIFIED = "unverified"
    """Only an email domain would match, and the email address is not verified."""
    NO_MATCH = "no_match"
    """No rule matches."""


@dataclass(frozen=True)
class Candidate:
    """An organization whose rules admit the user, and the rule that does."""

    org: OrgRules
    rule: Rule


@dataclass(frozen=True)
class Decision:
    """The routing decision for a login.

    `grant` are the roles given on joining (in the file's order); `roles` are the role names
    the user has in the organization after this login, sorted, as the roles claim lists them.
    `reason` says why no organization was chosen.
    """

    outcome: Outcome
    organization: str | None = None
    rule: Rule | None = None
    priority: int | None = None
    grant: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    reason: str | None = None
    also_matched: tuple[Candidate, ...] = ()
    """Other organizations that admit the user, in the order they would be chosen."""
    blocked_by: tuple[tuple[str, Blocked], ...] = ()
    """(organization, entry) of each `absent: true` entry that kept the user out."""

    def summary(self) -> dict[str, object]:
        """The decision as the shared test vectors state it."""
        return {
            "outcome": str(self.outcome),
            "organization": self.organization,
            "rule": self.rule.label if self.rule else None,
            "grant": list(self.grant),
            "roles": list(self.roles),
            "reason": self.reason,
        }

    def claims(self, table: RoutingTable) -> dict[str, object]:
        """The custom claims the Action sets on the ID and access tokens (none without an
        organization or a namespace)."""
        organization = table.claim("organization")
        roles = table.claim("roles")
        if self.organization is None or organization is None or roles is None:
            return {}
        return {organization: self.organization, roles: list(self.roles)}


def evaluate(table: RoutingTable, login: Login) -> Decision:
    """The routing decision for `login` under the rules of `table`."""
    if login.organization is not None:
        return _organization_login(table, login.organization, login)
    matches: list[Candidate] = []
    blocked: list[tuple[OrgRules, Blocked]] = []
    unverified: list[Candidate] = []
    for org in table.organizations:
        rule = org.match(login)
        domain = org.unverified_domain(login) if rule is None else None
        if rule is None and domain is None:
            continue
        entry = org.blocking(login)
        if entry is not None:
            blocked.append((org, entry))
        elif rule is not None:
            matches.append(Candidate(org, rule))
        elif domain is not None:
            unverified.append(Candidate(org, domain))
    if matches:
        return _chosen(matches, login)
    if blocked:
        blocked.sort(key=lambda found: _rank(found[0]))
        names = ", ".join(org.name for org, _ in blocked)
        return Decision(
            Outcome.BLOCKED,
            reason=f"blocked in {names}",
            blocked_by=tuple((org.name, entry) for org, entry in blocked),
        )
    if unverified:
        first = min(unverified, key=lambda c: _rank(c.org))
        reason = f"email address not verified ({first.rule.label} of {first.org.name})"
        return Decision(Outcome.UNVERIFIED, reason=reason)
    return Decision(Outcome.NO_MATCH, reason=NO_RULE)


def route(desired: Desired, login: Login) -> Decision:
    """The routing decision for `login` under the rules of a tenant's files."""
    return evaluate(routing_table(desired), login)


def _organization_login(table: RoutingTable, name: str, login: Login) -> Decision:
    """A login through the organization `name`: never another organization's claims."""
    org = table.find(name)
    entry = org.blocking(login) if org is not None else None
    if entry is not None:
        return Decision(
            Outcome.BLOCKED,
            reason=f"blocked in {name}, the organization of the login",
            blocked_by=((name, entry),),
        )
    if org is not None and org.is_newcomer(login):
        connection = org.auto_join(login)
        assert connection is not None
        grant = tuple(role.name for role in org.default_roles)
        return Decision(
            Outcome.JOIN,
            organization=name,
            rule=connection.rule,
            priority=org.priority,
            grant=grant,
            roles=tuple(sorted(grant)),
        )
    return Decision(
        Outcome.MEMBER,
        organization=name,
        rule=Rule(ORGANIZATION_LOGIN, ()),
        priority=org.priority if org is not None else None,
        roles=tuple(sorted(login.memberships.get(name, ()))),
    )


def _rank(org: OrgRules, member: bool = False) -> tuple[int, bool, str]:
    return (-org.priority, not member, org.name)


def _chosen(matches: Sequence[Candidate], login: Login) -> Decision:
    ordered = sorted(matches, key=lambda c: _rank(c.org, c.org.name in login.memberships))
    chosen, others = ordered[0], tuple(ordered[1:])
    org = chosen.org
    if org.name in login.memberships:
        return Decision(
            Outcome.MEMBER,
            organization=org.name,
            rule=chosen.rule,
            priority=org.priority,
            roles=tuple(sorted(login.memberships[org.name])),
            also_matched=others,
        )
    grant = tuple(role.name for role in org.default_roles)
    return Decision(
        Outcome.JOIN,
        organization=org.name,
        rule=chosen.rule,
        priority=org.priority,
        grant=grant,
        roles=tuple(sorted(grant)),
        also_matched=others,
    )
