"""The safety gate: every rail, both sides, on tiny plans."""

import pytest

from reconciler.core.service import UnsafePlan, gate
from reconciler.engine.identity import OpKey
from reconciler.engine.plan import Action, Operation, Phase, Plan, Row
from reconciler.model import Policy


def deleting(*names: str) -> Plan:
    ops = tuple(
        Operation(OpKey(n, "organization", n, "delete"), Phase.ORG_DELETES, "DELETE", ("x", n))
        for n in names
    )
    rows = tuple(Row(n, Action.DELETE, "organization", n) for n in names)
    return Plan(rows, ops)


def changing(count: int) -> Plan:
    rows = tuple(Row("acme", Action.UPDATE, "member", f"m{i}") for i in range(count))
    return Plan(rows, ())


CASES = [
    # (plan, existing, policy, allow_delete, force, refused messages)
    (deleting("old"), 50, Policy(), True, False, ["needs policy.prune_organizations: true"]),
    (deleting("old"), 50, Policy(prune_organizations=True), False, False, ["--allow-delete"]),
    (deleting("old"), 50, Policy(prune_organizations=True), True, False, []),
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
