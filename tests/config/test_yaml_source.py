"""Reading one YAML file safely, with the place of every key and value."""

from pathlib import Path

import pytest

from reconciler.config.errors import ConfigErrors
from reconciler.config.yaml_source import read_yaml
from reconciler.config.yaml_tree import MAX_ALIAS_NODES
from reconciler.model.desired import Location


def _write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "file.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _errors(path: Path) -> list[str]:
    with pytest.raises(ConfigErrors) as raised:
        read_yaml(path)
    return [f"{e.location.line}:{e.location.column}: {e.message}" for e in raised.value.errors]


def test_marks_hold_the_key_and_the_value_of_each_entry(tmp_path: Path) -> None:
    document = read_yaml(_write(tmp_path, "# c\nname: acme\nlist:\n  - a\n  - {b: 1}\n"))
    path = str(tmp_path / "file.yaml")
    assert document.data == {"name": "acme", "list": ["a", {"b": 1}]}
    assert document.source.marks[("name",)].key == Location(path, 2, 1)
    assert document.source.marks[("name",)].value == Location(path, 2, 7)
    assert document.source.marks[("list", 1, "b")].value == Location(path, 5, 9)
    assert document.source.marks[("list",)].source == Location(path, 3, 1)
    assert document.source.marks[("name",)].source == Location(path, 2, 7)


def test_value_at_falls_back_to_the_nearest_written_ancestor(tmp_path: Path) -> None:
    document = read_yaml(_write(tmp_path, "outer:\n  inner: 1\n"))
    assert document.source.value_at(("outer", "missing", 3)).line == 2
    assert document.source.key_at(("outer", "inner")).column == 3


def test_duplicate_keys_are_all_reported_at_the_repeated_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "a: 1\nb: {x: 1, x: 2}\na: 3\n")
    assert _errors(path) == [
        '2:11: duplicate key "x" (first at line 2)',
        '3:1: duplicate key "a" (first at line 1)',
    ]


def test_a_byte_order_mark_and_tabs_in_quoted_text_are_accepted(tmp_path: Path) -> None:
    document = read_yaml(_write(tmp_path, '\ufeffname: "a\tb"\n'))
    assert document.data == {"name": "a\tb"}


def test_tab_indentation_is_named_as_such(tmp_path: Path) -> None:
    assert _errors(_write(tmp_path, "a:\n  b: 1\n \tc: 2\n")) == [
        "3:2: tab character in indentation: indent with spaces"
    ]


def test_a_tab_after_a_dash_is_named_as_such(tmp_path: Path) -> None:
    assert _errors(_write(tmp_path, "items:\n  - a\n  -\tb\n")) == [
        "3:4: tab character not allowed here: separate with spaces"
    ]


def test_the_first_bad_utf8_byte_is_located_by_line_and_character(tmp_path: Path) -> None:
    path = _write(tmp_path, b"a: 1\nb: \xc3\xa9t\xc3\xa9 \xff\n")
    assert _errors(path) == ["2:8: not valid UTF-8 (byte 0xff): save the file as UTF-8"]


def test_an_alias_bomb_is_stopped_by_the_budget(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    errors = _errors(_write(tmp_path, "\n".join(lines) + "\n"))
    assert errors == [f"4:4: anchors and aliases expand to more than {MAX_ALIAS_NODES} values"]


def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = _write(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert _errors(path) == ["1:1: values are nested too deeply"]


def test_timestamps_are_read_as_dates(tmp_path: Path) -> None:
    document = read_yaml(_write(tmp_path, "since: 2024-01-31\n"))
    assert str(document.data["since"]) == "2024-01-31"


def test_a_file_of_only_comments_is_empty(tmp_path: Path) -> None:
    assert _errors(_write(tmp_path, "# nothing yet\n---\n")) == ["1:1: file is empty"]


def test_an_unreadable_path_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file.yaml").mkdir()
    assert _errors(tmp_path / "file.yaml") == ["1:1: cannot read the file: Is a directory"]
