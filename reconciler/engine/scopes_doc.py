"""The scopes each command needs, as the Markdown table README.md and SECURITY.md show,
rendered from the endpoint table.

`make scopes` (`python -m reconciler.engine.scopes_doc`) rewrites the table in both files
(between the markers); `--check` only says whether they are current.
"""

import sys
from collections.abc import Sequence
from pathlib import Path

from reconciler.engine.endpoint import Need
from reconciler.engine.endpoints import ENDPOINTS

BEGIN = "<!-- scopes: generated from reconciler/engine/endpoints.py -->"
END = "<!-- /scopes -->"
DOCS = ("README.md", "SECURITY.md")

_ROWS = (
    ("`plan`, `drift`, `import` (read only)", (Need.READ,)),
    ("`drift --incremental` (the reads, plus)", (Need.INCREMENTAL,)),
    ("`apply` (the reads, plus)", (Need.APPLY, Need.PRUNE, Need.PRUNE_CONNECTIONS)),
    ("`repair-applications` (the reads, plus)", (Need.REPAIR,)),
    ("`sso-ticket`, `revoke-sso-ticket`", (Need.SSO_TICKET,)),
)
_NOTES = {
    Need.PRUNE: " (only with `policy.prune_organizations`)",
    Need.PRUNE_CONNECTIONS: " (only with `policy.prune_connections`)",
}


def scopes_table() -> str:
    """The Markdown table: one row per command, its scopes in the endpoint table's order."""
    lines = ["| job | scopes |", "|---|---|"]
    for job, needs in _ROWS:
        scopes: dict[str, str] = {}
        for endpoint in ENDPOINTS:
            if endpoint.need in needs:
                for scope in (endpoint.scope, *endpoint.also_needs):
                    scopes.setdefault(scope, _NOTES.get(endpoint.need, ""))
        lines.append(f"| {job} | " + ", ".join(f"`{s}`{n}" for s, n in scopes.items()) + " |")
    return "\n".join(lines)


def with_table(text: str, where: str) -> str:
    """`text` with the table between its markers rendered afresh."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{where}: no scopes table between {BEGIN!r} and {END!r}")
    return text[: start + len(BEGIN)] + "\n" + scopes_table() + "\n" + text[end:]


def main(argv: Sequence[str]) -> int:
    """Rewrite the table in each document (or, with `--check`, report the stale ones)."""
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
