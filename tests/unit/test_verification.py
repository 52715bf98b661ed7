"""Which organizations the verification after an apply reads again (tiny reports)."""

from reconciler.auth0.report import ApplyReport, CallResult, Outcome
from reconciler.core.verification import member_rereads
from reconciler.engine.identity import OpKey
from reconciler.engine.plan import Operation, Phase


def _result(org: str, kind: str, outcome: Outcome = Outcome.DONE, settled: bool = True):
    op = Operation(OpKey(org, kind, org, "add"), Phase.ORGANIZATIONS, "POST", ("x",))
    return CallResult(op, outcome, settled=settled)


def test_only_organizations_whose_members_changed_are_read_again():
    report = ApplyReport(
        [
            _result("acme", "organization"),
            _result("beta", "members"),
            _result("beta", "member roles"),
        ]
    )
    assert member_rereads(report) == frozenset({"beta"})


def test_writes_settled_by_their_answers_need_no_read():
    assert member_rereads(ApplyReport([_result("acme", "organization")])) == frozenset()


def test_a_write_its_answer_does_not_settle_means_planning_again():
    report = ApplyReport([_result("acme", "organization", settled=False)])
    assert member_rereads(report) is None


def test_a_failed_apply_is_planned_again():
    report = ApplyReport([_result("acme", "members", Outcome.FAILED, settled=False)])
    assert member_rereads(report) is None
