"""Waiting for an Action's build before deploying it, on a scripted fake session."""

import asyncio
from typing import Any

from reconciler.auth0.builds import BuildWait, await_build, build_status
from reconciler.progress import ProgressEvent
from tests.unit.fake_api import FakeApi, answers, reply


def action(status: str, **more: Any) -> dict[str, Any]:
    return {"id": "act_1", "name": "org-routing", "status": status, **more}


def test_a_build_that_never_ends_gives_up_after_the_bound_naming_the_read():
    api = FakeApi(lambda method, path, body: reply(200, action("building")))
    wait = BuildWait(reads=4, first=1.0, growth=2.0, longest=3.0)
    pending = action("pending")
    problem = asyncio.run(
        await_build(api, "/actions/actions/act_1", "org-routing", pending, wait=wait)
    )
    assert problem == (
        "the Action org-routing was still building after 4 reads of GET /actions/actions/act_1"
    )
    assert len(api.sent) == 4
    assert api.clock.slept == [1.0, 2.0, 3.0, 3.0]


def test_the_wait_shows_its_progress():
    events: list[ProgressEvent] = []
    api = FakeApi(answers(reply(200, action("building")), reply(200, action("built"))))
    problem = asyncio.run(
        await_build(api, "/actions/actions/act_1", "org-routing", action("pending"), events.append)
    )
    assert problem is None
    assert [(e.stage, e.done, e.total) for e in events] == [
        ("building the Action org-routing", 1, 20),
        ("building the Action org-routing", 2, 20),
    ]


def test_a_read_that_fails_is_retried_when_it_may_pass_and_named_when_it_cannot():
    api = FakeApi(answers(reply(503), reply(200, action("built"))))
    assert asyncio.run(await_build(api, "/actions/actions/a", "x", action("pending"))) is None
    missing = FakeApi(answers(reply(404, {"message": "Action not found"})))
    problem = asyncio.run(await_build(missing, "/actions/actions/a", "x", action("pending")))
    assert problem == (
        "the Action x's build could not be read: GET /actions/actions/a: 404 Action not found"
    )


def test_statuses_are_read_leniently():
    assert build_status({"status": "BUILT"}) == "built"
    assert build_status({}) == "built"
    assert build_status(None) == "built"
    assert build_status({"status": "packaged"}) == "packaged"
