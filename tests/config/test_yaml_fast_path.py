"""The fast way of reading a file gives exactly what the careful way gives, or gives up."""

import string

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode

from reconciler.config.yaml_tree import MarkedBuilder, plain_mapping

PLAIN_WORDS = st.sampled_from(
    [
        "a",
        "b",
        "name",
        "1",
        "-3",
        "0x1f",
        "1.5",
        ".inf",
        "true",
        "no",
        "null",
        "~",
        "2024-01-31",
        "2024-13-45",
        "<<",
        "!!int x",
        "!!str 5",
        "!custom x",
        "'q'",
        '"d"',
        "[]",
        "{}",
        "*.acme.com",
    ]
)
TAGS = st.sampled_from(["", "", "", "!!str ", "!!map ", "!!seq ", "!!set ", "!custom "])
"""Tags a collection may be written with: none, mostly."""
KEYS = st.one_of(PLAIN_WORDS, st.text(string.ascii_lowercase, min_size=1, max_size=3))


def _document(depth: int = 0) -> st.SearchStrategy[str]:
    """YAML text in flow style from words that resolve to every kind of scalar and tag."""
    scalar = st.one_of(PLAIN_WORDS, st.text(string.ascii_letters + " -_.", min_size=1, max_size=6))
    if depth >= 2:
        return scalar
    inner = _document(depth + 1)
    return st.one_of(
        scalar,
        st.tuples(TAGS, st.lists(inner, max_size=3)).map(
            lambda tagged: tagged[0] + "[" + ", ".join(tagged[1]) + "]"
        ),
        st.tuples(TAGS, st.lists(st.tuples(KEYS, inner), max_size=3)).map(
            lambda tagged: tagged[0] + "{" + ", ".join(f"{k}: {v}" for k, v in tagged[1]) + "}"
        ),
    )


def _root(text: str) -> MappingNode | None:
    try:
        node = yaml.SafeLoader(text).get_single_node()
    except yaml.YAMLError:
        return None
    return node if isinstance(node, MappingNode) else None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(KEYS, _document()), min_size=1, max_size=4))
def test_the_fast_path_builds_what_the_marked_builder_builds_or_steps_aside(
    entries: list[tuple[str, str]],
) -> None:
    root = _root("".join(f"{key}: {value}\n" for key, value in entries))
    if root is None:
        return
    fast = plain_mapping(root)
    builder = MarkedBuilder("file.yaml")
    careful = builder.build(root)
    if builder.errors:
        assert fast is None
    elif fast is not None:
        assert _typed(fast) == _typed(careful)


def test_duplicate_keys_a_merge_key_and_a_custom_tag_are_left_to_the_marked_builder() -> None:
    texts = ("a: 1\na: 2\n", "<<: {a: 1}\n", "a: !custom x\n", "a: !!int x\n", "a: !!str {b: 1}\n")
    for text in texts:
        root = _root(text)
        assert root is not None
        assert plain_mapping(root) is None, text


def test_plain_values_of_every_kind_are_read_by_the_fast_path() -> None:
    root = _root("s: x\nn: 3\nf: 1.5\nb: true\nz: null\nd: 2024-01-31\nl: [a, {k: v}]\n")
    assert root is not None
    fast = plain_mapping(root)
    assert fast is not None
    assert _typed(fast) == _typed(MarkedBuilder("file.yaml").build(root))


def _typed(value: object) -> object:
    """`value` with the type of every part in it, so that `1`, `1.0` and `true` differ."""
    if isinstance(value, dict):
        return {_typed(k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)
