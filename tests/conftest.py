"""Project-wide fixtures: every Management API response a test provokes from a sandbox
is checked against the vendored OpenAPI document (tests/openapi/)."""

from __future__ import annotations

from collections.abc import Iterator

import freezegun
import pytest

from reconciler.safe_text import forget_secrets
from reconciler.sandbox import recording_responses
from tests.openapi_check import SPEC_PATH, OpenApiChecker

OPENAPI = OpenApiChecker.load()

# freezegun scans every loaded module when it starts; the SDK's lazy imports would then
# build pydantic models while datetime is faked, which fails.
freezegun.configure(extend_ignore_list=["auth0"])


def pytest_report_header() -> str:
    """Say what responses are checked against."""
    return f"openapi check: every sandbox /api/v2 response against {SPEC_PATH.name}"


@pytest.fixture(autouse=True)
def _responses_match_openapi() -> Iterator[None]:
    """Record the sandbox's API responses during the test; fail it if one does not match
    the response schema of its path, method and status."""
    with recording_responses() as samples:
        yield
    problems = OPENAPI.check_all(samples)
    if problems:
        shown = "\n".join(problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        pytest.fail(f"responses that do not match the OpenAPI document:\n{shown}{more}", False)


@pytest.fixture(autouse=True)
def _secrets_of_one_test() -> Iterator[None]:
    """Each test redacts only the secrets it holds itself, as one command does."""
    yield
    forget_secrets()
