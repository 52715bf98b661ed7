"""Checkpoint and offset paging with realistic volumes, in-process."""

from __future__ import annotations

import httpx
import pytest
from auth0.management import Auth0
from auth0.management.errors import BadRequestError

from reconciler.sandbox import Sandbox, SandboxSettings


@pytest.fixture
def big(sandbox: Sandbox) -> tuple[list[str], list[str]]:
    """250 organizations; the first has 1,050 members."""
    store = sandbox.store
    orgs = [store.create_organization(f"org-{i:03d}").id for i in range(250)]
    users = [store.create_user(f"user{i}@big.example")["user_id"] for i in range(1050)]
    store.add_members(orgs[0], users)
    return orgs, users


def test_organizations_by_checkpoint(
    api: Auth0, sandbox: Sandbox, big: tuple[list[str], list[str]]
) -> None:
    orgs, _ = big
    pages = list(api.organizations.list(take=100).iter_pages())
    assert [len(p.items or []) for p in pages] == [100, 100, 50]
    assert [o.id for p in pages for o in p.items or []] == orgs
    assert len(sandbox.api_calls()) == 3
    assert pages[-1].response.next is None


def test_members_by_checkpoint(
    api: Auth0, sandbox: Sandbox, big: tuple[list[str], list[str]]
) -> None:
    orgs, users = big
    pages = list(
        api.organizations.members.list(orgs[0], take=100, fields="user_id,roles").iter_pages()
    )
    # As Auth0's, the last member page with members carries `next`: the SDK's pager, which
    # stops only without `next`, reads one more, empty, page (and yields none for it).
    assert [len(p.items or []) for p in pages] == [100] * 10 + [50]
    assert [m.user_id for p in pages for m in p.items or []] == users
    assert len(sandbox.api_calls()) == 12


@pytest.mark.parametrize(("next_on_last", "calls"), [(True, 3), (False, 2)])
def test_an_exact_multiple_ends_on_an_empty_page_as_in_auth0(
    api: Auth0, sandbox: Sandbox, next_on_last: bool, calls: int
) -> None:
    sandbox.settings = SandboxSettings(member_next_on_last_page=next_on_last)
    org = sandbox.store.create_organization("acme")
    users = [sandbox.store.create_user(f"u{i}@x.io")["user_id"] for i in range(200)]
    sandbox.store.add_members(org.id, users)
    pages = list(api.organizations.members.list(org.id, take=100).iter_pages())
    assert [len(p.items or []) for p in pages] == [100, 100]
    assert len(sandbox.api_calls()) == calls


def test_cursor_survives_deletions(
    api: Auth0, sandbox: Sandbox, big: tuple[list[str], list[str]]
) -> None:
    orgs, _ = big
    first = api.organizations.list(take=100)
    sandbox.store.delete_organization(orgs[99])
    sandbox.store.delete_organization(orgs[100])
    second = first.next_page()
    assert second is not None and [o.id for o in second.items or []][:2] == orgs[101:103]


def test_offset_paging_stops_at_1000(
    api: Auth0, sandbox: Sandbox, big: tuple[list[str], list[str]]
) -> None:
    orgs, users = big
    token = sandbox.issue_token()
    http = sandbox.sync_client(headers={"authorization": f"Bearer {token}"})
    path = f"/api/v2/organizations/{orgs[0]}/members"
    page9 = http.get(path, params={"page": 9, "per_page": 100, "include_totals": "true"}).json()
    assert (page9["start"], page9["limit"], page9["total"]) == (900, 100, 1050)
    assert [m["user_id"] for m in page9["members"]] == users[900:1000]
    beyond = http.get(path, params={"page": 10, "per_page": 100})
    assert beyond.status_code == 400
    assert beyond.json() == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Requesting page exceeds the allowed maximum of 1000 records",
        "errorCode": "invalid_paging",
    }
    bare = http.get("/api/v2/organizations", params={"page": 2, "per_page": 100})
    assert [o["id"] for o in bare.json()] == orgs[200:]


def test_offset_with_sdk_pager_hits_invalid_paging(api: Auth0, sandbox: Sandbox) -> None:
    for i in range(1000):
        sandbox.store.create_role(f"role-{i}")
    pager = api.roles.list(per_page=100)
    with pytest.raises(BadRequestError) as error:
        list(pager)
    assert error.value.body["errorCode"] == "invalid_paging"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"take": "0"},
            "Query validation error: 'Value 0 is less than minimum 1' on property take.",
        ),
        (
            {"take": "101"},
            "Query validation error: 'Value 101 is greater than maximum 100' on property take.",
        ),
        (
            {"per_page": "x"},
            "Query validation error: 'Expected type integer but found type string'"
            " on property per_page.",
        ),
        ({"from": "%%%"}, "Query validation error: 'Invalid checkpoint value' on property from."),
    ],
)
def test_invalid_paging_parameters(sandbox: Sandbox, params: dict[str, str], message: str) -> None:
    http = sandbox.sync_client(headers={"authorization": f"Bearer {sandbox.issue_token()}"})
    response = http.get("/api/v2/organizations", params=params)
    assert response.status_code == 400
    assert response.json()["message"] == message
    assert response.json()["errorCode"] == "invalid_query_string"


def test_totals_shapes(sandbox: Sandbox, http: httpx.Client) -> None:
    org = sandbox.store.create_organization("acme")
    sandbox.store.create_role("admin")
    headers = {"authorization": f"Bearer {sandbox.issue_token()}"}
    roles = http.get("/api/v2/roles", params={"include_totals": "true"}, headers=headers).json()
    assert set(roles) == {"start", "limit", "total", "roles"}
    assert isinstance(http.get("/api/v2/roles", headers=headers).json(), list)
    invitations = http.get(
        f"/api/v2/organizations/{org.id}/invitations",
        params={"include_totals": "true"},
        headers=headers,
    ).json()
    assert invitations == {"start": 0, "limit": 0, "invitations": []}  # limit: how many came


def test_offset_sort(sandbox: Sandbox, http: httpx.Client) -> None:
    for name in ("beta", "acme", "gamma"):
        sandbox.store.create_organization(name)
    headers = {"authorization": f"Bearer {sandbox.issue_token()}"}
    listed = http.get("/api/v2/organizations", params={"sort": "name:-1"}, headers=headers)
    assert [o["name"] for o in listed.json()] == ["gamma", "beta", "acme"]
