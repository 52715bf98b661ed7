"""Settles a create whose outcome is unknown (409, 5xx, lost response) by reading the object.

Only reads are sent here: an object found is taken as the create's result, and whatever about
it differs from the files shows up in the verification plan after apply, never as a write the
plan did not list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from reconciler.auth0.errors import json_or_none
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.plan import JSON, Settle

PAGE = 100
APPLICATION_PAGES = 10


class Reader(Protocol):
    """The one call recovery needs."""

    async def send(self, method: str, path: str, body: JSON = None) -> httpx.Response:
        """One raw request."""
        ...


@dataclass(frozen=True)
class Found:
    """The object a create would have made, as Auth0 has it."""

    data: dict[str, Any]
    note: str


async def find_created(api: Reader, settle: Settle, path: str, body: JSON) -> Found | None:
    """The object that the create at `path` with `body` would have made, if it exists."""
    if not isinstance(body, dict):
        return None
    found: Any = None
    if settle is Settle.FIND_ORGANIZATION:
        found = await _get(api, ENDPOINTS.organization_by_name.url_path(body["name"]))
        if isinstance(found, dict):
            return Found(found, f"adopted the existing organization {found.get('id')}")
    elif settle is Settle.FIND_ROLE:
        roles = await _get(
            api, f"{ENDPOINTS.list_roles.url_path()}?name_filter={_q(body['name'])}&per_page=100"
        )
        found = _first(
            roles,
            lambda role: (
                role.get("name") == body["name"] and role.get("owner_id") == body.get("owner_id")
            ),
        )
    elif settle is Settle.FIND_CONNECTION:
        found = await _get(api, f"{path}/{_q(body['connection_id'])}")
    elif settle is Settle.FIND_TENANT_CONNECTION:
        listed = await _get(
            api, f"{ENDPOINTS.list_connections.url_path()}?name={_q(body['name'])}&take={PAGE}"
        )
        items = listed.get("connections") if isinstance(listed, dict) else listed
        found = _first(items, lambda conn: conn.get("name") == body["name"])
    elif settle is Settle.FIND_SSO_PROFILE:
        listed = await _get(api, f"{ENDPOINTS.list_sso_profiles.url_path()}?per_page={PAGE}")
        items = listed.get("self_service_profiles") if isinstance(listed, dict) else listed
        found = _first(items, lambda profile: profile.get("name") == body["name"])
    elif settle is Settle.FIND_DOMAIN:
        found = await _get(api, f"{path}/name/{_q(body['domain'])}")
    elif settle is Settle.FIND_APPLICATION:
        found = await _find_application(api, str(body["name"]))
    elif settle is Settle.FIND_CLIENT_GRANT:
        client, audience = body["client_id"], body["audience"]
        grants = await _get(
            api,
            f"{ENDPOINTS.list_client_grants.url_path()}?client_id={_q(client)}&audience={_q(audience)}",
        )
        found = _first(
            grants,
            lambda grant: (grant.get("client_id"), grant.get("audience")) == (client, audience),
        )
    elif settle is Settle.FIND_ORGANIZATION_GRANT:
        grants = await _get(api, f"{path}?grant_ids={_q(body['grant_id'])}")
        found = _first(grants, lambda grant: grant.get("id") == body["grant_id"])
    elif settle is Settle.FIND_ORGANIZATION_APPLICATIONS:
        found = await _find_org_applications(api, path, body)
    elif settle is Settle.FIND_ACTION:
        page = await _get(
            api, f"{ENDPOINTS.list_actions.url_path()}?actionName={_q(body['name'])}&per_page=100"
        )
        actions = page.get("actions") if isinstance(page, dict) else None
        # Only the action this create would have made: one of the same name that runs other
        # code is someone else's, and its draft must not be deployed in place of ours.
        found = _first(
            actions,
            lambda action: (
                action.get("name") == body["name"] and action.get("code") == body.get("code")
            ),
        )
    elif settle is Settle.FIND_INVITATION:
        email = str(body["invitee"]["email"]).lower()
        page = await _get(api, f"{path}?per_page=100&page=0")
        found = _first(page, lambda item: _invitee_email(item) == email)
    return Found(found, "found by reading") if isinstance(found, dict) else None


async def _find_application(api: Reader, name: str) -> dict[str, Any] | None:
    """The application of this name, from the listing of applications (offset pages, at most
    the 1,000 records Auth0 pages through)."""
    for page in range(APPLICATION_PAGES):
        items = await _get(
            api,
            f"{ENDPOINTS.list_applications.url_path()}"
            "?fields=client_id,name&include_fields=true&is_global=false"
            f"&per_page={PAGE}&page={page}",
        )
        found = _first(items, lambda app: app.get("name") == name)
        if found is not None or not isinstance(items, list) or len(items) < PAGE:
            return found
    return None


async def _find_org_applications(api: Reader, path: str, body: dict[str, Any]) -> Any:
    """The organization's associations, when every application of the body is among them."""
    page = await _get(api, f"{path}?take={PAGE}")
    listed = page.get("clients") if isinstance(page, dict) else None
    if not isinstance(listed, list):
        return None
    have = {item.get("client_id") for item in listed if isinstance(item, dict)}
    wanted = {entry.get("client_id") for entry in body.get("clients", [])}
    return {"clients": listed} if wanted <= have else None


def _first(items: Any, matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    """The first object of a listed page that matches."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and matches(item):
            return item
    return None


def _invitee_email(invitation: dict[str, Any]) -> str | None:
    invitee = invitation.get("invitee")
    email = invitee.get("email") if isinstance(invitee, dict) else None
    return email.lower() if isinstance(email, str) else None


def _q(value: object) -> str:
    return quote(str(value), safe="")


async def _get(api: Reader, path: str) -> Any | None:
    try:
        response = await api.send("GET", path)
    except httpx.TransportError:
        return None
    if response.status_code != 200:
        return None
    return json_or_none(response)
