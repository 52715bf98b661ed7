"""Settles a create whose outcome is unknown (409, lost response) by reading the object."""

from typing import Any
from urllib.parse import quote

import httpx

from reconciler.auth0.session import Session
from reconciler.engine.plan import JSON


async def find_created(session: Session, path: str, body: JSON) -> Any | None:
    """The object the create would have made, if it exists; None when it does not.

    An organization found by name is adopted: the fields and connections of the create are
    then applied to it, so it matches as if it had been created.
    """
    if not isinstance(body, dict):
        return None
    if path == "/organizations":
        found = await _get(session, f"/organizations/name/{quote(body['name'], safe='')}")
        if isinstance(found, dict):
            await _adopt_organization(session, found["id"], body)
        return found
    if path == "/roles":
        return await _find_role(session, body)
    if path.endswith("/enabled_connections"):
        return await _get(session, f"{path}/{quote(body['connection_id'], safe='')}")
    if path.endswith("/discovery-domains"):
        return await _get(session, f"{path}/name/{quote(body['domain'], safe='')}")
    if path.endswith("/invitations"):
        email = body["invitee"]["email"].lower()
        page = await _get(session, f"{path}?per_page=100&page=0")
        for invitation in page if isinstance(page, list) else []:
            if invitation.get("invitee", {}).get("email", "").lower() == email:
                return invitation
    return None


async def _find_role(session: Session, body: dict[str, Any]) -> Any | None:
    query = f"/roles?name_filter={quote(body['name'], safe='')}&per_page=100"
    roles = await _get(session, query)
    for role in roles if isinstance(roles, list) else []:
        if role.get("name") == body["name"] and role.get("owner_id") == body.get("owner_id"):
            return role
    return None


async def _adopt_organization(session: Session, org_id: str, body: dict[str, Any]) -> None:
    fields = {k: v for k, v in body.items() if k not in ("name", "enabled_connections")}
    base = f"/organizations/{org_id}"
    if fields:
        await _request(session, "PATCH", base, fields)
    for connection in body.get("enabled_connections", []):
        await _request(session, "POST", f"{base}/enabled_connections", connection)


async def _get(session: Session, path: str) -> Any | None:
    response = await _request(session, "GET", path, None)
    if response is None or response.status_code != 200:
        return None
    return response.json()


async def _request(session: Session, method: str, path: str, body: JSON) -> httpx.Response | None:
    try:
        return await session.send(method, path, body)
    except httpx.TransportError:
        return None
