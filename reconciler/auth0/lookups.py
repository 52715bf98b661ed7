"""Single look-ups an incremental drift check makes to place a change it read in the log."""

from functools import partial

from reconciler.auth0.errors import ApiCallError
from reconciler.auth0.session import Session
from reconciler.engine.endpoints import ENDPOINTS

PAGE = 100


async def user_organizations(session: Session, user_id: str) -> list[str] | None:
    """The ids of the organizations a user is a member of; None when the user is gone."""
    users = session.client.users
    found: list[str] = []
    page_number = 0
    while True:
        try:
            page = await session.read(
                partial(users.organizations.list, user_id, page=page_number, per_page=PAGE),
                what=ENDPOINTS.user_organizations.call(user_id),
            )
        except ApiCallError as error:
            if error.status == 404:
                return None
            raise
        batch = list(page.items or [])
        found.extend(str(org.id) for org in batch if org.id)
        total = getattr(page.response, "total", None)
        if len(batch) < PAGE or (total is not None and len(found) >= total):
            return found
        page_number += 1


async def role_by_id(session: Session, role_id: str) -> tuple[str, str | None] | None:
    """A role's name and the id of the organization owning it (None: a tenant role); None
    when the role is gone."""
    try:
        role = await session.read(
            lambda: session.client.roles.get(role_id), what=ENDPOINTS.get_role.call(role_id)
        )
    except ApiCallError as error:
        if error.status == 404:
            return None
        raise
    if not role.name:
        return None
    owner = role.owner_id if role.type == "organization" and role.owner_id else None
    return str(role.name), owner
