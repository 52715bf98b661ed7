"""Single look-ups an incremental drift check makes to place a change it read in the log."""

from reconciler.auth0.reads import SessionReads
from reconciler.auth0.session import Session
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.resources.reads import PAGE


async def user_organizations(session: Session, user_id: str) -> list[str] | None:
    """The ids of the organizations a user is a member of; None when the user is gone."""
    users = session.client.users
    items = await SessionReads(session).pages_or_none(
        ENDPOINTS.user_organizations,
        lambda page: users.organizations.list(user_id, page=page, per_page=PAGE),
        user_id,
    )
    return None if items is None else [str(org.id) for org in items if org.id]


async def role_by_id(session: Session, role_id: str) -> tuple[str, str | None] | None:
    """A role's name and the id of the organization owning it (None: a tenant role); None
    when the role is gone."""
    role = await SessionReads(session).one_or_none(
        ENDPOINTS.get_role, lambda: session.client.roles.get(role_id), role_id
    )
    if role is None or not role.name:
        return None
    owner = role.owner_id if role.type == "organization" and role.owner_id else None
    return str(role.name), owner
