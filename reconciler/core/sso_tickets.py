"""`reconciler sso-ticket ORG` and `revoke-sso-ticket`: a self-service SSO ticket for an
organization's customer admin, made from the organization file's `self_service_sso`.

A ticket is a link that lets whoever holds it configure a connection: it is not state, so it
is made by a command (not a plan), printed once for the operator to send, and never written
to Git, plan files or logs. Completing it makes the connection Auth0-side; `import
--adopt-connections` then brings it into the files.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from reconciler.auth0.errors import ApiCallError, describe_response, json_or_none
from reconciler.auth0.reader import organization_by_name
from reconciler.auth0.reads import SessionReads
from reconciler.auth0.session import Session
from reconciler.engine.app_refs import Applications
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.model.desired import Desired
from reconciler.model.live import Snapshot
from reconciler.model.sso_profiles import SelfServiceSso
from reconciler.resources.applications import applications_of
from reconciler.resources.sso_profiles import profiles_of

TOO_MANY = 429


class TicketRefused(Exception):
    """A ticket cannot be made or revoked: what the files or Auth0 lack, named."""


@dataclass(frozen=True)
class Ticket:
    """A ticket made: its link (for the customer's admin) and its id (to revoke it)."""

    url: str
    id: str


async def create_ticket(session: Session, desired: Desired, org: str) -> Ticket:
    """A ticket for `org` as its file's `self_service_sso` asks; 4 reads at most (the
    profiles, the organization, the applications when it names any) and 1 write."""
    sso = _settings(desired, org)
    profile_id = await _profile_id(session, sso.profile)
    found = await organization_by_name(session, org)
    if found is None:
        raise TicketRefused(f"{org}: no organization of that name in Auth0: apply first")
    enabled: dict[str, Any] = {"organization_id": found[0]}
    for flag in ("assign_membership_on_login", "show_as_button"):
        if getattr(sso, flag) is not None:
            enabled[flag] = getattr(sso, flag)
    body: dict[str, Any] = {
        "connection_config": {"name": sso.connection or f"{org}-sso"},
        "enabled_organizations": [enabled],
        "enabled_clients": await _client_ids(session, desired, org, sso),
    }
    if sso.ttl_sec:
        body["ttl_sec"] = sso.ttl_sec
    if sso.domain_verification is not None:
        body["domain_aliases_config"] = {"domain_verification": sso.domain_verification}
    endpoint = ENDPOINTS.create_sso_ticket
    response = await _send(session, endpoint.url_path(profile_id), body)
    if response.status_code >= 300:
        raise ApiCallError(endpoint.call(profile_id), describe_response(response), org)
    data = json_or_none(response)
    url = data.get("ticket") if isinstance(data, dict) else None
    ticket_id = parse_qs(urlsplit(url).query).get("ticket", [""])[0] if isinstance(url, str) else ""
    if not isinstance(url, str) or not ticket_id:
        raise ApiCallError(endpoint.call(profile_id), "the answer carries no ticket link", org)
    return Ticket(url, ticket_id)


async def revoke_ticket(session: Session, desired: Desired, org: str, ticket_id: str) -> None:
    """Revoke a ticket of `org`'s profile (Auth0 answers 202 also for one that is gone)."""
    sso = _settings(desired, org)
    profile_id = await _profile_id(session, sso.profile)
    endpoint = ENDPOINTS.revoke_sso_ticket
    response = await _send(session, endpoint.url_path(profile_id, ticket_id))
    if response.status_code >= 300:
        raise ApiCallError(endpoint.call(profile_id, ticket_id), describe_response(response), org)


async def _send(session: Session, path: str, body: Any = None) -> httpx.Response:
    """One POST, sent again only after a 429 (a ticket whose answer was lost is not looked
    for: it cannot be, and a second one would be another valid link)."""
    attempts = session.attempts()
    while True:
        response = await session.send("POST", path, body)
        if response.status_code != TOO_MANY or attempts.exhausted:
            return response
        # The transport holds the group's next request until its bucket refills.
        attempts.rate_limited(describe_response(response))


def _settings(desired: Desired, org: str) -> SelfServiceSso:
    found = desired.organizations.get(org)
    if found is None:
        raise TicketRefused(f"{org}: no organization file of that name")
    if found.self_service_sso is None:
        raise TicketRefused(
            f"{org}: its file has no self_service_sso (which profile, connection and "
            "applications a ticket is for)"
        )
    return found.self_service_sso


async def _profile_id(session: Session, name: str) -> str:
    found = (await profiles_of(SessionReads(session))).get(name)
    if found is None:
        raise TicketRefused(f"no self-service profile {name!r} in Auth0: apply first")
    return found.id


async def _client_ids(
    session: Session, desired: Desired, org: str, sso: SelfServiceSso
) -> list[str]:
    if not sso.applications:
        return []
    live = await applications_of(SessionReads(session))
    apps = Applications(Snapshot(applications=live))
    ids = []
    for name in sso.applications:
        found = apps.resolve(name)
        if found is None or isinstance(found, str) or not isinstance(found.id, str):
            raise TicketRefused(f"{org}: self_service_sso.applications: {found or name}")
        ids.append(found.id)
    return ids
