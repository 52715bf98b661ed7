"""The scopes a plan's writes need, looked up in the endpoint table, and the error that says
which of them a token lacks before anything is written."""

from collections.abc import Iterable

from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.plan import Operation


class MissingScopes(Exception):
    """A token lacks scopes the writes of a plan need; the message names each with the first
    call that needs it, in one line."""

    def __init__(self, missing: dict[str, Operation]) -> None:
        self.missing = dict(missing)
        named = ", ".join(
            f"{scope} (for {op.method} {op.path_text})" for scope, op in missing.items()
        )
        noun = "scope" if len(missing) == 1 else "scopes"
        super().__init__(
            f"the token lacks the {noun} {named}: grant {'it' if len(missing) == 1 else 'them'}"
            " to the management client; nothing was written"
        )


class AnswerLacksScope(Exception):
    """A read succeeded but left out what only a scope grants (Auth0 drops a connection's
    `options` without `read:connections_options`): planning on it would rewrite what it
    cannot see."""

    def __init__(self, call: str, left_out: str, scope: str) -> None:
        self.scope = scope
        super().__init__(
            f"{call}: the answer leaves out {left_out}: the token lacks the scope {scope}; "
            "grant it to the management client"
        )


def needed_scopes(operations: Iterable[Operation]) -> dict[str, Operation]:
    """Each scope the operations need (their endpoint's), with the first operation needing it."""
    needed: dict[str, Operation] = {}
    for op in operations:
        segments = [p if isinstance(p, str) else "{ref}" for p in op.path]
        found = ENDPOINTS.write_at(op.method, segments)
        if found is not None:
            for scope in found[0].scopes_for(op.body):
                needed.setdefault(scope, op)
    return needed


def check_scopes(operations: Iterable[Operation], granted: frozenset[str] | None) -> None:
    """Raise MissingScopes when `granted` (None: unknown, nothing checked) lacks a scope the
    operations need."""
    if granted is None:
        return
    missing = {s: op for s, op in needed_scopes(operations).items() if s not in granted}
    if missing:
        raise MissingScopes(missing)
