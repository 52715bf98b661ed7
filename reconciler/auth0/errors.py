"""Failures of Management API calls, named by organization and call, and how they read.

Whatever a server says reaches a message only through `server_text`: secrets redacted, control
and invisible characters escaped, cut to a line's length.
"""

from typing import Any

import httpx
from auth0.management.core.api_error import ApiError

from reconciler.safe_text import inert, redact

MAX_MESSAGE = 300
"""The most characters of a server's message that a message shows."""


class ApiCallError(Exception):
    """A call failed: which org, which call, and what Auth0 said (made inert)."""

    def __init__(
        self, call: str, reason: str, org: str | None = None, status: int | None = None
    ) -> None:
        where = f"{org}: " if org else ""
        super().__init__(inert(f"{where}{call}: {reason}"))
        self.call = call
        self.reason = inert(reason)
        self.org = org
        self.status = status


def server_text(text: str) -> str:
    """Text a server sent, as a message shows it: every secret the process holds redacted,
    control, bidi and invisible characters escaped, at most `MAX_MESSAGE` characters."""
    text = redact(text)
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE] + "..."
    return inert(text)


def message_of(body: Any) -> str | None:
    """Auth0's message in an error body, if it has one (as a server sent it)."""
    if isinstance(body, dict):
        for key in ("message", "error_description", "error"):
            if isinstance(body.get(key), str) and body[key]:
                return str(body[key])
    return None


_EXPECTED = "expected any of:"


def scope_text(body: Any) -> str | None:
    """For Auth0's 403 `insufficient_scope`: which scope the token lacks, as a message says
    it (`the token lacks the scope read:roles`); None for any other answer."""
    if not isinstance(body, dict) or body.get("errorCode") != "insufficient_scope":
        return None
    message = message_of(body) or ""
    _, found, listed = message.partition(_EXPECTED)
    scopes = [s.strip() for s in listed.split(",") if s.strip()] if found else []
    if not scopes:
        return "the token lacks a scope this call needs"
    others = f" (or {', '.join(scopes[1:])})" if len(scopes) > 1 else ""
    return server_text(f"the token lacks the scope {scopes[0]}{others}")


def describe_status(status: int | None, body: Any) -> str:
    """`404 Not found` from a status and Auth0's error body (its message when it has one);
    a missing scope is named as such."""
    lacking = scope_text(body)
    if lacking is not None:
        return f"{status} {lacking}"
    message = message_of(body)
    return f"{status} {server_text(message)}" if message else f"status {status}"


def describe(error: Exception) -> str:
    """One line for a failed call: Auth0's message, or what went wrong on the way."""
    if isinstance(error, ApiError):
        return describe_status(error.status_code, error.body)
    return f"{type(error).__name__}: {server_text(str(error))}"


def json_or_none(response: httpx.Response) -> Any:
    """A response's JSON, or None when it is not JSON (or nested too deeply to read)."""
    try:
        return response.json()
    except (ValueError, RecursionError):
        return None


def describe_response(response: httpx.Response) -> str:
    """One line for an unsuccessful response."""
    body = json_or_none(response)
    if scope_text(body) is not None or message_of(body):
        return describe_status(response.status_code, body)
    return f"{response.status_code} {server_text(response.reason_phrase)}"
