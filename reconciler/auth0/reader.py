"""Reads through a Session: the resources' reads (`reconciler.resources.reader`) and the
single look-ups that drift and import make, counted by the session."""

from typing import Any

from reconciler.auth0.reads import SessionReads
from reconciler.auth0.session import Session
from reconciler.model.live import Snapshot
from reconciler.progress import Progress
from reconciler.resources import organizations, roles
from reconciler.resources.organizations import Found
from reconciler.resources.reader import Arrival
from reconciler.resources.reader import read_live as read_resources
from reconciler.resources.scope import Scope


async def read_live(
    session: Session,
    scope: Scope,
    progress: Progress | None = None,
    found: Found | None = None,
    arrival: Arrival | None = None,
) -> Snapshot:
    """Read what `scope` covers into a Snapshot that counts the reads it took (see
    `reconciler.resources.reader.read_live`)."""
    before = session.counter.reads
    snapshot = await read_resources(SessionReads(session), scope, progress, found, arrival)
    snapshot.read_calls = session.counter.reads - before
    return snapshot


async def organization_by_name(session: Session, name: str) -> tuple[str, dict[str, Any]] | None:
    """(id, fields) of the organization of this name, or None when there is none."""
    return await organizations.organization_by_name(SessionReads(session), name)


async def organization_by_id(session: Session, org_id: str) -> tuple[str, dict[str, Any]] | None:
    """(id, fields) of the organization of this id, or None when there is none (deleted)."""
    return await organizations.organization_by_id(SessionReads(session), org_id)


async def role_permissions(
    session: Session, role_id: str, owner: str | None = None
) -> frozenset[tuple[str, str]]:
    """The (API identifier, permission name) pairs a role grants; `owner` labels errors."""
    return await roles.role_permissions(SessionReads(session), role_id, owner)
