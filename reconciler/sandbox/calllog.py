"""The call log of a sandbox, and response recording for schema checks in tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

API_PREFIX = "/api/v2/"
CALL_LOG_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One request as the sandbox saw it (the log keeps the latest ``CALL_LOG_LIMIT``).
    ``status`` is 0 when the connection was dropped
    before any response; ``fault`` names an injected fault (``drop``, ``lost_response``,
    ``server_error``) or ``rate_limited``; ``at`` is the sandbox clock's time when the
    request arrived."""

    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    fault: str | None = None
    at: float = 0.0

    @property
    def is_api(self) -> bool:
        """Whether this was a Management API call (under ``/api/v2/``)."""
        return self.path.startswith(API_PREFIX)

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON object."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ResponseSample:
    """A Management API response as delivered to a client."""

    method: str
    path: str
    status: int
    body: bytes


ResponseObserver = Callable[[ResponseSample], None]
_observers: list[ResponseObserver] = []


def observing() -> bool:
    """Whether anyone records responses (checked per request, so it must stay cheap)."""
    return bool(_observers)


def publish(sample: ResponseSample) -> None:
    """Hand a response to every recorder."""
    for observer in list(_observers):
        observer(sample)


@contextmanager
def recording_responses() -> Iterator[list[ResponseSample]]:
    """Collect every ``/api/v2`` response of every sandbox in this process while active."""
    samples: list[ResponseSample] = []
    observer: ResponseObserver = samples.append
    _observers.append(observer)
    try:
        yield samples
    finally:
        _observers.remove(observer)
