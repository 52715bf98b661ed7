"""The tenant log: the writes made since a checkpoint, and where a new checkpoint starts.

Checkpoint reads (`GET /logs?from=ID&take=100`) answer a bare array of the events after `ID`,
in no guaranteed date order; the next read starts from the last event's `log_id`, and a short
page means the log has been read to its end. Auth0 ignores every other parameter in this
mode, the search included, so events of every type come back and writes (`sapi`) are picked
here. Events are taken leniently: what a field lacks is None.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from auth0.management.core.api_error import ApiError

from reconciler.auth0.errors import ApiCallError
from reconciler.auth0.session import Session

PAGE = 100
WRITE = "sapi"
"""The type of the event Auth0 logs for a successful Management API write."""


@dataclass(frozen=True)
class Write:
    """One successful Management API write, as the log tells it."""

    log_id: str
    client_id: str | None
    method: str | None
    path: str | None
    body: Any


@dataclass(frozen=True)
class LogRead:
    """The writes after a checkpoint, and where the log was read up to."""

    writes: tuple[Write, ...]
    last_id: str
    """The last event read, of any type (the checkpoint itself when there was none)."""
    events: int
    """Events of every type read."""
    pages: int
    complete: bool
    """False when reading stopped at `max_pages` before the end of the log."""


async def newest_log_id(session: Session) -> str | None:
    """The id of the newest event in the log (None: the log is empty). A checkpoint taken
    before a full read of the tenant makes the next check look at every change made since."""
    page = await _get(session, "/logs", {"page": 0, "per_page": 1, "sort": "date:-1"})
    events = page.get("logs") if isinstance(page, Mapping) else page
    newest = events[0] if isinstance(events, list) and events else None
    log_id = newest.get("log_id") if isinstance(newest, Mapping) else None
    return log_id if isinstance(log_id, str) and log_id else None


async def log_event_exists(session: Session, log_id: str) -> bool:
    """Whether the log still holds this event: once retention has dropped it, the events
    after it may be gone too."""
    try:
        await _get(session, f"/logs/{quote(log_id, safe='')}")
    except ApiCallError as error:
        if error.status == 404:
            return False
        raise
    return True


async def writes_after(session: Session, log_id: str, max_pages: int) -> LogRead:
    """Every write logged after the event `log_id`, reading at most `max_pages` pages."""
    writes: list[Write] = []
    last, events, pages = log_id, 0, 0
    while pages < max_pages:
        page = await _get(session, "/logs", {"from": last, "take": PAGE})
        batch = [e for e in page if isinstance(e, Mapping)] if isinstance(page, list) else []
        pages += 1
        events += len(batch)
        for event in batch:
            write = _write(event)
            if write is not None:
                writes.append(write)
        ids = [e["log_id"] for e in batch if isinstance(e.get("log_id"), str)]
        if ids:
            last = ids[-1]
        if len(batch) < PAGE:
            return LogRead(tuple(writes), last, events, pages, complete=True)
    return LogRead(tuple(writes), last, events, pages, complete=False)


async def _get(session: Session, path: str, params: dict[str, Any] | None = None) -> Any:
    """One read of the log as plain JSON (taken leniently), under the session's retry policy."""

    async def fetch() -> Any:
        response = await session.http.get(
            f"{session.target.api_url}{path}",
            params=params,
            headers={"Authorization": f"Bearer {session.token}"},
        )
        try:
            body = response.json()
        except ValueError:
            body = None
        if not response.is_success:
            raise ApiError(
                headers=dict(response.headers), status_code=response.status_code, body=body
            )
        return body

    return await session.read(fetch, what=f"GET {path}")


def _write(event: Mapping[str, Any]) -> Write | None:
    if event.get("type") != WRITE or not isinstance(event.get("log_id"), str):
        return None
    details = event.get("details")
    request = details.get("request") if isinstance(details, Mapping) else None
    request = request if isinstance(request, Mapping) else {}
    method, path = request.get("method"), request.get("path")
    client = event.get("client_id")
    return Write(
        log_id=event["log_id"],
        client_id=client if isinstance(client, str) and client else None,
        method=method.upper() if isinstance(method, str) else None,
        path=path if isinstance(path, str) else None,
        body=request.get("body"),
    )
