"""Failures of Management API calls, named by organization and call."""

from auth0.management.core.api_error import ApiError


class ApiCallError(Exception):
    """A call failed: which org, which call, and what Auth0 said."""

    def __init__(
        self, call: str, reason: str, org: str | None = None, status: int | None = None
    ) -> None:
        where = f"{org}: " if org else ""
        super().__init__(f"{where}{call}: {reason}")
        self.call = call
        self.reason = reason
        self.org = org
        self.status = status


def describe(error: Exception) -> str:
    """Auth0's message for an API error, the status alone when there is none."""
    if isinstance(error, ApiError):
        body = error.body
        if isinstance(body, dict) and body.get("message"):
            return f"{error.status_code} {body['message']}"
        return f"{error.status_code} {body!r}" if body else f"status {error.status_code}"
    return f"{type(error).__name__}: {error}"
