"""Which users an organization's routing rules admit at login (just-in-time membership)."""

from collections.abc import Mapping

from reconciler.model import Organization


def email_domain(email: str | None) -> str | None:
    """The lowercased domain of an email address, or None."""
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].lower()


def admission_reason(
    email: str | None,
    user_id: str | None,
    org: Organization,
    auto_join_strategies: Mapping[str, str],
) -> str | None:
    """Why the org's rules admit a member with this email and user id at login, or None.

    `auto_join_strategies` maps the strategy of each connection that assigns membership on login
    to that connection's name; a user id starts with its identity provider's strategy.
    """
    domains = set(org.routing.email_domains or ()) if org.routing else set()
    domain = email_domain(email)
    if domain is not None and domain in domains:
        return f"email domain {domain}"
    if user_id and "|" in user_id:
        strategy = user_id.split("|", 1)[0]
        connection = auto_join_strategies.get(strategy)
        if connection is not None:
            return f"joins on login through {connection}"
    return None
