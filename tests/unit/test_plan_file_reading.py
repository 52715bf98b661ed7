"""Only a regular file of bounded size is read as a plan, and a malformed one, however it is
malformed, is one PlanFileError naming the file."""

import json
import os
import threading
from pathlib import Path

import pytest

from reconciler.engine import planfile
from reconciler.engine.planfile import PlanFileError, _checksum, read_plan_file
from tests.unit.test_planfile import saved_role_plan


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    path, _, _ = saved_role_plan(tmp_path, "admin")
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    text = path.read_bytes()

    def writer() -> None:
        try:
            with open(fifo, "wb") as out:
                out.write(text)
        except BrokenPipeError:
            pass

    feeding = threading.Thread(target=writer, daemon=True)
    feeding.start()
    with pytest.raises(PlanFileError) as refused:
        read_plan_file(fifo)
    assert str(refused.value) == (
        f"{fifo}: not a regular file (a FIFO, device or directory): refused"
    )
    feeding.join(5)


def test_a_plan_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    path, _, _ = saved_role_plan(tmp_path, "admin")
    size = path.stat().st_size
    monkeypatch.setattr(planfile, "MAX_PLAN_BYTES", size - 1)
    with pytest.raises(PlanFileError) as refused:
        read_plan_file(path)
    assert str(refused.value) == (
        f"{path}: more than the {size - 1:,} bytes a plan file may have: refused"
    )
    monkeypatch.setattr(planfile, "MAX_PLAN_BYTES", size)
    assert read_plan_file(path).tenant == "test"


def sealed(path: Path, document: dict) -> None:
    content = {k: v for k, v in document.items() if k not in ("format", "checksum")}
    document["checksum"] = _checksum(content)
    path.write_text(json.dumps(document))


def test_json_nested_past_the_recursion_limit_is_a_malformed_plan(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(PlanFileError) as refused:
        read_plan_file(path)
    assert str(refused.value) == f"{path}: malformed plan file: nested too deeply"


def test_a_sealed_body_nested_deep_enough_to_exhaust_decoding_is_a_malformed_plan(tmp_path):
    path, _, _ = saved_role_plan(tmp_path, "admin")
    document = json.loads(path.read_text())
    deep: object = "x"
    for _ in range(900):
        deep = {"a": deep}
    document["operations"][0]["body"] = deep
    sealed(path, document)
    with pytest.raises(PlanFileError) as refused:
        read_plan_file(path)
    assert str(refused.value) == f"{path}: malformed plan file: nested too deeply"


def test_a_sealed_value_of_the_wrong_kind_is_a_malformed_plan(tmp_path):
    path, _, _ = saved_role_plan(tmp_path, "admin")
    document = json.loads(path.read_text())
    document["operations"][0]["body"] = {"$literal": ["not", "an", "object"]}
    sealed(path, document)
    with pytest.raises(PlanFileError, match=r"malformed plan file: 'list' object has no attr"):
        read_plan_file(path)


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("key", "kind"), "x", "'x' is not a valid Kind"),
        (("method",), "TRACE", "'TRACE' is not a valid Verb"),
    ],
)
def test_a_sealed_kind_or_method_outside_the_vocabulary_is_a_malformed_plan(
    tmp_path, where, value, message
):
    path, _, _ = saved_role_plan(tmp_path, "admin")
    document = json.loads(path.read_text())
    holder = document["operations"][0]
    for step in where[:-1]:
        holder = holder[step]
    holder[where[-1]] = value
    sealed(path, document)
    with pytest.raises(PlanFileError) as refused:
        read_plan_file(path)
    assert str(refused.value) == f"{path}: malformed plan file: {message}"


def test_a_plan_file_name_with_line_breaks_is_escaped_in_the_message(tmp_path):
    path = tmp_path / "plan\nerror: forged.json"
    path.write_text("{}")
    with pytest.raises(PlanFileError) as refused:
        read_plan_file(path)
    assert "\n" not in str(refused.value)
    assert str(refused.value).startswith(f"{tmp_path}/plan\\u000aerror: forged.json: not a plan")
