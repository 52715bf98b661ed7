"""The tenant log: the writes made since a checkpoint, and where a new checkpoint starts.

Checkpoint reads (`GET /logs?from=ID&take=100`) answer a bare array of the events after `ID`,
in no guaranteed date order; the next read starts from the last event's `log_id`, and a short
page means the log has been read to its end. Auth0 ignores every other parameter in this
mode, the search included, so events of every type come back and writes (`sapi`) are picked
here.

A page is taken strictly, its events leniently. Anything but the documented JSON array of event
objects, each with its `log_id` (an object, HTML, truncated or invalid JSON, JSON nested past
the recursion limit, an array holding something else), is an ApiCallError: the log cannot be
read, never an empty page that would end it. Of an event, what a field lacks is None.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from auth0.management.core.api_error import ApiError

from reconciler.auth0.errors import ApiCallError, json_or_none
from reconciler.auth0.session import Session
from reconciler.engine.endpoints import ENDPOINTS

PAGE = 100
LOGS = ENDPOINTS.list_logs.url_path()
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
    events = _events(await _get(session, LOGS, {"page": 0, "per_page": 1, "sort": "date:-1"}))
    return str(events[0]["log_id"]) if events else None


async def log_event_exists(session: Session, log_id: str) -> bool:
    """Whether the log still holds this event: once retention has dropped it, the events
    after it may be gone too."""
    path = ENDPOINTS.get_log.url_path(log_id)
    try:
        event = await _get(session, path)
    except ApiCallError as error:
        if error.status == 404:
            return False
        raise
    if not isinstance(event, Mapping):
        raise ApiCallError(f"GET {path}", f"the answer is {_kind(event)}, not a log event")
    return True


async def writes_after(session: Session, log_id: str, max_pages: int) -> LogRead:
    """Every write logged after the event `log_id`, reading at most `max_pages` pages."""
    writes: list[Write] = []
    last, events, pages = log_id, 0, 0
    while pages < max_pages:
        batch = _events(await _get(session, LOGS, {"from": last, "take": PAGE}))
        pages += 1
        events += len(batch)
        writes.extend(write for write in map(_write, batch) if write is not None)
        if batch:
            last = batch[-1]["log_id"]
        if len(batch) < PAGE:
            return LogRead(tuple(writes), last, events, pages, complete=True)
    return LogRead(tuple(writes), last, events, pages, complete=False)


async def _get(session: Session, path: str, params: dict[str, Any] | None = None) -> Any:
    """One read of the log under the session's retry policy: the JSON of a successful answer
    (ApiCallError when it is not JSON); an error's body is taken leniently."""
    call = f"GET {path}"

    async def fetch() -> Any:
        response = await session.http.get(
            f"{session.target.api_url}{path}",
            params=params,
            headers={"Authorization": f"Bearer {session.token}"},
        )
        if not response.is_success:
            raise ApiError(
                headers=dict(response.headers),
                status_code=response.status_code,
                body=json_or_none(response),
            )
        try:
            return response.json()
        except RecursionError:
            raise ApiCallError(call, "the answer is JSON nested too deeply") from None
        except ValueError as error:
            raise ApiCallError(call, f"the answer is not valid JSON ({error})") from None

    return await session.read(fetch, what=call)


def _events(page: Any) -> list[Mapping[str, Any]]:
    """The events of a log page, which must be an array of objects each with its `log_id`."""
    call = ENDPOINTS.list_logs.call()
    if not isinstance(page, list):
        raise ApiCallError(call, f"the answer is {_kind(page)}, not an array of log events")
    for number, event in enumerate(page, 1):
        if not isinstance(event, Mapping):
            raise ApiCallError(call, f"event {number} of the page is {_kind(event)}, not an object")
        log_id = event.get("log_id")
        if not isinstance(log_id, str) or not log_id:
            raise ApiCallError(call, f"event {number} of the page has no log_id")
    return page


def _kind(value: Any) -> str:
    """What a JSON value is, for a message (never the value itself)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def _write(event: Mapping[str, Any]) -> Write | None:
    if event.get("type") != WRITE:
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
