"""The regular expressions a routing rule may use: a subset whose meaning is plain, so the
reconciler and the post-login Action agree on every match.

A pattern always matches the whole value. Neither side runs it with a regex engine: both parse
it into a small NFA and simulate that over the value's code points (`pattern_matcher` here, the
same code in the Action), which takes time linear in the value's length whatever the pattern.
The meaning is that of Python's `re.fullmatch` with `re.ASCII | re.DOTALL` (and of JavaScript's
`^(?:pattern)$` with the flags `su`); within the subset every character reads the same way:

- literal characters, except `\\ ^ $ . | ? * + ( ) [ ] { }`, which need a backslash;
- `.` (any character), `\\d \\D \\w \\W` (ASCII digits and word characters, and their opposites);
- `\\` before one of `\\ ^ $ . | ? * + ( ) [ ] { } /` for that character itself;
- classes `[...]` and `[^...]` of characters, ranges such as `a-z` and the escapes above
  (`\\-` and `\\]` inside a class); `-` is literal first or last; never empty;
- groups `(...)` and `(?:...)`, alternation `|`;
- quantifiers `* + ? {n} {n,} {n,m}`, each optionally lazy (`*?`, the same for a whole-value
  match), after something to repeat, never on a group that already contains a quantifier
  (nested repetition takes backtracking engines exponential time, so it stays out).

Anchors (`^ $`), `\\s`, `\\b`, back-references, look-arounds, named groups and inline flags are
left out: they differ between engines or are not needed for a whole-value match. A pattern
whose NFA would have more than `MAX_STATES` states is refused (counts such as `{n,m}` copy what
they repeat), and values longer than `MAX_VALUE_LENGTH` code points never match (both are in
`pattern_matcher`).
"""

import functools
import re
import warnings
from dataclasses import dataclass

from reconciler.model.pattern_matcher import Matcher, TooManyStates

MAX_PATTERN_LENGTH = 200
MAX_REPEAT = 1000
PYTHON_FLAGS = re.ASCII | re.DOTALL
"""The flags under which Python's `re` reads a checked pattern as the matcher does."""

_SPECIAL = frozenset("\\^$.|?*+()[]{}")
_ESCAPABLE = _SPECIAL | {"/"}
_CLASS_ESCAPES = frozenset("dDwW")
_QUANTIFIERS = frozenset("*+?")
_BOUNDS = re.compile(r"\{(\d{1,4})(,(\d{0,4}))?\}")
_CLASS_DOUBLES = ("--", "&&", "~~", "||")


class PatternError(ValueError):
    """A pattern outside the common subset; the message says what to write instead."""


@dataclass
class _Group:
    """What the parser knows about the group it is inside."""

    start: int = 0
    has_quantifier: bool = False


class _Parser:
    """A single pass over a pattern that rejects everything outside the subset."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0
        self.groups: list[_Group] = [_Group()]
        self.can_repeat = False
        """Whether the previous token is something a quantifier may follow."""
        self.last_group_quantified = False
        """Whether the previous token is a group that contains a quantifier."""

    def fail(self, message: str) -> PatternError:
        return PatternError(f"at character {self.pos + 1}: {message}")

    def parse(self) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self._escape(in_class=False)
                self._atom()
            elif char == "[":
                self._class()
                self._atom()
            elif char == "(":
                self._open_group()
            elif char == ")":
                self._close_group()
            elif char == "|":
                self.pos += 1
                self.can_repeat = False
            elif char in _QUANTIFIERS or char == "{":
                self._quantifier()
            elif char in "^$":
                raise self.fail(
                    f'"{char}" is not supported, a pattern always matches the whole value '
                    f"(write \\{char} for the character itself)"
                )
            elif char in "]}":
                raise self.fail(f'write \\{char} for a literal "{char}"')
            else:
                self.pos += 1
                self._atom()
        if len(self.groups) > 1:
            self.pos = self.groups[-1].start
            raise self.fail('a group is not closed with ")"')

    def _atom(self) -> None:
        self.can_repeat = True
        self.last_group_quantified = False

    def _escape(self, *, in_class: bool) -> str | None:
        """Consume `\\x`; return the literal character, or None for a class escape."""
        if self.pos + 1 >= len(self.text):
            raise self.fail("a pattern cannot end with a backslash")
        char = self.text[self.pos + 1]
        if char in _CLASS_ESCAPES:
            self.pos += 2
            return None
        if char in _ESCAPABLE or (in_class and char == "-"):
            self.pos += 2
            return char
        raise self.fail(
            f"\\{char} is not supported (use \\d, \\D, \\w, \\W, or a backslash before a "
            "special character)"
        )

    def _open_group(self) -> None:
        start = self.pos
        if self.text.startswith("(?", self.pos):
            if not self.text.startswith("(?:", self.pos):
                raise self.fail(
                    "only (...) and (?:...) groups are supported (no look-arounds, named "
                    "groups or flags)"
                )
            self.pos += 3
        else:
            self.pos += 1
        self.groups.append(_Group(start))
        self.can_repeat = False

    def _close_group(self) -> None:
        if len(self.groups) == 1:
            raise self.fail('")" closes no group')
        self.pos += 1
        closed = self.groups.pop()
        if closed.has_quantifier:
            self.groups[-1].has_quantifier = True
        self.can_repeat = True
        self.last_group_quantified = closed.has_quantifier

    def _quantifier(self) -> None:
        char = self.text[self.pos]
        if char == "{":
            bounds = _BOUNDS.match(self.text, self.pos)
            if bounds is None:
                raise self.fail('write \\{ for a literal "{", or a count such as {2} or {2,5}')
            low, comma, high = bounds.group(1), bounds.group(2), bounds.group(3)
            top = int(high) if high else None
            if int(low) > MAX_REPEAT or (top is not None and top > MAX_REPEAT):
                raise self.fail(f"a count is at most {MAX_REPEAT}")
            if comma and top is not None and top < int(low):
                raise self.fail(f"{{{low},{top}}} counts down")
            length = bounds.end() - self.pos
        else:
            length = 1
        if not self.can_repeat:
            raise self.fail(f'"{char}" has nothing to repeat')
        if self.last_group_quantified:
            raise self.fail("a group that repeats something cannot itself be repeated")
        self.pos += length
        if self.text.startswith("?", self.pos):
            self.pos += 1
        self.groups[-1].has_quantifier = True
        self.can_repeat = False
        self.last_group_quantified = False

    def _class(self) -> None:
        start = self.pos
        self.pos += 1
        if self.text.startswith("^", self.pos):
            self.pos += 1
        first = self.pos
        previous: str | None = None
        """The last single character, which may start a range."""
        while True:
            if self.pos >= len(self.text):
                self.pos = start
                raise self.fail('a class is not closed with "]"')
            char = self.text[self.pos]
            if self.text.startswith(_CLASS_DOUBLES, self.pos):
                raise self.fail(f'write "{char}" once in a class, or escape it')
            if char == "]":
                if self.pos == first:
                    raise self.fail('a class cannot be empty (write \\] for a literal "]")')
                self.pos += 1
                return
            if char == "[":
                raise self.fail('write \\[ for a literal "[" in a class')
            if char == "-" and self.pos != first and not self.text.startswith("-]", self.pos):
                dash = self.pos
                self.pos += 1
                high = self._class_char()
                if previous is None or high is None:
                    self.pos = dash
                    raise self.fail('a range needs a single character on each side of "-"')
                if ord(high) < ord(previous):
                    self.pos = dash
                    raise self.fail(f"the range {previous}-{high} counts down")
                previous = None
                if self.text.startswith("-", self.pos) and not self.text.startswith("-]", self.pos):
                    raise self.fail('write \\- for a literal "-" after a range')
                continue
            previous = self._class_char()

    def _class_char(self) -> str | None:
        if self.pos >= len(self.text):
            raise self.fail('a class is not closed with "]"')
        char = self.text[self.pos]
        if char == "\\":
            return self._escape(in_class=True)
        if char in "[]":
            raise self.fail(f'write \\{char} for a literal "{char}" in a class')
        self.pos += 1
        return char


def check_pattern(pattern: str) -> str:
    """`pattern` if it is in the common subset and its NFA fits; else raise `PatternError`."""
    compile_pattern(pattern)
    return pattern


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> Matcher:
    """A checked pattern compiled into its whole-value matcher; `PatternError` when it is
    outside the subset or its NFA would be too large (`pattern_matcher.MAX_STATES`). Compiled
    once per pattern: the file check and the rules use the same matcher."""
    if not pattern:
        raise PatternError("a pattern cannot be empty")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"a pattern is at most {MAX_PATTERN_LENGTH} characters")
    _Parser(pattern).parse()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            re.compile(pattern, PYTHON_FLAGS)
    except (re.error, FutureWarning, DeprecationWarning) as error:
        raise PatternError(str(error)) from None
    try:
        return Matcher.compile(pattern)
    except TooManyStates as error:
        raise PatternError(f"at character {error.position + 1}: {error}") from None
