"""A routing decision explained for people: the organization, the rule, the roles, the claims."""

import json

from reconciler.model.desired import Desired, KeyPath
from reconciler.routing.evaluate import Outcome, evaluate
from reconciler.routing.login import Login
from reconciler.routing.rules import ORGANIZATION_LOGIN
from reconciler.routing.table import routing_table


def listed_memberships(
    desired: Desired, email: str | None, user_id: str | None = None
) -> dict[str, tuple[str, ...]]:
    """The organizations whose files list this user as a member (not `absent: true`), with
    the roles the files give them there: who they are once the files are applied."""
    email = email.lower() if email else None
    found: dict[str, tuple[str, ...]] = {}
    for name, org in sorted(desired.organizations.items()):
        for member in org.members or []:
            listed = (user_id is not None and member.user_id == user_id) or (
                email is not None and member.email is not None and member.email.lower() == email
            )
            if listed and not member.absent:
                found[name] = tuple(member.roles or ())
    return found


def explain_route(desired: Desired, login: Login) -> list[str]:
    """Lines saying where `login` lands and why, or why it lands nowhere."""
    table = routing_table(desired)
    decision = evaluate(table, login)
    lines = [_who(login)]
    if decision.organization is None:
        lines.append(f"no organization: {decision.reason}")
        for org, entry in decision.blocked_by:
            lines.append(f"  absent: true at {_at(desired, org, entry.at)}")
        if login.organization is not None:
            lines.append("the Action denies the login (api.access.deny) and sets no claims")
        else:
            lines.append("the Action adds no membership and sets no claims")
        return lines
    assert decision.rule is not None
    joins = decision.outcome is Outcome.JOIN
    if decision.rule.label == ORGANIZATION_LOGIN:
        lines += _organization_member(desired, login, decision.organization)
    else:
        if login.organization is not None:
            state = "added by Auth0 at this login; the Action gives the default roles"
        else:
            state = "joins at this login" if joins else "already a member"
        lines += [
            f"organization: {decision.organization} ({state})",
            f"rule: {decision.rule.label}, priority {decision.priority} "
            f"({_at(desired, decision.organization, decision.rule.at)})",
        ]
    if joins:
        granted = ", ".join(decision.grant) or "none"
        lines.append(f"roles granted on joining: {granted}")
    lines += _claims(decision.claims(table), desired)
    for other in decision.also_matched:
        lines.append(
            f"also admitted by {other.org.name} (priority {other.org.priority}, {other.rule.label})"
        )
    return lines


def _organization_member(desired: Desired, login: Login, name: str) -> list[str]:
    lines = [
        f"organization: {name} (the organization of the login; rules are not consulted)",
        "roles: those of the membership, as Auth0 gives them (no Management API call)",
    ]
    if name not in login.memberships:
        lines.append(
            f"note: the files do not list this user in {name}: Auth0 lets them log in through "
            "it only as a member, an invitee, or through a connection that assigns membership"
        )
    if name not in desired.organizations:
        lines.append(f"note: no file describes {name}; the Action still sets its claims")
    return lines


def _who(login: Login) -> str:
    parts = [f"user {login.user_id}"] if login.user_id else []
    if login.email:
        verified = "verified" if login.email_verified else "not verified"
        parts.append(f"email {login.email} ({verified})")
    if login.connection:
        parts.append(f"connection {login.connection}")
    if login.organization:
        parts.append(f"through organization {login.organization}")
    for org, roles in sorted(login.memberships.items()):
        parts.append(f"member of {org} ({', '.join(roles) or 'no roles'})")
    return "login: " + (", ".join(parts) or "anonymous")


def _claims(claims: dict[str, object], desired: Desired) -> list[str]:
    if not claims:
        return ["claims: none (tenant.yaml has no claims.namespace)"]
    if desired.tenant.action is None:
        heading = "claims (once tenant.yaml has an action section):"
    else:
        heading = "ID and access token claims:"
    return [heading, *(f"  {name}: {json.dumps(value)}" for name, value in claims.items())]


def _at(desired: Desired, org: str, path: KeyPath) -> str:
    found = desired.locate("organizations", org, *path)
    return str(found) if found else f"organizations/{org}"
