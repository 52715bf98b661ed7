"""The part of Auth0's user search syntax (search engine v3, Lucene) that the sandbox answers:
`field:value` and `field:"a phrase"` terms, a field's values grouped (`user_id:("a" OR "b")`),
`AND` (or a space) and `OR` between terms, parentheses. Normalized fields (email and names)
match without regard to case, every other field exactly."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import invalid_query
from ..records import JsonObject

Match = Callable[[JsonObject], bool]

CASELESS = frozenset({"email", "name", "given_name", "family_name", "nickname"})
_TOKEN = re.compile(r'\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|([^\s()"]+))')
_ESCAPE = re.compile(r"\\(.)")


def matcher(query: str) -> Match:
    """Whether a user matches `query`; 400 for what the syntax above does not read."""
    tokens = _tokens(query)
    if not tokens:
        return lambda user: True
    parser = _Parser(tokens)
    match = parser.disjunction()
    if parser.rest():
        raise invalid_query(f"Unexpected '{parser.rest()}'", "q")
    return match


def _tokens(query: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: "(", ")", "quoted" or "word"."""
    tokens: list[tuple[str, str]] = []
    at = 0
    while query[at:].strip():
        found = _TOKEN.match(query, at)
        if found is None:
            raise invalid_query("Unbalanced quotes", "q")
        opening, closing, quoted, word = found.groups()
        if quoted is not None:
            tokens.append(("quoted", _ESCAPE.sub(r"\1", quoted)))
        else:
            tokens.append(("(", "(") if opening else (")", ")") if closing else ("word", word))
        at = found.end()
    return tokens


def _value_of(user: JsonObject, field: str) -> str:
    if field in ("identities.connection", "connection"):
        return str(user["identities"][0]["connection"])
    return str(user.get(field, ""))


def _term(field: str, values: list[str]) -> Match:
    if field in CASELESS:
        wanted = {v.lower() for v in values}
        return lambda user: _value_of(user, field).lower() in wanted
    exact = set(values)
    return lambda user: _value_of(user, field) in exact


class _Parser:
    """Recursive descent: OR binds looser than AND, a space is AND."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0

    def rest(self) -> str:
        """What is left unread, as text."""
        return " ".join(text for _, text in self.tokens[self.at :])

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise invalid_query("Unexpected end of query", "q")
        self.at += 1
        return token

    def _is(self, kind: str, text: str | None = None) -> bool:
        token = self._peek()
        return token is not None and token[0] == kind and (text is None or token[1] == text)

    def disjunction(self) -> Match:
        """Terms joined by OR."""
        alternatives = [self._conjunction()]
        while self._is("word", "OR"):
            self.at += 1
            alternatives.append(self._conjunction())
        return lambda user: any(match(user) for match in alternatives)

    def _conjunction(self) -> Match:
        parts = [self._unit()]
        while self._peek() is not None and not self._is(")") and not self._is("word", "OR"):
            if self._is("word", "AND"):
                self.at += 1
            parts.append(self._unit())
        return lambda user: all(match(user) for match in parts)

    def _unit(self) -> Match:
        kind, text = self._take()
        if kind == "(":
            inner = self.disjunction()
            self._close()
            return inner
        if kind != "word" or ":" not in text:
            raise invalid_query(f"Expected field:value at '{text}'", "q")
        field, _, bare = text.partition(":")
        if bare:
            return _term(field, [bare])
        return _term(field, self._values())

    def _values(self) -> list[str]:
        kind, text = self._take()
        if kind in ("quoted", "word"):
            return [text]
        if kind != "(":
            raise invalid_query("Expected a value", "q")
        values = [self._value()]
        while not self._is(")"):
            if self._is("word", "OR"):
                self.at += 1
            values.append(self._value())
        self._close()
        return values

    def _value(self) -> str:
        kind, text = self._take()
        if kind not in ("quoted", "word"):
            raise invalid_query("Expected a value", "q")
        return text

    def _close(self) -> None:
        if self._take()[0] != ")":
            raise invalid_query("Expected ')'", "q")
