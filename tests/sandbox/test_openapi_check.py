"""The OpenAPI response check itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.openapi_check import SPEC_PATH, OpenApiChecker

CHECKER = OpenApiChecker.load()


def problems(method: str, path: str, status: int, body: object = None) -> list[str]:
    raw = b"" if body is None else json.dumps(body).encode()
    return CHECKER.problems(method, path, status, raw)


def test_conforming_bodies_pass() -> None:
    assert problems("GET", "/api/v2/organizations/org_1", 200, {"id": "org_1", "name": "a"}) == []
    last_page = {"organizations": [{"id": "org_1", "name": "a"}]}
    assert problems("GET", "/api/v2/organizations", 200, last_page) == []
    assert problems("DELETE", "/api/v2/organizations/org_1", 204) == []
    role = {"id": "rol_1", "name": "r", "type": "organization", "owner_id": "org_1"}
    assert problems("GET", "/api/v2/roles/rol_1", 200, role) == []


def test_literal_segments_win() -> None:
    found = CHECKER.operation("/api/v2/organizations/name/acme")
    assert found is not None and found[0] == "/organizations/name/{name}"


def test_wrong_bodies_are_reported() -> None:
    assert problems("GET", "/api/v2/organizations/org_1", 200, {"branding": {"colour": "x"}})
    member = {"members": [{"user_id": "u", "roles": [{"id": "r", "name": "n", "x": 1}]}]}
    assert problems("GET", "/api/v2/organizations/org_1/members", 200, member)
    assert problems("DELETE", "/api/v2/organizations/org_1", 204, {"id": "x"})
    assert problems("POST", "/api/v2/organizations", 200, {"id": "org_1"})
    assert problems("GET", "/api/v2/nowhere", 200, {})
    assert problems("GET", "/api/v2/roles", 404, {"message": "x"})
    assert (
        problems(
            "GET", "/api/v2/roles", 404, {"statusCode": 404, "error": "Not Found", "message": "x"}
        )
        == []
    )


def test_the_document_is_in_the_repository_and_a_missing_one_fails(tmp_path) -> None:
    assert SPEC_PATH.is_relative_to(Path(__file__).resolve().parents[1])
    with pytest.raises(FileNotFoundError, match="is missing"):
        OpenApiChecker.load(tmp_path / "gone.json")


def test_a_wrong_response_is_reported() -> None:
    found = problems("GET", "/api/v2/organizations/org_1", 200, {"id": 7, "name": "a"})
    assert found == ["GET /api/v2/organizations/org_1 -> 200: id: 7 is not of type 'string'"]
