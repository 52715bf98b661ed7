"""`drift --incremental` trusts neither the tenant log's answers nor the checkpoint file: a log
answer that is not what the API documents, or a checkpoint that was edited, cannot be parsed or
is dated ahead of the clock, means a full read that says why in one line, and whose drift (so
the exit code) is a full read's."""

import json
from pathlib import Path

import pytest

from reconciler.drift.checkpoint import read_checkpoint
from tests.integration.incremental import (
    FULL,
    LoggedTenant,
    checkpoint_page_number,
    every_log_read,
    log_event,
    logged_tenant,
    rows,
)

DAY = 86_400.0
NESTED = b"[" * 100_000 + b"]" * 100_000
"""A JSON array nested far past Python's recursion limit."""

BAD_PAGES = {
    "an object": (b'{"logs": []}', "the answer is an object, not an array of log events"),
    "html": (b"<html><body>Service Unavailable</body></html>", "the answer is not valid JSON ("),
    "truncated json": (b'[{"log_id": "900200', "the answer is not valid JSON (Unterminated"),
    "invalid json": (b"[1,]", "the answer is not valid JSON ("),
    "no body": (b"", "the answer is not valid JSON ("),
    "null": (b"null", "the answer is null, not an array of log events"),
    "a number in the array": (b"[7]", "event 1 of the page is a number, not an object"),
    "a string in the array": (
        b'[{"log_id": "90020x"}, "x"]',
        "event 2 of the page is a string, not an object",
    ),
    "an event without its id": (b'[{"type": "sapi"}]', "event 1 of the page has no log_id"),
    "nested past the recursion limit": (NESTED, "the answer is JSON nested too deeply"),
}


async def display_name_changed_by_hand(t: LoggedTenant) -> str:
    """Someone else's write to org-0001; the id of the log event it made."""
    async with t.by_hand() as hand:
        answer = await hand.patch(
            f"/organizations/{t.org_id('org-0001')}", json={"display_name": "x"}
        )
    assert answer.is_success
    return str(t.sandbox.store.state.logs[-1]["log_id"])


def edited(t: LoggedTenant, change: str, to: str) -> None:
    """The checkpoint file with the text `change` (which must be there) replaced by `to`."""
    text = t.checkpoint.read_text(encoding="utf-8")
    assert text.count(change) == 1, change
    t.checkpoint.write_text(text.replace(change, to), encoding="utf-8")


# -- the log ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", BAD_PAGES)
async def test_a_log_page_that_is_not_an_array_of_events_means_a_full_read(
    tmp_path: Path, page: str
):
    body, why = BAD_PAGES[page]
    t = logged_tenant(tmp_path)
    await t.check()
    await display_name_changed_by_hand(t)
    with t.log_answering(body):
        checked = await t.check()
    assert not checked.scan.incremental
    assert checked.scan.reason is not None
    assert checked.scan.reason.startswith(f"the tenant log cannot be read (GET /logs: {why}")
    assert "\n" not in checked.scan.sentence()
    # the checkpoint's event and the page that cannot be read, then a full read
    assert t.calls() == sorted([*FULL, "GET /logs/{log}", "GET /logs"])
    assert checked.read_calls == len(FULL) + 2 == 25
    assert checked.drift.found
    assert rows(checked.drift) == rows(await t.full())
    assert checked.scan.unwritten is None
    again = await t.check()
    assert again.scan.incremental and again.scan.writes == 0
    assert rows(again.drift) == rows(checked.drift)


async def test_a_later_log_page_that_cannot_be_read_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    for _ in range(100):
        t.sandbox.store.add_log({"type": "s", "description": "Success Login"})
    await display_name_changed_by_hand(t)
    with t.log_answering(b"[{", checkpoint_page_number(2)):
        checked = await t.check()
    assert checked.scan.reason == (
        "the tenant log cannot be read (GET /logs: the answer is not valid JSON "
        "(Expecting property name enclosed in double quotes: line 1 column 3 (char 2)))"
    )
    assert checked.drift.found
    assert t.calls() == sorted([*FULL, "GET /logs/{log}", "GET /logs", "GET /logs"])


async def test_a_checkpoint_event_answered_with_html_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    await display_name_changed_by_hand(t)
    log_id = read_checkpoint(t.checkpoint).log_id
    with t.log_answering(b"<html></html>", log_event):
        checked = await t.check()
    assert checked.scan.reason == (
        f"the tenant log cannot be read (GET /logs/{log_id}: the answer is not valid JSON "
        "(Expecting value: line 1 column 1 (char 0)))"
    )
    assert checked.drift.found
    assert t.calls() == sorted([*FULL, "GET /logs/{log}"])


async def test_a_checkpoint_event_that_is_not_an_object_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    log_id = read_checkpoint(t.checkpoint).log_id
    with t.log_answering(b"[]", log_event):
        checked = await t.check()
    assert checked.scan.reason == (
        f"the tenant log cannot be read (GET /logs/{log_id}: the answer is an array, "
        "not a log event)"
    )


async def test_a_log_that_answers_nothing_readable_means_a_full_read_and_no_checkpoint(
    tmp_path: Path,
):
    t = logged_tenant(tmp_path)
    await t.check()
    before = t.checkpoint.read_text(encoding="utf-8")
    await display_name_changed_by_hand(t)
    with t.log_answering(b'{"logs": []}', every_log_read):
        checked = await t.check()
    unreadable = (
        "the tenant log cannot be read "
        "(GET /logs: the answer is an object, not an array of log events)"
    )
    assert (checked.scan.reason, checked.scan.unwritten) == (unreadable, unreadable)
    assert checked.drift.found
    assert t.calls() == sorted([*FULL, "GET /logs/{log}", "GET /logs"])
    assert t.checkpoint.read_text(encoding="utf-8") == before


async def test_a_first_check_whose_newest_log_event_cannot_be_read_writes_no_checkpoint(
    tmp_path: Path,
):
    t = logged_tenant(tmp_path)
    with t.log_answering(b"[null]", every_log_read):
        checked = await t.check()
    assert checked.scan.unwritten == (
        "the tenant log cannot be read (GET /logs: event 1 of the page is null, not an object)"
    )
    assert t.calls() == FULL
    assert not t.checkpoint.exists()


# -- the checkpoint -----------------------------------------------------------------------


async def test_a_checkpoint_moved_past_a_write_by_hand_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    start = read_checkpoint(t.checkpoint).log_id
    newest = await display_name_changed_by_hand(t)
    edited(t, f'"id": "{start}"', f'"id": "{newest}"')
    checked = await t.check()
    assert checked.scan.reason == (
        f"{t.checkpoint} is not as it was written (its checksum does not match its content)"
    )
    assert t.calls() == FULL
    assert checked.read_calls == len(FULL) == 23
    assert checked.drift.found
    assert rows(checked.drift) == rows(await t.full())


async def test_a_checkpoint_whose_drift_was_emptied_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    await display_name_changed_by_hand(t)
    assert (await t.check()).drift.found
    edited(t, '"organizations": [\n   "org-0001"\n  ]', '"organizations": []')
    checked = await t.check()
    assert checked.scan.reason == (
        f"{t.checkpoint} is not as it was written (its checksum does not match its content)"
    )
    assert checked.drift.found
    assert t.calls() == FULL


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
@pytest.mark.parametrize("field", ['"full_scan_at": ', '"read_at": '])
async def test_a_checkpoint_time_that_is_not_a_finite_number_means_a_full_read(
    tmp_path: Path, field: str, value: str
):
    t = logged_tenant(tmp_path)
    await t.check()
    edited(t, f"{field}{t.clock.time}", f"{field}{value}")
    t.clock.time += DAY
    checked = await t.check()
    assert checked.scan.reason == f"{t.checkpoint} cannot be read ({value} is not a finite number)"
    assert t.calls() == FULL
    assert read_checkpoint(t.checkpoint).full_scan_at == t.clock.time


async def test_a_checkpoint_nested_past_the_recursion_limit_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    t.checkpoint.write_bytes(b'{"version": 3, "log": ' + NESTED + b"}")
    checked = await t.check()
    assert checked.scan.reason == f"{t.checkpoint} cannot be read (JSON nested too deeply)"
    assert t.calls() == FULL


async def test_a_checkpoint_from_a_clock_that_was_ahead_means_a_full_read_and_is_not_copied(
    tmp_path: Path,
):
    t = logged_tenant(tmp_path)
    today = t.clock.time
    t.clock.time = today + 365 * DAY
    await t.check()
    t.clock.time = today
    checked = await t.check()
    assert checked.scan.reason == "the checkpoint is dated 365 days ahead of this machine's clock"
    assert t.calls() == FULL
    written = read_checkpoint(t.checkpoint)
    assert (written.read_at, written.full_scan_at) == (today, today)
    for _ in range(7):
        t.clock.time += DAY
        assert (await t.check()).scan.incremental
    t.clock.time += DAY
    assert (await t.check()).scan.reason == (
        "the last full read is 8 days old (drift.full_scan_days: 7)"
    )


async def test_a_checkpoint_a_few_minutes_ahead_is_used_and_its_full_read_time_not_moved_on(
    tmp_path: Path,
):
    t = logged_tenant(tmp_path)
    today = t.clock.time
    t.clock.time = today + 240
    await t.check()
    t.clock.time = today
    assert (await t.check()).scan.incremental
    written = read_checkpoint(t.checkpoint)
    assert (written.read_at, written.full_scan_at) == (today, today)
    assert (await t.check()).scan.incremental


async def test_a_checkpoint_just_beyond_the_clock_skew_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    today = t.clock.time
    t.clock.time = today + 301
    await t.check()
    t.clock.time = today
    checked = await t.check()
    assert checked.scan.reason == "the checkpoint is dated 5 minutes ahead of this machine's clock"


async def test_a_checkpoint_of_the_previous_version_means_a_full_read(tmp_path: Path):
    t = logged_tenant(tmp_path)
    await t.check()
    document = json.loads(t.checkpoint.read_text(encoding="utf-8"))
    del document["checksum"]
    document["version"] = 2
    t.checkpoint.write_text(json.dumps(document), encoding="utf-8")
    checked = await t.check()
    assert checked.scan.reason == f"{t.checkpoint} is not a checkpoint of version 3"
    assert t.calls() == FULL
    assert json.loads(t.checkpoint.read_text(encoding="utf-8"))["version"] == 3
