"""The order of an apply: each organization through its phases on its own, the tenant-wide
operations as barriers between phases."""

import asyncio

from reconciler.auth0.lanes import run_in_order
from reconciler.engine.identity import OpKey
from reconciler.engine.plan import Operation, Phase


def op(org: str | None, name: str, phase: Phase, *after: Operation) -> Operation:
    kind = "organization" if org else "role"
    return Operation(
        OpKey(org, kind, name, "create"),
        phase,
        "POST",
        (name,),
        depends_on=tuple(o.key for o in after),
    )


def order(*ops: Operation, slow: frozenset[str] = frozenset()) -> list[str]:
    """The names in the order their calls finish; a `slow` one takes a hundred turns of the loop."""
    finished: list[str] = []

    async def run(operation: Operation) -> None:
        for _ in range(100 if operation.key.name in slow else 1):
            await asyncio.sleep(0)
        finished.append(operation.key.name)

    asyncio.run(run_in_order(ops, run))
    return finished


def test_an_organization_adds_its_members_before_a_slow_one_is_created():
    fast = op("fast", "create fast", Phase.ORGANIZATIONS)
    slow = op("slow", "create slow", Phase.ORGANIZATIONS)
    members = op("fast", "members of fast", Phase.MEMBERS_ADD)
    finished = order(fast, slow, members, slow=frozenset({"create slow"}))
    assert finished.index("members of fast") < finished.index("create slow")


def test_each_organization_keeps_its_phase_order():
    ops = [
        op("acme", "roles of acme", Phase.MEMBER_ROLES),
        op("acme", "members of acme", Phase.MEMBERS_ADD),
        op("acme", "create acme", Phase.ORGANIZATIONS),
    ]
    finished = order(*ops, slow=frozenset({"create acme", "members of acme"}))
    assert finished == ["create acme", "members of acme", "roles of acme"]


def test_organizations_wait_for_the_tenant_roles_they_name():
    role = op(None, "role admin", Phase.ROLES)
    acme = op("acme", "create acme", Phase.ORGANIZATIONS)
    assert order(role, acme, slow=frozenset({"role admin"})) == ["role admin", "create acme"]


def test_the_action_waits_for_every_organization_and_removals_wait_for_it():
    slow_org = op("slow", "members of slow", Phase.MEMBERS_ADD)
    action = op(None, "deploy action", Phase.ACTIONS)
    removal = op("fast", "remove from fast", Phase.MEMBERS_REMOVE)
    finished = order(slow_org, action, removal, slow=frozenset({"members of slow"}))
    assert finished == ["members of slow", "deploy action", "remove from fast"]


def test_a_role_is_deleted_after_every_organization_is_through_its_removals():
    removal = op("acme", "remove from acme", Phase.MEMBERS_REMOVE)
    delete = op(None, "delete role", Phase.ROLE_DELETES)
    finished = order(removal, delete, slow=frozenset({"remove from acme"}))
    assert finished == ["remove from acme", "delete role"]


def test_operations_of_one_phase_wait_for_what_they_depend_on():
    first = op("acme", "first", Phase.ORG_LINKS)
    second = op("beta", "second", Phase.ORG_LINKS, first)
    assert order(second, first, slow=frozenset({"first"})) == ["first", "second"]


def test_without_a_tenant_wide_operation_organizations_run_through():
    ops = [op(org, f"{phase.name} {org}", phase) for org in ("a", "b") for phase in Phase]
    finished = order(*ops, slow=frozenset({"ORGANIZATIONS b"}))
    assert len(finished) == len(ops)
    assert finished.index("ROLE_DELETES a") < finished.index("ORGANIZATIONS b")


def test_an_organization_is_reported_done_while_a_slow_one_still_runs():
    heard: list[str] = []
    finished: list[str] = []

    async def run(operation: Operation) -> None:
        for _ in range(100 if operation.key.org == "slow" else 1):
            await asyncio.sleep(0)
        finished.append(operation.key.name)

    ops = (op("fast", "fast", Phase.ORGANIZATIONS), op("slow", "slow", Phase.ORGANIZATIONS))
    asyncio.run(run_in_order(ops, run, lambda org: heard.append(f"{org} after {finished}")))
    assert heard == ["fast after ['fast']", "slow after ['fast', 'slow']"]
