"""Which members an organization's routing rules admit at login (just-in-time membership).

The plan keeps a member who is not listed in the file when the organization's own rules admit
them, using the same rules as the login-time decision. A member list carries no metadata and
no verification flag, so the plan reads what it can: the email (taken as verified), the user
id, the name, and the connection the user id's provider implies. Priorities between
organizations are not weighed here: a member the rules admit is never removed.
"""

from collections.abc import Mapping

from reconciler.model import Organization
from reconciler.model.live import LiveMember
from reconciler.routing.login import Login
from reconciler.routing.rules import org_rules


def admission_reason(
    member: LiveMember,
    org: Organization,
    auto_join_strategies: Mapping[str, str],
) -> str | None:
    """Why the org's rules admit this member at login, or None when they do not.

    `auto_join_strategies` maps the strategy of each connection that assigns membership on login
    to that connection's name; a user id starts with its identity provider's strategy. A member
    the file lists with `absent: true` is never admitted.
    """
    rules = org_rules(org, auto_join=sorted(set(auto_join_strategies.values())))
    login = _login(member, auto_join_strategies)
    if rules.blocking(login) is not None:
        return None
    rule = rules.match(login)
    return rule.label if rule is not None else None


def is_blocked(member: LiveMember, org: Organization) -> bool:
    """Whether the org lists this (live) member with `absent: true`."""
    return org_rules(org).blocking(_login(member, {})) is not None


def _login(member: LiveMember, auto_join_strategies: Mapping[str, str]) -> Login:
    user_id = member.user_id
    strategy = user_id.split("|", 1)[0] if "|" in user_id else None
    return Login(
        user_id=user_id,
        email=member.email,
        email_verified=member.email is not None,
        connection=auto_join_strategies.get(strategy) if strategy else None,
        profile={"name": member.name} if member.name is not None else {},
    )
