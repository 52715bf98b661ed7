"""yaml_rs reads a plain file to exactly what PyYAML reads, and leaves every file that YAML 1.1
and 1.2 could read differently (or that PyYAML refuses) to PyYAML."""

import string
from pathlib import Path
from typing import Any

import pytest
import yaml
import yaml_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.offline import write_extending
from bench.tenant import Shape
from reconciler.config import yaml_fast
from reconciler.config.errors import ConfigErrors
from reconciler.config.loader import load_tenant
from reconciler.config.yaml_fast import fast_mapping
from reconciler.config.yaml_source import read_yaml
from reconciler.config.yaml_tree import MarkedBuilder

ROOT = Path(__file__).resolve().parents[2]


def careful(text: str) -> Any:
    """What PyYAML and the marked builder make of `text`: its values, or `"refused"`."""
    try:
        node = yaml.SafeLoader(text).get_single_node()
    except yaml.YAMLError:
        return "refused"
    if not isinstance(node, yaml.MappingNode):
        return "refused"
    builder = MarkedBuilder("file.yaml")
    values = builder.build(node)
    return "refused" if builder.errors else values


def nulls(value: object) -> bool:
    """Whether a null is anywhere in `value`."""
    if isinstance(value, dict):
        return any(map(nulls, value.values()))
    if isinstance(value, list):
        return any(map(nulls, value))
    return value is None


def fast(text: str) -> tuple[dict[str, Any], bool] | None:
    """`fast_mapping` of `text`, as read from a file in UTF-8."""
    return fast_mapping(text, text.encode("utf-8"))


def fast_values(text: str) -> Any:
    """What the fast path reads of `text` (None: it steps aside), checked to say rightly
    whether a value is null."""
    found = fast(text)
    if found is None:
        return None
    values, null = found
    assert null == nulls(values)
    return values


def typed(value: object) -> object:
    """`value` with the type of every part in it, so that `1`, `1.0` and `true` differ."""
    if isinstance(value, dict):
        return {typed(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


YAML_11_ONLY = [
    pytest.param("a: yes\n", id="yes is a boolean in 1.1"),
    pytest.param("a: No\n", id="No is a boolean in 1.1"),
    pytest.param("a: on\n", id="on is a boolean in 1.1"),
    pytest.param("a: OFF\n", id="OFF is a boolean in 1.1"),
    pytest.param("a: 017\n", id="a leading 0 is octal in 1.1"),
    pytest.param("a: 0o17\n", id="0o is octal in 1.2 only"),
    pytest.param("a: 12:30\n", id="base 60 in 1.1"),
    pytest.param("a: 190:20:30.15\n", id="a base 60 float in 1.1"),
    pytest.param("a: 1e3\n", id="an exponent without a dot is a string in 1.1"),
    pytest.param("a: 1.5e3\n", id="an exponent without a sign is a string in 1.1"),
    pytest.param("a: 0b101\n", id="binary in 1.1"),
    pytest.param("a: 1_000\n", id="underscores in 1.1 numbers"),
    pytest.param("a: .Inf\n", id="infinity"),
    pytest.param("a: -.inf\n", id="negative infinity"),
    pytest.param("a: .NaN\n", id="not a number"),
    pytest.param("a: 2024-01-31\n", id="a date"),
    pytest.param("a: 2024-01-31 10:00:00\n", id="a timestamp"),
    pytest.param("a: 3\n", id="an integer"),
    pytest.param("a: 0x1F\n", id="hexadecimal"),
    pytest.param("a: 1.5\n", id="a float"),
    pytest.param("a: =\n", id="the value key of 1.1"),
    pytest.param("a: 1\na: 2\n", id="a duplicate key"),
    pytest.param("a: 1\n'a': 2\n", id="a duplicate key quoted"),
    pytest.param("a: !!str 5\n", id="a tag"),
    pytest.param("a: !custom x\n", id="a custom tag"),
    pytest.param("a: &x {b: 1}\nc: *x\n", id="an anchor and an alias"),
    pytest.param("a: {b: 1}\nc:\n  <<: {d: 2}\n", id="a merge key"),
    pytest.param('a: "\\x41\\/"\n', id="escapes"),
    pytest.param("a: x\u2028y\n", id="a 1.1 line separator"),
    pytest.param("a: x\x85y\n", id="a 1.1 next line"),
    pytest.param("a:\tb\n", id="a tab"),
    pytest.param("a: \x07\n", id="a character PyYAML does not read"),
    pytest.param("%YAML 1.2\n---\na: 1\n", id="a directive"),
    pytest.param("a: 1\n---\nb: 2\n", id="two documents"),
    pytest.param("yes: 1\n", id="a key that is a boolean in 1.1"),
    pytest.param("1: a\n", id="a number as a key"),
    pytest.param("a: |\n", id="an empty block scalar: a line break to yaml_rs"),
    pytest.param("a: [b?c]\n", id="? ends a plain scalar in a flow list in 1.1"),
    pytest.param("a: >-\n  one\n  two\n", id="a block scalar"),
    pytest.param("a: {:x: 1}\n", id="a plain scalar starting with an indicator"),
    pytest.param("a: [b\n  ?c]\n", id="a line starting with an explicit key"),
    pytest.param("a: 'yes'\nb: \"017\"\n", id="quoted, as the values tell nothing of quotes"),
    pytest.param("null: a\n", id="null as a key"),
    pytest.param(f"{'k' * 1100}: v\n", id="a key longer than PyYAML reads"),
]


@pytest.mark.parametrize("text", YAML_11_ONLY)
@pytest.mark.parametrize("first", ["", "é: é\n"], ids=["ascii", "not ascii"])
def test_a_file_yaml_11_could_read_otherwise_is_left_to_pyyaml(text: str, first: str) -> None:
    assert fast(first + text) is None


@pytest.mark.parametrize(
    ("text", "pyyaml", "yaml_12"),
    [
        ("a: yes\n", True, "yes"),
        ("a: 017\n", 15, 17),
        ("a: 0o17\n", "0o17", 15),
        ("a: 12:30\n", 750, "12:30"),
        ("a: 1e3\n", "1e3", 1000.0),
        ("a: 1.5e3\n", "1.5e3", 1500.0),
        ("a: off\n", False, "off"),
    ],
)
def test_each_difference_reads_as_pyyaml_reads_it(
    tmp_path: Path, text: str, pyyaml: object, yaml_12: object
) -> None:
    assert typed(yaml_rs.loads(text)["a"]) == typed(yaml_12)
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    assert typed(read_yaml(path).data["a"]) == typed(pyyaml)


@pytest.mark.parametrize(
    "text",
    [
        "name: acme\nmembers:\n  - {email: a@acme.com, roles: [admin]}\n",
        "a: true\nb: False\nc: null\nd: ~\ne:\nf: []\ng: {}\n",
        "a: 'it''s'\nb: \"x y\"\n",
        "plain: one\n  two\nurl: https://a.example/x#z\n",
        "# a comment\na: b  # another\n",
        "a: [y, n]\nb: ~\nc: Null\n",
        'a: ${values.url}/callback\nb: ["${values.url}"]\n',
    ],
)
def test_a_plain_file_takes_the_fast_path_to_pyyaml_s_values(text: str) -> None:
    fast = fast_values(text)
    assert fast is not None
    assert typed(fast) == typed(careful(text))


def test_a_file_the_fast_path_read_reports_a_bad_field_at_its_line_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = tmp_path / "t"
    (tenant / "organizations").mkdir(parents=True)
    (tenant / "tenant.yaml").write_text("domain: acme.eu.auth0.com\n", encoding="utf-8")
    org = "name: acme\ndisplay_name: Acme\nmembers:\n  - email: a@acme.com\n    colour: red\n"
    (tenant / "organizations" / "acme.yaml").write_text(org, encoding="utf-8")
    assert fast(org) is not None
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigErrors) as raised:
        load_tenant("t")
    assert [str(e).split(": ")[0] for e in raised.value.errors] == ["t/organizations/acme.yaml:5:5"]


def test_without_yaml_rs_every_file_is_read_by_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_fast, "_loads", None)
    assert not yaml_fast.available()
    assert fast("a: b\n") is None
    assert load_tenant(ROOT / "tenants" / "example").organizations


def _yaml_files(tmp_path: Path) -> list[Path]:
    generated = write_extending(tmp_path / "tenants", Shape(orgs=40, members=50, users=1000))
    return sorted(
        [
            *(ROOT / "tenants").rglob("*.yaml"),
            *(ROOT / "tests" / "config" / "corpus").rglob("*.yaml"),
            *generated.parent.rglob("*.yaml"),
        ]
    )


def test_both_paths_give_the_same_values_on_the_examples_corpus_and_bench_files(
    tmp_path: Path,
) -> None:
    files = _yaml_files(tmp_path)
    fast = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        found = fast_values(text)
        if found is not None:
            fast += 1
            assert typed(found) == typed(careful(text)), path
    organizations = [p for p in files if p.parent.name == "organizations"]
    assert fast >= len(organizations) > 40


ANY_WORDS = [
    "a", "name", "yes", "No", "on", "y", "017", "0o17", "12:30", "1e3", "1.5", "3", ".inf",
    "true", "False", "null", "~", "2024-01-31", "'q'", '"d"', "'yes'", "[]", "{}", "x: y",
    "a b", "http://a.example/b", "${values.x}", "-", "- a", "? a", "#c", "a #c", "'", '"',
    ":", "[a", "{a", "a,b", "|", ">", "@", "`", "a\\b", "&a", "*a", "!a", "<<", "%",
]  # fmt: skip
PLAIN_WORDS = [
    "a", "name", "y", "n", "a b", "true", "False", "NULL", "~", "'q'", '"d"', "'it''s'", "[]",
    "{}", "http://a.example/b", "a@b.example", "${values.x}/cb", "x-y", "Org 1", "#c", "a #c",
]  # fmt: skip
"""Words PyYAML and yaml_rs read alike, mostly: the fast path is taken often."""


def _flow(words: st.SearchStrategy[str], depth: int = 0) -> st.SearchStrategy[str]:
    scalar = st.one_of(words, st.text(string.ascii_letters + " -_./", min_size=1, max_size=6))
    if depth >= 2:
        return scalar
    inner = _flow(words, depth + 1)
    return st.one_of(
        scalar,
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(words, inner), max_size=3).map(
            lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
        ),
    )


def _indented(block: str) -> str:
    return "".join(f"  {line}\n" for line in block.splitlines())


def _blocks(
    words: st.SearchStrategy[str], keys: st.SearchStrategy[str], depth: int = 0
) -> st.SearchStrategy[str]:
    """Block mappings of `keys` whose values are words, flow collections, block lists of them
    or mappings nested in turn."""
    value = st.one_of(words, _flow(words)).map(lambda text: f" {text}\n")
    if depth < 2:
        nested = _blocks(words, keys, depth + 1)
        items = st.lists(st.one_of(words, _flow(words), nested), min_size=1, max_size=3)
        value = st.one_of(
            value,
            nested.map(lambda block: "\n" + _indented(block)),
            items.map(lambda listed: "\n" + "".join(_item(item) for item in listed)),
        )
    entries = st.lists(st.tuples(keys, value), min_size=1, max_size=4)
    return entries.map(lambda pairs: "".join(f"{key}:{rest}" for key, rest in pairs))


def _item(text: str) -> str:
    """A block list item (a nested mapping's lines indented under its dash)."""
    first, *rest = text.rstrip("\n").split("\n")
    return f"- {first}\n" + "".join(f"  {line}\n" for line in rest)


def _documents(words: list[str], keys: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return _blocks(st.sampled_from(words), keys)


KEYS = st.one_of(
    st.sampled_from(["name", "y", "x-y", "Org 1", "a@b.example"]),
    st.text(string.ascii_lowercase, min_size=1, max_size=3),
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_documents(ANY_WORDS, st.sampled_from(ANY_WORDS)), _documents(PLAIN_WORDS, KEYS)))
def test_the_fast_path_reads_what_pyyaml_reads_or_steps_aside(text: str) -> None:
    fast = fast_values(text)
    if fast is not None:
        assert typed(fast) == typed(careful(text))
