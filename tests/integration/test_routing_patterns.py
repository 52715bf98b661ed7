"""A member whose name makes backtracking regexes run for hours plans against the sandbox,
each pattern costing at most states * (length + 1) steps."""

import json

import pytest

from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model import Organization, Tenant
from reconciler.model.desired import Desired
from reconciler.model.pattern_matcher import Match, Matcher
from reconciler.sandbox import Sandbox, World
from tests.integration.tenants import TENANT, WORLD

NAME = "a" * 34 + "!"
OVERLAPPING = "(a|a)*"
CHAINED = "\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*!"


async def test_a_member_named_to_make_regexes_backtrack_plans_within_the_step_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs: list[tuple[Matcher, str, Match]] = []
    match = Matcher.match

    def counted(matcher: Matcher, value: str) -> Match:
        result = match(matcher, value)
        runs.append((matcher, value, result))
        return result

    monkeypatch.setattr(Matcher, "match", counted)
    user = {"email": "mallory@gen.example", "connection": "Username-Password-Authentication"}
    sandbox = Sandbox(World.model_validate({**WORLD, "users": [{**user, "name": NAME}]}))
    (user_id,) = sandbox.store.state.users
    org = sandbox.store.create_organization("acme", "Acme")
    sandbox.store.add_members(org.id, [user_id])
    rules = [{"path": "name", "matches": OVERLAPPING}, {"path": "name", "matches": CHAINED}]
    acme = Organization.model_validate(
        {"name": "acme", "display_name": "Acme", "routing": {"attributes": rules}, "members": []}
    )
    desired = Desired("generated", Tenant.model_validate(TENANT), {}, {"acme": acme})
    async with connect(desired, sandbox=sandbox) as session:
        sandbox.reset_calls()
        planned = await Reconciler(session, desired).plan()

    kept = [(r.name, r.note) for r in planned.plan.rows if r.kind == "member"]
    assert kept == [
        ("mallory@gen.example", "admitted: attribute name matches " + json.dumps(CHAINED))
    ]
    assert [(m.pattern, value, r.matched) for m, value, r in runs] == [
        (OVERLAPPING, NAME, False),
        (CHAINED, NAME, True),
    ]
    for matcher, value, result in runs:
        assert 0 < result.steps <= matcher.states * (len(value) + 1)
    assert sorted((c.method, c.path) for c in sandbox.api_calls()) == [
        ("GET", "/api/v2/connections"),
        ("GET", "/api/v2/organizations"),
        ("GET", f"/api/v2/organizations/{org.id}/enabled_connections"),
        ("GET", f"/api/v2/organizations/{org.id}/members"),
    ]
