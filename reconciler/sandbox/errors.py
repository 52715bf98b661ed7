"""Auth0 Management API error bodies."""

from __future__ import annotations

from typing import Any

REASONS: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """An error answered as ``{"statusCode", "error", "message", "errorCode"?}``."""

    def __init__(self, status: int, message: str, error_code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_code = error_code

    def body(self) -> dict[str, Any]:
        """The JSON body Auth0 sends for this error."""
        body: dict[str, Any] = {
            "statusCode": self.status,
            "error": REASONS.get(self.status, "Error"),
            "message": self.message,
        }
        if self.error_code is not None:
            body["errorCode"] = self.error_code
        return body


def invalid_body(detail: str, prop: str | None = None) -> ApiError:
    """400 for a payload that fails validation, worded like Auth0's validator."""
    where = f" on property {prop}" if prop else ""
    return ApiError(400, f"Payload validation error: '{detail}'{where}.", "invalid_body")


def invalid_query(detail: str, prop: str | None = None) -> ApiError:
    """400 for a query string that fails validation."""
    where = f" on property {prop}" if prop else ""
    return ApiError(400, f"Query validation error: '{detail}'{where}.", "invalid_query_string")


def bad_request(message: str, error_code: str | None = "invalid_body") -> ApiError:
    """400 with a free-form message (a body that is well-formed but not acceptable)."""
    return ApiError(400, message, error_code)


def not_found(message: str, error_code: str | None = None) -> ApiError:
    """404 for a resource named in the path that does not exist."""
    return ApiError(404, message, error_code)


def conflict(message: str, error_code: str | None = None) -> ApiError:
    """409 for a duplicate or a limit that the request would exceed."""
    return ApiError(409, message, error_code)
