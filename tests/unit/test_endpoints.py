"""The endpoint table against the sandbox's routes, and how entries build and match paths."""

import pytest

from reconciler.engine.endpoint import Endpoint, Paging
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.kinds import Verb
from reconciler.sandbox.areas.connections import OPTION_SCOPES
from reconciler.sandbox.sandbox import ROUTER


def shape(template: str) -> tuple[str | None, ...]:
    """A path template with its parameter names left out."""
    return tuple(None if p.startswith("{") else p for p in template.strip("/").split("/"))


@pytest.mark.parametrize("endpoint", list(ENDPOINTS), ids=str)
def test_every_entry_is_a_route_of_the_sandbox_with_its_scope(endpoint: Endpoint):
    params = [f"p{n}" for n in range(endpoint.arity)]
    found = ROUTER.match(endpoint.verb.value, list(endpoint.path(*params)))
    assert found is not None, f"no sandbox route for {endpoint}"
    route, _ = found
    assert (route.method, shape(route.template)) == (endpoint.verb.value, endpoint.segments)
    assert endpoint.scope in route.scopes
    assert set(endpoint.also_needs) <= ROUTER.scopes | OPTION_SCOPES


def test_entries_are_named_by_their_attribute_and_unique():
    entries = list(ENDPOINTS)
    assert ENDPOINTS.add_members.name == "add_members"
    assert len({(e.verb, e.segments) for e in entries}) == len(entries)


def test_an_entry_fills_its_path_parameters_in_order():
    assert ENDPOINTS.add_member_roles.path("org_1", "auth0|1") == (
        "organizations",
        "org_1",
        "members",
        "auth0|1",
        "roles",
    )
    assert ENDPOINTS.list_members.call("org_1") == "GET /organizations/org_1/members"


def test_a_logged_path_finds_its_write_entry_literals_first():
    assert ENDPOINTS.write_at(Verb.POST, ["actions", "actions", "act_1", "deploy"]) == (
        ENDPOINTS.deploy_action,
        ("act_1",),
    )
    assert ENDPOINTS.write_at(Verb.DELETE, ["organizations", "org_1", "members"]) == (
        ENDPOINTS.remove_members,
        ("org_1",),
    )
    assert ENDPOINTS.write_at(Verb.GET, ["organizations", "org_1", "members"]) is None
    assert ENDPOINTS.write_at(Verb.POST, ["organizations", "org_1", "something-new"]) is None


def test_reads_say_how_they_are_paged_and_writes_how_they_settle():
    assert ENDPOINTS.list_members.paging is Paging.CHECKPOINT
    assert ENDPOINTS.list_invitations.paging is Paging.OFFSET
    assert all(e.paging is Paging.NONE for e in ENDPOINTS.writes)
    assert ENDPOINTS.create_organization.settle.value == "find organization"
