"""The executor on a scripted fake: outcomes, settling unknown outcomes, dependencies, refs."""

import asyncio
from typing import Any

import httpx

from reconciler.auth0.executor import execute
from reconciler.auth0.report import Outcome
from reconciler.engine.identity import ObjectKey, OpKey, Ref, SecretRef
from reconciler.engine.plan import Operation, Phase, Settle
from tests.unit.fake_api import FakeApi, answers, reply

ACME = ObjectKey.organization("acme")
CREATE = Operation(
    OpKey("acme", "organization", "acme", "create"),
    Phase.ORGANIZATIONS,
    "POST",
    ("organizations",),
    {"name": "acme"},
    creates=ACME,
    settle=Settle.FIND_ORGANIZATION,
)
ADD = Operation(
    OpKey("acme", "members", "1", "add"),
    Phase.MEMBERS_ADD,
    "POST",
    ("organizations", Ref(ACME), "members"),
    {"members": ["auth0|1"]},
    depends_on=(CREATE.key,),
)
PATCH = Operation(
    OpKey("beta", "organization", "beta", "update"),
    Phase.ORGANIZATIONS,
    "PATCH",
    ("organizations", "org_beta"),
    {"display_name": "Beta"},
)
DELETE = Operation(
    OpKey("gone", "organization", "gone", "delete"),
    Phase.ORG_DELETES,
    "DELETE",
    ("organizations", "org_gone"),
)


def run(api: FakeApi, *ops: Operation):
    return asyncio.run(execute(api, ops))


def outcomes(report):
    return [(r.operation.key.verb, r.outcome) for r in report.results]


def test_created_id_fills_the_reference_of_a_later_call():
    api = FakeApi(answers(reply(201, {"id": "org_1", "name": "acme"}), reply(204)))
    report = run(api, CREATE, ADD)
    assert report.ok
    assert api.writes == [("POST", "/organizations"), ("POST", "/organizations/org_1/members")]


def test_a_failed_create_skips_what_waits_for_it_and_sends_nothing_more():
    api = FakeApi(answers(reply(400, {"message": "bad name"})))
    report = run(api, CREATE, ADD)
    assert outcomes(report) == [("create", Outcome.FAILED), ("add", Outcome.SKIPPED)]
    assert report.results[0].detail == "400 bad name"
    assert api.writes == [("POST", "/organizations")]


def test_conflict_on_create_is_settled_by_reading_and_adopts_without_writing():
    api = FakeApi(
        answers(
            reply(409, {"message": "exists"}),
            reply(200, {"id": "org_9", "name": "acme", "display_name": "Theirs"}),
            reply(204),
        )
    )
    report = run(api, CREATE, ADD)
    assert outcomes(report) == [("create", Outcome.ALREADY), ("add", Outcome.DONE)]
    assert report.results[0].detail == "adopted the existing organization org_9"
    assert api.sent[1][:2] == ("GET", "/organizations/name/acme")
    assert api.writes == [("POST", "/organizations"), ("POST", "/organizations/org_9/members")]


def test_lost_response_to_a_create_is_settled_by_reading_not_by_sending_twice():
    api = FakeApi(
        answers(httpx.ReadError("lost"), reply(200, {"id": "org_1", "name": "acme"}), reply(204))
    )
    report = run(api, CREATE, ADD)
    assert outcomes(report) == [("create", Outcome.DONE), ("add", Outcome.DONE)]
    assert api.writes.count(("POST", "/organizations")) == 1


def test_create_not_found_after_a_5xx_is_sent_again():
    api = FakeApi(answers(reply(503), reply(404), reply(201, {"id": "org_1", "name": "acme"})))
    report = run(api, CREATE)
    assert report.ok
    assert api.writes == [("POST", "/organizations"), ("POST", "/organizations")]
    assert len(api.clock.slept) == 1


def test_idempotent_write_is_repeated_after_a_5xx():
    api = FakeApi(answers(reply(502), reply(200, {})))
    report = run(api, PATCH)
    assert outcomes(report) == [("update", Outcome.DONE)]
    assert api.writes == [("PATCH", "/organizations/org_beta")] * 2


def test_429_is_sent_again_and_does_not_count_as_an_attempt():
    # The wait for the bucket is the transport's: it holds the group's next request.
    api = FakeApi(answers(*([reply(429)] * 8), reply(200, {})))
    report = run(api, PATCH)
    assert report.ok
    assert api.writes == [("PATCH", "/organizations/org_beta")] * 9
    assert api.clock.slept == []


def test_404_on_delete_means_already_gone():
    report = run(FakeApi(answers(reply(404, {"message": "Not found"}))), DELETE)
    assert [(r.outcome, r.detail) for r in report.results] == [(Outcome.ALREADY, "already gone")]


def test_a_call_that_keeps_failing_gives_up_after_the_policy_s_attempts():
    api = FakeApi(lambda method, path, body: reply(500, {"message": "boom"}))
    report = run(api, PATCH)
    assert report.results[0].outcome is Outcome.FAILED
    assert report.results[0].detail == "gave up after 6 attempts; last: 500 boom"
    assert len(api.writes) == 6


def test_back_off_grows_with_jitter_within_bounds():
    api = FakeApi(lambda method, path, body: reply(500))
    run(api, PATCH)
    assert len(api.writes) == 6
    assert len(api.clock.slept) == 5  # one pause between failed attempts, none after the last
    for attempt, pause in enumerate(api.clock.slept):
        assert 0.1 * 2**attempt <= pause <= 0.15 * 2**attempt


BATCH = Operation(
    OpKey("beta", "members", "1", "add"),
    Phase.MEMBERS_ADD,
    "POST",
    ("organizations", "org_beta", "members"),
    {"members": ["auth0|1", "auth0|gone", "auth0|3", "auth0|4", "auth0|5"]},
    batch="members",
)


def test_a_rejected_batch_is_split_so_valid_members_still_get_in():
    def script(method, path, body):
        if "auth0|gone" in body["members"]:
            return reply(400, {"message": "One or more users do not exist."})
        return reply(204)

    api = FakeApi(script)
    report = run(api, BATCH)
    [result] = report.results
    assert result.outcome is Outcome.FAILED
    assert result.detail == (
        "4 of 5 sent; rejected: auth0|gone (400 One or more users do not exist.)"
    )
    added = [
        m
        for _, _, body in api.sent
        if len(body["members"]) and "auth0|gone" not in body["members"]
        for m in body["members"]
    ]
    assert sorted(added) == ["auth0|1", "auth0|3", "auth0|4", "auth0|5"]


INVITE = Operation(
    OpKey("beta", "invitation", "new@beta.io", "send"),
    Phase.INVITATIONS,
    "POST",
    ("organizations", "org_beta", "invitations"),
    {"invitee": {"email": "new@beta.io"}, "inviter": {"name": "Team"}, "client_id": "app"},
    settle=Settle.FIND_INVITATION,
)


def test_an_invitation_already_pending_is_not_sent_again():
    pending = [{"id": "uinv_1", "invitee": {"email": "New@Beta.io"}}]
    api = FakeApi(answers(reply(200, pending)))
    report = run(api, INVITE)
    assert [(r.outcome, r.detail) for r in report.results] == [(Outcome.ALREADY, "already pending")]
    assert api.writes == []


def test_an_invitation_not_pending_is_sent_after_one_look():
    api = FakeApi(answers(reply(200, []), reply(201, {"id": "uinv_2"})))
    report = run(api, INVITE)
    assert report.ok
    assert [m for m, _, _ in api.sent] == ["GET", "POST"]


ACTION = ObjectKey.action("org-routing")
CREATE_ACTION = Operation(
    OpKey(None, "action", "org-routing", "create"),
    Phase.ACTIONS,
    "POST",
    ("actions", "actions"),
    {"name": "org-routing", "code": "ours", "secrets": [{"name": "S", "value": SecretRef("S")}]},
    creates=ACTION,
    settle=Settle.FIND_ACTION,
)
DEPLOY_ACTION = Operation(
    OpKey(None, "action", "org-routing", "deploy"),
    Phase.ACTIONS,
    "POST",
    ("actions", "actions", Ref(ACTION), "deploy"),
    depends_on=(CREATE_ACTION.key,),
)


def test_a_secret_is_read_from_the_environment_only_when_sent():
    api = FakeApi(answers(reply(201, {"id": "act_1"}), reply(202, {"id": "ver_1"})))
    report = asyncio.run(execute(api, (CREATE_ACTION, DEPLOY_ACTION), environ={"S": "value"}))
    assert report.ok
    assert api.sent[0][2]["secrets"] == [{"name": "S", "value": "value"}]
    assert api.writes[1] == ("POST", "/actions/actions/act_1/deploy")
    assert CREATE_ACTION.body["secrets"][0]["value"] == SecretRef("S")


def test_a_missing_secret_fails_its_call_naming_the_variable_and_sends_nothing():
    api = FakeApi(answers())
    report = asyncio.run(execute(api, (CREATE_ACTION, DEPLOY_ACTION), environ={"S": ""}))
    assert outcomes(report) == [("create", Outcome.FAILED), ("deploy", Outcome.SKIPPED)]
    assert report.results[0].detail == "the environment variable S (a secret's value) is not set"
    assert api.sent == []


def test_a_lost_action_create_is_settled_by_finding_the_action_with_our_code():
    found = {"actions": [{"id": "act_1", "name": "org-routing", "code": "ours"}], "total": 1}
    api = FakeApi(answers(httpx.ReadError("lost"), reply(200, found), reply(202, {})))
    report = asyncio.run(execute(api, (CREATE_ACTION, DEPLOY_ACTION), environ={"S": "v"}))
    assert outcomes(report) == [("create", Outcome.DONE), ("deploy", Outcome.DONE)]
    assert api.sent[1][:2] == ("GET", "/actions/actions?actionName=org-routing&per_page=100")
    assert api.writes == [("POST", "/actions/actions"), ("POST", "/actions/actions/act_1/deploy")]


def test_an_action_of_the_same_name_with_other_code_is_never_adopted_or_deployed():
    theirs = {"actions": [{"id": "act_9", "name": "org-routing", "code": "theirs"}]}
    api = FakeApi(answers(reply(409, {"message": "exists"}), reply(200, theirs)))
    report = asyncio.run(execute(api, (CREATE_ACTION, DEPLOY_ACTION), environ={"S": "v"}))
    assert outcomes(report) == [("create", Outcome.FAILED), ("deploy", Outcome.SKIPPED)]
    assert api.writes == [("POST", "/actions/actions")]


def test_an_answer_showing_what_was_sent_settles_the_call():
    api = FakeApi(answers(reply(201, {"id": "org_1", "name": "acme", "metadata": {}}), reply(204)))
    report = run(api, CREATE, ADD)
    assert [r.settled for r in report.results] == [True, True]
    assert report.created == {ACME: "org_1"}


def test_an_answer_with_another_value_than_was_sent_does_not_settle_the_call():
    api = FakeApi(answers(reply(200, {"id": "org_beta", "display_name": "Other"})))
    report = run(api, PATCH)
    assert report.ok and not report.results[0].settled


def test_a_create_found_after_a_conflict_does_not_settle_the_call():
    api = FakeApi(
        answers(reply(409, {"message": "exists"}), reply(200, {"id": "org_1", "name": "acme"}))
    )
    report = run(api, CREATE)
    assert outcomes(report) == [("create", Outcome.ALREADY)]
    assert not report.results[0].settled


def test_deleting_what_is_already_gone_settles_the_call():
    api = FakeApi(answers(reply(404, {"message": "gone"})))
    report = run(api, DELETE)
    assert outcomes(report) == [("delete", Outcome.ALREADY)] and report.results[0].settled


BUILD_CREATE = Operation(
    OpKey(None, "action", "org-routing", "create"),
    Phase.ACTIONS,
    "POST",
    ("actions", "actions"),
    {"name": "org-routing", "code": "ours"},
    creates=ACTION,
    settle=Settle.FIND_ACTION,
)
BUILD_UPDATE = Operation(
    OpKey(None, "action", "org-routing", "update"),
    Phase.ACTIONS,
    "PATCH",
    ("actions", "actions", "act_1"),
    {"code": "ours"},
)
BUILD_DEPLOY = Operation(
    OpKey(None, "action", "org-routing", "deploy"),
    Phase.ACTIONS,
    "POST",
    ("actions", "actions", Ref(ACTION), "deploy"),
    depends_on=(BUILD_CREATE.key,),
)


def action_status(status: str, **more: Any) -> dict[str, Any]:
    return {"id": "act_1", "name": "org-routing", "status": status, **more}


def sent(api: FakeApi) -> list[tuple[str, str]]:
    return [(method, path) for method, path, _ in api.sent]


def test_a_pending_action_is_read_until_built_and_only_then_deployed():
    api = FakeApi(
        answers(
            reply(201, action_status("pending")),
            reply(200, action_status("building")),
            reply(200, action_status("built")),
            reply(200, {"id": "ver_1"}),
        )
    )
    report = asyncio.run(execute(api, (BUILD_CREATE, BUILD_DEPLOY)))
    assert report.ok
    assert sent(api) == [
        ("POST", "/actions/actions"),
        ("GET", "/actions/actions/act_1"),
        ("GET", "/actions/actions/act_1"),
        ("POST", "/actions/actions/act_1/deploy"),
    ]
    assert api.clock.slept == [0.5, 0.75]


def test_an_action_the_write_answers_built_is_deployed_without_a_read():
    api = FakeApi(answers(reply(201, action_status("built")), reply(200, {"id": "ver_1"})))
    report = asyncio.run(execute(api, (BUILD_CREATE, BUILD_DEPLOY)))
    assert report.ok
    assert [m for m, _ in sent(api)] == ["POST", "POST"]


def test_an_update_is_waited_for_on_the_action_s_own_path():
    api = FakeApi(answers(reply(200, action_status("pending")), reply(200, action_status("built"))))
    report = asyncio.run(execute(api, (BUILD_UPDATE,)))
    assert report.ok
    assert sent(api) == [("PATCH", "/actions/actions/act_1"), ("GET", "/actions/actions/act_1")]


def test_a_failed_build_fails_the_write_with_auth0_s_message_and_nothing_is_deployed():
    errors = [{"id": "build_failed", "msg": "Cannot find module 'lefpad'"}]
    api = FakeApi(
        answers(
            reply(201, action_status("pending")), reply(200, action_status("failed", errors=errors))
        )
    )
    report = asyncio.run(execute(api, (BUILD_CREATE, BUILD_DEPLOY)))
    assert [(r.operation.key.verb, r.outcome) for r in report.results] == [
        ("create", Outcome.FAILED),
        ("deploy", Outcome.SKIPPED),
    ]
    assert report.results[0].line() == (
        "POST /actions/actions: failed: the Action org-routing did not build: "
        "Cannot find module 'lefpad'"
    )
    assert [m for m, _ in sent(api)] == ["POST", "GET"]
