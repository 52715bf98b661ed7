"""Whole-value matching of checked routing patterns in linear time, without a regex engine.

A pattern of the subset that `reconciler.model.patterns` checks is parsed into a small NFA by
Thompson's construction (a program of character tests, splits and jumps) and a value is
matched by simulating it over the value's code points: the set of states the NFA can be in,
one step per character, never backtracking. Each state is visited at most once per position,
so matching a value of n code points visits at most `states * (n + 1)` states, whatever the
pattern. `MAX_STATES` bounds the NFA and `MAX_VALUE_LENGTH` the values a pattern can match.
The post-login Action carries the same matcher in JavaScript (templates/post_login.js).
"""

from dataclasses import dataclass, field
from typing import Final

MAX_STATES: Final = 2000
"""The most states a pattern's NFA may have; a count such as `{n,m}` copies what it repeats."""
MAX_VALUE_LENGTH: Final = 1000
"""The longest value (in code points) a pattern can match; longer values never match."""

_TEST, _SPLIT, _JUMP, _MATCH = range(4)
_LAST_CODE_POINT = 0x10FFFF

Ranges = tuple[tuple[int, int], ...]
"""Code point ranges, both ends included, sorted and apart."""


def _complement(ranges: Ranges) -> Ranges:
    result: list[tuple[int, int]] = []
    low = 0
    for start, end in ranges:
        if start > low:
            result.append((low, start - 1))
        low = end + 1
    if low <= _LAST_CODE_POINT:
        result.append((low, _LAST_CODE_POINT))
    return tuple(result)


def _union(ranges: list[tuple[int, int]]) -> Ranges:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


_ANY: Ranges = ((0, _LAST_CODE_POINT),)
_DIGITS: Ranges = ((0x30, 0x39),)
_WORD: Ranges = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_CLASS_ESCAPES: dict[str, Ranges] = {
    "d": _DIGITS,
    "D": _complement(_DIGITS),
    "w": _WORD,
    "W": _complement(_WORD),
}

_QUANTIFIERS: dict[str, tuple[int, int | None]] = {"*": (0, None), "+": (1, None), "?": (0, 1)}


class TooManyStates(ValueError):
    """A pattern whose NFA would have more than `MAX_STATES` states."""

    def __init__(self, position: int) -> None:
        super().__init__(
            f"the pattern needs more than {MAX_STATES} states to match (a count such as "
            "{n,m} copies what it repeats); use smaller counts"
        )
        self.position = position
        """Where in the pattern (0-based) the count passed the cap."""


@dataclass(frozen=True)
class _Test:
    """One character whose code point is in `ranges`."""

    ranges: Ranges
    at: int


@dataclass(frozen=True)
class _Sequence:
    items: tuple["_Node", ...]


@dataclass(frozen=True)
class _Alternation:
    branches: tuple["_Node", ...]


@dataclass(frozen=True)
class _Repeat:
    """`node` at least `low` and at most `high` (None: no limit) times; `at` the quantifier."""

    node: "_Node"
    low: int
    high: int | None
    at: int


_Node = _Test | _Sequence | _Alternation | _Repeat


class _Parser:
    """Reads a checked pattern into nodes; groups only group, lazy quantifiers mean the same."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0

    def parse(self) -> "_Node":
        node = self._alternation()
        if self.pos < len(self.text):
            raise ValueError(f'unexpected ")" at {self.pos + 1}')
        return node

    def _alternation(self) -> "_Node":
        branches = [self._sequence()]
        while self.text.startswith("|", self.pos):
            self.pos += 1
            branches.append(self._sequence())
        return branches[0] if len(branches) == 1 else _Alternation(tuple(branches))

    def _sequence(self) -> "_Node":
        items: list[_Node] = []
        while self.pos < len(self.text) and self.text[self.pos] not in "|)":
            items.append(self._quantified(self._atom()))
        return items[0] if len(items) == 1 else _Sequence(tuple(items))

    def _atom(self) -> "_Node":
        at = self.pos
        char = self.text[at]
        if char == "(":
            self.pos += 3 if self.text.startswith("(?:", at) else 1
            inner = self._alternation()
            if not self.text.startswith(")", self.pos):
                raise ValueError(f"a group at {at + 1} is not closed")
            self.pos += 1
            return inner
        if char == "[":
            return self._class()
        if char in "*+?{":
            raise ValueError(f"nothing to repeat at {at + 1}")
        if char == ".":
            self.pos += 1
            return _Test(_ANY, at)
        return _Test(self._single(), at)

    def _single(self) -> Ranges:
        """A literal character or an escape, as the code points it stands for."""
        char = self.text[self.pos]
        if char == "\\":
            if self.pos + 1 >= len(self.text):
                raise ValueError("a pattern cannot end with a backslash")
            char = self.text[self.pos + 1]
            self.pos += 2
            return _CLASS_ESCAPES.get(char, ((ord(char), ord(char)),))
        self.pos += 1
        return ((ord(char), ord(char)),)

    def _class(self) -> "_Node":
        at = self.pos
        self.pos += 1
        negated = self.text.startswith("^", self.pos)
        if negated:
            self.pos += 1
        members: list[tuple[int, int]] = []
        while not self.text.startswith("]", self.pos):
            if self.pos >= len(self.text):
                raise ValueError(f"a class at {at + 1} is not closed")
            low = self._single()
            if self.text.startswith("-", self.pos) and not self.text.startswith("-]", self.pos):
                self.pos += 1
                high = self._single()
                members.append((low[0][0], high[0][1]))
            else:
                members.extend(low)
        self.pos += 1
        ranges = _union(members)
        return _Test(_complement(ranges) if negated else ranges, at)

    def _quantified(self, node: "_Node") -> "_Node":
        at = self.pos
        char = self.text[at] if at < len(self.text) else ""
        if char in _QUANTIFIERS:
            self.pos += 1
            low, high = _QUANTIFIERS[char]
        elif char == "{":
            close = self.text.index("}", at)
            low_text, comma, high_text = self.text[at + 1 : close].partition(",")
            low = int(low_text)
            high = (int(high_text) if high_text else None) if comma else low
            self.pos = close + 1
        else:
            return node
        if self.text.startswith("?", self.pos):
            self.pos += 1
        return _Repeat(node, low, high, at)


class _Compiler:
    """Emits the NFA of a node as a program: state i tests a character and goes on to i + 1,
    or splits to two states, or jumps to one, or (the last) accepts."""

    def __init__(self) -> None:
        self.ops: list[int] = []
        self.targets: list[tuple[int, int]] = []
        self.tests: list[Ranges] = []
        self.at = 0
        """The position an overflow is reported at: the quantifier being expanded, if any."""

    def add(self, op: int, first: int = 0, second: int = 0, ranges: Ranges = ()) -> int:
        if len(self.ops) + 1 >= MAX_STATES:
            raise TooManyStates(self.at)
        self.ops.append(op)
        self.targets.append((first, second))
        self.tests.append(ranges)
        return len(self.ops) - 1

    def patch(self, state: int, first: int, second: int) -> None:
        self.targets[state] = (first, second)

    def emit(self, node: "_Node", repeated: bool = False) -> None:
        if isinstance(node, _Test):
            if not repeated:
                self.at = node.at
            self.add(_TEST, ranges=node.ranges)
        elif isinstance(node, _Sequence):
            for item in node.items:
                self.emit(item, repeated)
        elif isinstance(node, _Alternation):
            self._alternation(node, repeated)
        else:
            self._repeat(node)

    def _alternation(self, node: _Alternation, repeated: bool) -> None:
        exits: list[int] = []
        for branch in node.branches[:-1]:
            split = self.add(_SPLIT)
            self.emit(branch, repeated)
            exits.append(self.add(_JUMP))
            self.patch(split, split + 1, len(self.ops))
        self.emit(node.branches[-1], repeated)
        for jump in exits:
            self.patch(jump, len(self.ops), 0)

    def _repeat(self, node: _Repeat) -> None:
        self.at = node.at
        start = len(self.ops)
        for _ in range(node.low):
            start = len(self.ops)
            self.emit(node.node, repeated=True)
        if node.high is None and node.low > 0:
            self.add(_SPLIT, start, len(self.ops) + 1)
        elif node.high is None:
            split = self.add(_SPLIT)
            self.emit(node.node, repeated=True)
            self.add(_JUMP, split)
            self.patch(split, split + 1, len(self.ops))
        else:
            splits = []
            for _ in range(node.high - node.low):
                splits.append(self.add(_SPLIT))
                self.emit(node.node, repeated=True)
            for split in splits:
                self.patch(split, split + 1, len(self.ops))


@dataclass(frozen=True)
class Match:
    """The result of matching one value: whether it matched and the states visited."""

    matched: bool
    steps: int


@dataclass(frozen=True)
class Matcher:
    """A checked pattern compiled into its NFA, for whole-value matches."""

    pattern: str
    ops: tuple[int, ...] = field(repr=False)
    targets: tuple[tuple[int, int], ...] = field(repr=False)
    tests: tuple[Ranges, ...] = field(repr=False)

    @classmethod
    def compile(cls, pattern: str) -> "Matcher":
        """The NFA of a pattern of the checked subset; `TooManyStates` past `MAX_STATES`."""
        compiler = _Compiler()
        compiler.emit(_Parser(pattern).parse())
        compiler.ops.append(_MATCH)
        compiler.targets.append((0, 0))
        compiler.tests.append(())
        return cls(pattern, tuple(compiler.ops), tuple(compiler.targets), tuple(compiler.tests))

    @property
    def states(self) -> int:
        """The number of states of the NFA, the accepting one included."""
        return len(self.ops)

    def fullmatch(self, value: str) -> bool:
        """Whether the pattern matches the whole value."""
        return self.match(value).matched

    def match(self, value: str) -> Match:
        """Match the whole value, counting the states visited (at most `states * (n + 1)` for
        a value of n code points); values longer than `MAX_VALUE_LENGTH` never match."""
        if len(value) > MAX_VALUE_LENGTH:
            return Match(False, 0)
        seen = [-1] * len(self.ops)
        steps = 0

        def closure(stack: list[int], position: int) -> list[int]:
            nonlocal steps
            reached: list[int] = []
            while stack:
                state = stack.pop()
                if seen[state] == position:
                    continue
                seen[state] = position
                steps += 1
                op = self.ops[state]
                if op == _SPLIT:
                    stack.extend(self.targets[state])
                elif op == _JUMP:
                    stack.append(self.targets[state][0])
                else:
                    reached.append(state)
            return reached

        current = closure([0], 0)
        for position, char in enumerate(value, 1):
            code = ord(char)
            stack = [
                state + 1
                for state in current
                if self.ops[state] == _TEST and _within(self.tests[state], code)
            ]
            current = closure(stack, position)
            if not current:
                return Match(False, steps)
        return Match(self.states - 1 in current, steps)


def _within(ranges: Ranges, code: int) -> bool:
    return any(start <= code <= end for start, end in ranges)
