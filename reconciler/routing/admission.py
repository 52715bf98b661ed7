"""Which users an organization's routing rules admit at login (just-in-time membership)."""

from collections.abc import Mapping

from reconciler.model import Member, Organization


def email_domain(email: str | None) -> str | None:
    """The lowercased domain of an email address, or None."""
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].lower()


def admission_reason(
    member: Member,
    org: Organization,
    auto_join_strategies: Mapping[str, str],
) -> str | None:
    """Why the org's rules admit this member at login, or None when they do not.

    `auto_join_strategies` maps the strategy of each connection that assigns membership on login
    to that connection's name; a user id starts with its identity provider's strategy.
    """
    domains = set(org.routing.email_domains or ()) if org.routing else set()
    domain = email_domain(member.email)
    if domain is not None and domain in domains:
        return f"email domain {domain}"
    if member.user_id and "|" in member.user_id:
        strategy = member.user_id.split("|", 1)[0]
        connection = auto_join_strategies.get(strategy)
        if connection is not None:
            return f"joins on login through {connection}"
    return None
