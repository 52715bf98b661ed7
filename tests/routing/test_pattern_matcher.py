"""The routing patterns' own matcher: the meaning of Python's `re`, in linear steps."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.model.pattern_matcher import MAX_STATES, MAX_VALUE_LENGTH, Match
from reconciler.model.patterns import (
    MAX_PATTERN_LENGTH,
    PYTHON_FLAGS,
    PatternError,
    check_pattern,
    compile_pattern,
)

A34 = "a" * 34

ADVERSARIAL = [
    ("(a|a)*", A34 + "!", False),
    ("(a|a)*", A34, True),
    ("\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*!", A34 + "!", True),
    ("\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*!", A34, False),
    ("(a|aa)*b", A34 * 29, False),
    ("(?:x|xy|y)*z?[xy]*x{3,}", "xy" * 490 + "!", False),
    ("(?:a|a|a|a){0,150}", "a" * 151, False),
    ("\\w*" * 66, "a" * MAX_VALUE_LENGTH, True),
]


@pytest.mark.parametrize(
    ("pattern", "value", "matched"),
    ADVERSARIAL,
    ids=[f"{p[:30]} on {len(v)}" for p, v, _ in ADVERSARIAL],
)
def test_values_that_make_regexes_backtrack_cost_at_most_states_times_length(
    pattern: str, value: str, matched: bool
) -> None:
    matcher = compile_pattern(pattern)
    result = matcher.match(value)
    assert result.matched is matched
    assert 0 < result.steps <= matcher.states * (len(value) + 1)


def test_a_pattern_over_the_state_cap_is_refused_where_the_count_passes_it() -> None:
    with pytest.raises(PatternError) as raised:
        check_pattern("a{1000}b{1000}")
    assert str(raised.value) == (
        f"at character 9: the pattern needs more than {MAX_STATES} states to match (a count "
        "such as {n,m} copies what it repeats); use smaller counts"
    )
    assert compile_pattern("a{1000}b{999}").states == MAX_STATES


def test_a_pattern_over_the_state_cap_by_a_character_is_refused_at_that_character() -> None:
    assert compile_pattern("(?:a|b){499}cde").states == MAX_STATES
    with pytest.raises(PatternError, match=r"^at character 16: the pattern needs more than"):
        check_pattern("(?:a|b){499}cdef")


def test_values_longer_than_the_cap_never_match_and_length_counts_code_points() -> None:
    anything = compile_pattern(".*")
    assert anything.fullmatch("\U0001f600" * MAX_VALUE_LENGTH)
    assert anything.match("\U0001f600" * (MAX_VALUE_LENGTH + 1)) == Match(False, 0)
    assert anything.match("a" * (MAX_VALUE_LENGTH + 1)) == Match(False, 0)


LITERALS = ["a", "b", "1", "_", "-", "!", "é", "\U0001f600", "\\.", "\\|", "\\\\", "\\/", "/"]
CLASS_ITEMS = ["a", "b", "a-c", "0-9", "\\d", "\\W", "\\w", "\\D", "\\-", "\\]", "é", "!-/"]
QUANTIFIERS = ["*", "+", "?", "{2}", "{0,}", "{1,}", "{0,2}", "{1,3}", "{3}"]


@st.composite
def pieces(draw: st.DrawFn, depth: int = 2) -> tuple[str, bool]:
    """A quantified or plain atom and whether it contains a quantifier."""
    kinds = ["literal", "dot", "escape", "class"] + (["group"] if depth > 0 else [])
    kind = draw(st.sampled_from(kinds))
    quantified = False
    if kind == "literal":
        atom = draw(st.sampled_from(LITERALS))
    elif kind == "dot":
        atom = "."
    elif kind == "escape":
        atom = draw(st.sampled_from(["\\d", "\\D", "\\w", "\\W"]))
    elif kind == "class":
        items = draw(st.lists(st.sampled_from(CLASS_ITEMS), min_size=1, max_size=3))
        atom = "[" + draw(st.sampled_from(["", "^"])) + "".join(items) + "]"
    else:
        inner, quantified = draw(alternations(depth - 1))
        atom = draw(st.sampled_from(["(", "(?:"])) + inner + ")"
    if quantified or not draw(st.booleans()):
        return atom, quantified
    lazy = draw(st.sampled_from(["", "?"]))
    return atom + draw(st.sampled_from(QUANTIFIERS)) + lazy, True


@st.composite
def alternations(draw: st.DrawFn, depth: int = 2) -> tuple[str, bool]:
    branches = draw(st.lists(st.lists(pieces(depth), max_size=4), min_size=1, max_size=3))
    text = "|".join("".join(atom for atom, _ in branch) for branch in branches)
    return text, any(quantified for branch in branches for _, quantified in branch)


patterns = (
    alternations().map(lambda found: found[0]).filter(lambda p: 0 < len(p) <= MAX_PATTERN_LENGTH)
)
ALPHABET = "ab1_-!/.|\\é\n\U0001f600"


@settings(max_examples=400, deadline=None)
@given(pattern=patterns, values=st.lists(st.text(ALPHABET, max_size=7), max_size=6))
def test_the_matcher_means_what_python_re_means(pattern: str, values: list[str]) -> None:
    matcher = compile_pattern(pattern)
    expected = re.compile(pattern, PYTHON_FLAGS)
    for value in values:
        result = matcher.match(value)
        assert result.matched is bool(expected.fullmatch(value)), value
        assert result.steps <= matcher.states * (len(value) + 1)


@settings(max_examples=200, deadline=None)
@given(
    pattern=patterns,
    unit=st.text(ALPHABET, min_size=1, max_size=3),
    times=st.integers(1, 120),
    tail=st.text(ALPHABET, max_size=2),
)
def test_repeated_values_stay_within_the_step_bound(
    pattern: str, unit: str, times: int, tail: str
) -> None:
    matcher = compile_pattern(pattern)
    value = unit * times + tail
    assert matcher.match(value).steps <= matcher.states * (len(value) + 1)
