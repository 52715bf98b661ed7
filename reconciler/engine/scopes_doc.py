"""The scopes each command needs, as the Markdown tables SECURITY.md and
docs/scopes.md show, rendered from the endpoint table.

`make scopes` (`python -m reconciler.engine.scopes_doc`) rewrites the tables in those files
(between their markers); `--check` (`make scopes-check`, part of `make test`) only says
whether they are current.
"""

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from reconciler.engine.endpoint import Endpoint, Need
from reconciler.engine.endpoints import ENDPOINTS

BEGIN = "<!-- scopes: generated from reconciler/engine/endpoints.py -->"
END = "<!-- /scopes -->"
CALLS_BEGIN = "<!-- scope-calls: generated from reconciler/engine/endpoints.py -->"
CALLS_END = "<!-- /scope-calls -->"
DOCS = ("SECURITY.md", "docs/scopes.md")

_ROWS = (
    ("`plan`, `drift`, `import` (read only)", (Need.READ,)),
    ("`drift --incremental`, `--from-snapshot` (the reads, plus)", (Need.INCREMENTAL,)),
    ("`apply` (the reads, plus)", (Need.APPLY, Need.PRUNE, Need.PRUNE_CONNECTIONS)),
    ("`repair-applications` (the reads, plus)", (Need.REPAIR,)),
    ("`sso-ticket`, `revoke-sso-ticket`", (Need.SSO_TICKET,)),
)
_NOTES = {
    Need.PRUNE: " (only with `policy.prune_organizations`)",
    Need.PRUNE_CONNECTIONS: " (only with `policy.prune_connections`)",
}
_COMMANDS = {
    Need.READ: "`plan`, `drift`, `import`, `apply`, `repair-applications`",
    Need.INCREMENTAL: "`drift --incremental`, `--from-snapshot`",
    Need.APPLY: "`apply`",
    Need.PRUNE: "`apply` with `policy.prune_organizations`",
    Need.PRUNE_CONNECTIONS: "`apply` with `policy.prune_connections`",
    Need.SSO_TICKET: "`sso-ticket`, `revoke-sso-ticket`",
    Need.REPAIR: "`repair-applications`",
}


def _scopes_of(endpoint: Endpoint) -> tuple[str, ...]:
    return (endpoint.scope, *endpoint.also_needs)


def every_scope() -> tuple[str, ...]:
    """Every scope the endpoint table names, in its order, once: what a management client
    that runs every command needs."""
    return tuple(dict.fromkeys(s for e in ENDPOINTS for s in _scopes_of(e)))


def scopes_table() -> str:
    """The Markdown table: one row per command, its scopes in the endpoint table's order."""
    lines = ["| job | scopes |", "|---|---|"]
    for job, needs in _ROWS:
        scopes: dict[str, str] = {}
        for endpoint in ENDPOINTS:
            if endpoint.need in needs:
                for scope in _scopes_of(endpoint):
                    scopes.setdefault(scope, _NOTES.get(endpoint.need, ""))
        lines.append(f"| {job} | " + ", ".join(f"`{s}`{n}" for s, n in scopes.items()) + " |")
    return "\n".join(lines)


def calls_table() -> str:
    """The Markdown table: one row per scope, the calls that need it and their commands."""
    calls: dict[str, list[tuple[Endpoint, str]]] = {s: [] for s in every_scope()}
    for endpoint in ENDPOINTS:
        calls[endpoint.scope].append((endpoint, ""))
        fields = ", ".join(f"`{f}`" for f in sorted(endpoint.also_needs_with))
        for scope in endpoint.also_needs:
            calls[scope].append((endpoint, f" (with {fields})" if fields else ""))
    lines = ["| scope | calls | needed by |", "|---|---|---|"]
    for scope, endpoints in calls.items():
        commands = dict.fromkeys(_COMMANDS[e.need] for e, _ in endpoints)
        shown = ", ".join(f"`{e}`{note}" for e, note in endpoints)
        lines.append(f"| `{scope}` | {shown} | {'; '.join(commands)} |")
    return "\n".join(lines)


_TABLES: tuple[tuple[str, str, Callable[[], str]], ...] = (
    (BEGIN, END, scopes_table),
    (CALLS_BEGIN, CALLS_END, calls_table),
)


def with_table(text: str, where: str) -> str:
    """`text` with each table between its markers rendered afresh (the commands table must
    be there; the per-scope table only where its markers are)."""
    for begin, end, render in _TABLES:
        start, stop = text.find(begin), text.find(end)
        if start < 0 and begin != BEGIN:
            continue
        if start < 0 or stop < start:
            raise ValueError(f"{where}: no scopes table between {begin!r} and {end!r}")
        text = text[: start + len(begin)] + "\n" + render() + "\n" + text[stop:]
    return text


def main(argv: Sequence[str]) -> int:
    """Rewrite the tables in each document (or, with `--check`, report the stale ones)."""
    check = "--check" in argv
    stale = []
    for name in [a for a in argv if a != "--check"] or DOCS:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        fresh = with_table(text, name)
        if fresh != text:
            stale.append(name)
            if not check:
                path.write_text(fresh, encoding="utf-8")
    for name in stale:
        print(f"{name}: the scopes table is {'stale' if check else 'rewritten'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
