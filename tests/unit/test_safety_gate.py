"""The safety gate: every rail, both sides, on tiny plans; deletions approved in the files,
by the flag, or waiting (left out of what is applied)."""

import pytest

from reconciler.core.service import UnsafePlan, gate
from reconciler.engine.identity import OpKey
from reconciler.engine.plan import Action, Operation, Phase, Plan, Row
from reconciler.engine.safety import check_plan, withhold
from reconciler.model import Policy


def deleting(*names: str) -> Plan:
    ops = tuple(
        Operation(OpKey(n, "organization", n, "delete"), Phase.ORG_DELETES, "DELETE", ("x", n))
        for n in names
    )
    rows = tuple(
        Row(n, Action.DELETE, "organization", n, operations=(op.key,))
        for n, op in zip(names, ops, strict=True)
    )
    return Plan(rows, ops)


def changing(count: int) -> Plan:
    rows = tuple(Row("acme", Action.UPDATE, "member", f"m{i}") for i in range(count))
    return Plan(rows, ())


def updating(org: str) -> Plan:
    key = OpKey(org, "organization", org, "update")
    op = Operation(key, Phase.ORGANIZATIONS, "PATCH", ("x", org), {"display_name": "New"})
    return Plan((Row(org, Action.UPDATE, "organization", org, operations=(key,)),), (op,))


def both(*plans: Plan) -> Plan:
    return Plan(
        tuple(r for p in plans for r in p.rows), tuple(o for p in plans for o in p.operations)
    )


PRUNE = Policy(prune_organizations=True)

CASES = [
    # (plan, existing, policy, allow_delete, force, refused messages)
    (deleting("old"), 50, Policy(), True, False, ["needs policy.prune_organizations: true"]),
    (deleting("old"), 50, PRUNE, False, False, []),
    (deleting("old"), 50, PRUNE, True, False, []),
    (
        deleting("internal-staff"),
        50,
        Policy(prune_organizations=True, protected_organizations=["internal-staff"]),
        True,
        True,
        ["protected organizations would be deleted: internal-staff"],
    ),
    (changing(4), 10, Policy(max_change_percent=30), False, False, ["40.0%"]),
    (changing(3), 10, Policy(max_change_percent=30), False, False, []),
    (changing(4), 10, Policy(max_change_percent=30), False, True, []),
    (changing(9), 9, Policy(max_change_percent=30), False, False, []),
]


@pytest.mark.parametrize(("plan", "existing", "policy", "allow_delete", "force", "refused"), CASES)
def test_gate_refuses_exactly_what_the_rails_say(
    plan, existing, policy, allow_delete, force, refused
):
    if not refused:
        gate(plan, existing, policy, allow_delete=allow_delete, force=force)
        return
    with pytest.raises(UnsafePlan) as caught:
        gate(plan, existing, policy, allow_delete=allow_delete, force=force)
    assert len(caught.value.refusals) == len(refused)
    for refusal, expected in zip(caught.value.refusals, refused, strict=True):
        assert expected in str(refusal)


def test_a_deletion_neither_listed_nor_flagged_waits_and_the_rest_goes_through():
    plan = both(updating("acme"), deleting("old", "gone"))
    policy = Policy(prune_organizations=True, approved_deletions=["gone"])
    verdict = gate(plan, 50, policy, allow_delete=False, force=False)
    assert (verdict.approved, verdict.waiting) == (("gone",), ("old",))
    applied = withhold(plan, verdict.waiting)
    assert [(op.method, op.org) for op in applied.operations] == [
        ("PATCH", "acme"),
        ("DELETE", "gone"),
    ]
    assert [(r.org, r.action) for r in applied.rows] == [
        ("acme", Action.UPDATE),
        ("gone", Action.DELETE),
    ]
    assert "policy.approved_deletions" in verdict.waiting_lines[0]
    assert verdict.waiting_lines[0].startswith("deleting organization old waits for approval")


def test_the_flag_approves_every_deletion_for_those_without_ci():
    verdict = gate(deleting("old", "gone"), 50, PRUNE, allow_delete=True, force=False)
    assert (verdict.approved, verdict.waiting) == (("gone", "old"), ())


def test_an_approval_does_not_override_protection_or_the_prune_policy():
    protected = Policy(
        prune_organizations=True, protected_organizations=["old"], approved_deletions=["old"]
    )
    with pytest.raises(UnsafePlan, match="protected organizations would be deleted: old"):
        gate(deleting("old"), 50, protected, allow_delete=False, force=False)
    approved = Policy(approved_deletions=["old"])
    with pytest.raises(UnsafePlan, match=r"needs policy\.prune_organizations"):
        gate(deleting("old"), 50, approved, allow_delete=False, force=False)


def test_what_depends_on_a_waiting_deletion_waits_with_it():
    plan = deleting("old")
    (delete,) = plan.operations
    after = Operation(
        OpKey(None, "role", "legacy", "delete"),
        Phase.ROLE_DELETES,
        "DELETE",
        ("roles", "r1"),
        depends_on=(delete.key,),
    )
    plan = Plan(plan.rows, (*plan.operations, after))
    assert withhold(plan, ("old",)).operations == ()
    assert withhold(plan, ()) is plan


def test_the_change_share_rail_counts_only_what_would_be_applied():
    # 3 of 10 is within 30%; the waiting deletion of a fourth is not applied, so not counted.
    plan = both(changing(3), deleting("old"))
    policy = Policy(prune_organizations=True, max_change_percent=30)
    assert check_plan(plan, 10, policy).refusals == ()
    refused = check_plan(plan, 10, policy, allow_delete=True).refusals
    assert [r.override for r in refused] == ["--force"]
