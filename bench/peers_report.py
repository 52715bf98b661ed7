"""bench/PEERS.md and bench/peers.json from the measurements of `python -m bench.peers`."""

import json
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Limits:
    """The limits the sandbox enforces: a subscription's, on a clock `speedup` times faster."""

    subscription: str
    speedup: int


MARKDOWN = HERE / "PEERS.md"
JSON = HERE / "peers.json"
UNSERVED = {
    "GET /api/v2/organizations/{id}/clients -> 404": (
        "`GET /organizations/{id}/clients` (an organization's applications). auth0-deploy-cli "
        "reads it once per organization, takes the 404 for a feature the tenant lacks and "
        "carries on without that part; nothing stands in for it"
    ),
}
ROWS = (
    ("calls", "API calls", "{:.0f}"),
    ("writes", "writes (not GET)", "{:.0f}"),
    ("failed", "failed calls (status >= 400)", "{:.0f}"),
    ("wall_s", "wall s", "{:.2f}"),
    ("first_call_s", "of which before the first API call, s", "{:.2f}"),
    ("cpu_s", "CPU s (user + system)", "{:.2f}"),
    ("rss_mib", "peak RSS MiB", "{:.0f}"),
)


class StepLike(Protocol):
    """A step of the job as the report names it."""

    @property
    def key(self) -> str: ...

    @property
    def title(self) -> str: ...


@dataclass(frozen=True)
class Machine:
    """Where and when the figures were measured."""

    platform: str
    cpus: int
    python: str
    node: str
    date: str

    @classmethod
    def here(cls, node: str) -> "Machine":
        """This machine, today (UTC)."""
        return cls(
            platform=platform.platform(),
            cpus=os.cpu_count() or 1,
            python=platform.python_version(),
            node=node,
            date=datetime.now(UTC).date().isoformat(),
        )


def ratio(ours: float, peer: float) -> str:
    """The peer's figure as a multiple of ours."""
    if ours == 0:
        return "same" if peer == 0 else "n/a (ours 0)"
    return f"{peer / ours:.1f}x"


def _shown(form: str, value: float | None) -> str:
    return "n/a" if value is None else form.format(value)


def _codes(figures: dict[str, Any]) -> str:
    return ", ".join(str(code) for code in figures["exit_codes"])


def _table(ours: dict[str, Any], peer: dict[str, Any], peer_label: str) -> list[str]:
    lines = [
        f"| | reconciler | {peer_label} | peer / reconciler |",
        "|---|---|---|---|",
    ]
    for key, label, form in ROWS:
        if ours[key] is None or peer[key] is None:
            cells = [_shown(form, ours[key]), _shown(form, peer[key]), "n/a"]
        else:
            cells = [form.format(ours[key]), form.format(peer[key]), ratio(ours[key], peer[key])]
        lines.append(f"| {label} | {' | '.join(cells)} |")
    lines.append(f"| exit code | {_codes(ours)} | {_codes(peer)} | |")
    return lines


def _kinds(step: dict[str, Any], peer_label: str) -> list[str]:
    ours, peer = (step[tool]["median"] for tool in ("ours", "peer"))
    lines = [
        "",
        "Calls by kind (first run; failed ones with their status):",
        "",
        f"| call | reconciler | {peer_label} |",
        "|---|---|---|",
    ]
    for kind in sorted(ours["kinds"].keys() | peer["kinds"].keys(), key=_call_order):
        cells = [_count(figures, kind) for figures in (ours, peer)]
        lines.append(f"| `{kind}` | {cells[0]} | {cells[1]} |")
    return lines


def _call_order(kind: str) -> tuple[bool, str]:
    method, path = kind.split(" ", 1)
    return method != "GET", path


def _count(figures: dict[str, Any], kind: str) -> str:
    count = figures["kinds"].get(kind, 0)
    failed = {
        failure.rsplit(" -> ", 1)[1]: n
        for failure, n in figures["failures"].items()
        if failure.rsplit(" -> ", 1)[0] == kind
    }
    return f"{count}" + "".join(f" ({n} x {status})" for status, n in sorted(failed.items()))


def _summary(steps: Sequence[StepLike], results: dict[str, Any]) -> list[str]:
    lines = [
        "| step | calls: ours / peer | writes: ours / peer | wall s: ours / peer | "
        "wall: peer / ours | CPU s: ours / peer | peak RSS MiB: ours / peer |",
        "|---|---|---|---|---|---|---|",
    ]
    for step in steps:
        ours, peer = (results[step.key][t]["median"] for t in ("ours", "peer"))
        lines.append(
            f"| {step.key} | {ours['calls']:.0f} / {peer['calls']:.0f} | "
            f"{ours['writes']:.0f} / {peer['writes']:.0f} | "
            f"{ours['wall_s']:.2f} / {peer['wall_s']:.2f} | "
            f"{ratio(ours['wall_s'], peer['wall_s'])} | "
            f"{ours['cpu_s']:.2f} / {peer['cpu_s']:.2f} | "
            f"{ours['rss_mib']:.0f} / {peer['rss_mib']:.0f} |"
        )
    return lines


def _span(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{low:.1f}" if f"{low:.1f}" == f"{high:.1f}" else f"{low:.1f} to {high:.1f}"


def _notes(results: dict[str, Any], same: bool, orgs: int, peer_label: str) -> list[str]:
    firsts = {
        tool: [
            step[tool]["median"]["first_call_s"]
            for step in results.values()
            if step[tool]["median"]["first_call_s"] is not None
        ]
        for tool in ("ours", "peer")
    }
    shapes = {shape for step in results.values() for shape in step["peer"]["median"]["failures"]}
    notes = [
        (
            f"- Same job, same result: after the change, both tools left the same {orgs} "
            "organizations (display names, connections and their flags) in every run."
            if same
            else "- **The tools left different organizations behind** in at least one run: "
            "see peers.json."
        ),
    ]
    if firsts["ours"] and firsts["peer"]:
        notes.append(
            f"- Start-up: the first API call reaches the sandbox {_span(firsts['peer'])} s after "
            f"{peer_label} starts, and {_span(firsts['ours'])} s after the reconciler starts "
            "(medians per step; the harness polls the call log every 50 ms). The peer spends "
            "that time on the CPU (a profile shows it compiling and checking JSON schemas); it "
            "does not depend on the number of organizations."
        )
    notes.extend(
        [
            f"- Pacing: {peer_label} puts every organization it creates or compares through a "
            "pool of at most 3 tasks at a time and 8 a second (constants in its source), so "
            f"{orgs} organizations take about {orgs / 8:.1f} s of each create, no-op or change, "
            "whether or not anything is written; its `--dry-run` skips the pool. The "
            "reconciler sends up to 8 requests at a time while they fit in its share (half by "
            "default) of each endpoint group's bucket, which it learns from the headers of that "
            "group's responses; here the organization writes and the organizations' "
            "connection reads are the tight groups (burst 5 and 10).",
            f"- Reads: per organization, {peer_label} reads its connections (two pages: its "
            "SDK asks for the page after every non-empty one), its client grants, its "
            "discovery domains and its applications; the reconciler reads only what the files "
            "manage, here the enabled connections (one page). The reconciler's apply counts "
            "include the plan it makes again after writing, to verify the result.",
            f"- Writes: {peer_label} creates an organization, then enables its connection (two "
            "writes); the reconciler creates it with the connection inline (one).",
        ]
    )
    unserved = sorted(shapes & UNSERVED.keys())
    notes.extend(f"- Not served by the sandbox: {UNSERVED[shape]}." for shape in unserved)
    if shapes - UNSERVED.keys():
        notes.append("- The peer's other failed calls are in the tables above and in peers.json.")
    notes.append(
        "- Not part of the job: members, member roles, invitations, roles and discovery "
        "domains. auth0-deploy-cli does not manage organization members, so the job leaves out "
        "what the reconciler's own benchmark measures most (`make bench`)."
    )
    return notes


def write_report(
    machine: Machine,
    peer_name: str,
    peer_version: str,
    orgs: int,
    runs: int,
    steps: Sequence[StepLike],
    results: dict[str, Any],
    same: bool,
    limits: Limits,
) -> None:
    """Write bench/PEERS.md and bench/peers.json."""
    peer_label = f"{peer_name} {peer_version}"
    command = f"python -m bench.peers --orgs {orgs}" + ("" if runs > 1 else " --quick")
    command += f" --limits {limits.subscription} --speedup {limits.speedup}"
    lines = [
        f"# Measured against {peer_name}",
        "",
        f"Produced by `make bench-peers` (here `{command}`) on {machine.date}: the reconciler and "
        f"{peer_label} run the same organizations-only job, one after the other in one run, "
        "against the same sandbox served over TLS on loopback.",
        "",
        f"- Job: {orgs} organizations, each with a display name and one enabled connection "
        "whose three flags are spelled out; no members (see the notes).",
        "- Steps, for each tool on a fresh sandbox state: create, no-op (the same files "
        "again), a preview of one change, and the change (one display name).",
        f"- Figures are medians of {runs} run{'s' if runs > 1 else ''}. Calls, writes and "
        "failed calls come from the sandbox's call log (Management API requests only; token "
        "requests are not counted); wall, CPU (user + system) and peak RSS are those of the "
        "tool's own process, from launch to exit.",
        f"- Limits: the sandbox enforces Auth0's {limits.subscription} limits, the "
        "tenant-wide bucket and one per endpoint group (`sandbox serve --limits`), on a clock "
        f"{limits.speedup} times faster (`--limits-speedup {limits.speedup}`: every bucket "
        f"refills {limits.speedup} times faster, its reset given to the 1/{limits.speedup} "
        "second), with every response's `x-ratelimit-*` headers and 429s naming the group; "
        "both tools meet the same buckets. Wall times are those of the compressed clock: at "
        f"Auth0's pace the paced part takes {limits.speedup} times longer.",
        f"- Machine: {machine.platform}, {machine.cpus} CPUs, Python {machine.python}, "
        f"Node.js {machine.node}. Times matter only as ratios: the sandbox answers in well "
        "under a millisecond, where a real tenant takes tens.",
        "",
        "Commands (`DIR` holds the generated files, `PORT` is the served sandbox's port):",
        "",
        "```sh",
        "AUTH0_CLIENT_ID=... AUTH0_CLIENT_SECRET=... python -m reconciler apply --tenant DIR "
        "--domain https://127.0.0.1:PORT --ca-file DIR/tls/ca.pem --yes   # preview: plan",
        "NODE_EXTRA_CA_CERTS=DIR/tls/ca.pem a0deploy import -c config.json -i tenant.yaml"
        "   # preview: --dry-run",
        "```",
        "",
        "`config.json` names the sandbox (`AUTH0_DOMAIN` 127.0.0.1:PORT), the client, "
        '`AUTH0_INCLUDED_ONLY: ["organizations"]` and `AUTH0_ALLOW_DELETE: false`.',
        "",
        "## Summary",
        "",
        *_summary(steps, results),
    ]
    for step in steps:
        ours, peer = (results[step.key][t]["median"] for t in ("ours", "peer"))
        lines += ["", f"## {step.title}", "", *_table(ours, peer, peer_label)]
        lines += _kinds(results[step.key], peer_label)
    lines += ["", "## Notes", "", *_notes(results, same, orgs, peer_label), ""]
    MARKDOWN.write_text("\n".join(lines), encoding="utf-8")
    document = {
        "machine": asdict(machine),
        "peer": {"name": peer_name, "version": peer_version},
        "organizations": orgs,
        "runs": runs,
        "same_end_state": same,
        "steps": {step.key: {"title": step.title, **results[step.key]} for step in steps},
    }
    JSON.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MARKDOWN} and {JSON}", file=sys.stderr)
