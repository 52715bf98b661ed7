"""The shared vectors against the Python evaluator (the Node tests run them against the Action)."""

from typing import Any

import pytest

from reconciler.model.pattern_matcher import Matcher
from reconciler.model.patterns import PatternError, check_pattern, compile_pattern
from reconciler.routing import Outcome, evaluate, route, routing_table
from tests.routing.fixtures import login_of, tenant, vectors

CASES = vectors()["cases"]
PATTERNS = vectors()["patterns"]


def test_there_are_at_least_30_cases_with_unique_names() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) >= 30
    assert len(set(names)) == len(names)


def test_the_cases_cover_every_outcome() -> None:
    assert {case["expected"]["outcome"] for case in CASES} == {str(o) for o in Outcome}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_python_decision_matches_the_vector(case: dict[str, Any]) -> None:
    assert route(tenant(), login_of(case)).summary() == case["expected"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_claims_follow_the_decision(case: dict[str, Any]) -> None:
    table = routing_table(tenant())
    expected = case["expected"]
    namespace = vectors()["namespace"]
    claims = evaluate(table, login_of(case)).claims(table)
    if expected["organization"] is None:
        assert claims == {}
    else:
        assert claims == {
            f"{namespace}/organization": expected["organization"],
            f"{namespace}/roles": expected["roles"],
        }


def matches_within_bound(matcher: Matcher, texts: list[str]) -> list[bool]:
    """Whether the matcher matches each text, each within states * (length + 1) steps."""
    results = [matcher.match(text) for text in texts]
    for text, result in zip(texts, results, strict=True):
        assert result.steps <= matcher.states * (len(text) + 1), text
    return [result.matched for result in results]


@pytest.mark.parametrize("spec", PATTERNS, ids=[p["pattern"] for p in PATTERNS])
def test_supported_patterns_match_whole_values_in_linear_steps(spec: dict[str, Any]) -> None:
    matcher = compile_pattern(spec["pattern"])
    assert matches_within_bound(matcher, spec["matches"]) == [True] * len(spec["matches"])
    assert matches_within_bound(matcher, spec["misses"]) == [False] * len(spec["misses"])


@pytest.mark.parametrize("pattern", vectors()["rejected_patterns"])
def test_patterns_outside_the_common_subset_are_rejected(pattern: str) -> None:
    with pytest.raises(PatternError):
        check_pattern(pattern)


def test_overlong_patterns_are_rejected() -> None:
    with pytest.raises(PatternError, match="at most 200 characters"):
        check_pattern("a" * 201)
