"""bench/RESULTS.md and bench/results.json: a table per subscription, the offline section."""

import argparse
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.limits import BenchLimits
from bench.offline import offline_summary

REPOSITORY = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    """One scenario under one subscription's limits: counted calls against the model's, and
    wall time against the least time the calls take under the (compressed) buckets."""

    scenario: str
    calls: int
    bound: int
    writes: int
    minimal_writes: int
    rate_limited: int
    failed: int
    wall: float
    api: float
    """Seconds from the first call's arrival at the sandbox to the last call's answer."""
    seconds_bound: float
    """The least wall time of the calls under the compressed buckets."""
    speedup: int
    cpu: float
    rss_mb: float
    runs: int
    by_group: dict[str, int] = field(default_factory=dict)

    @property
    def auth0_minutes(self) -> float:
        """The least time of the same calls at Auth0's own pace."""
        return self.seconds_bound * self.speedup / 60

    def row(self) -> str:
        """The scenario's line of the results table."""

        def ratio(seconds: float) -> str:
            return f"{seconds / self.seconds_bound:.2f}" if self.seconds_bound >= 1 else "-"

        return (
            f"| {self.scenario} | {self.runs} | {self.calls} | {self.bound} | "
            f"{self.calls / self.bound:.2f} | {self.writes} | {self.minimal_writes} | "
            f"{self.wall:.1f} | {self.api:.1f} | {self.seconds_bound:.1f} | "
            f"{ratio(self.wall)} | {ratio(self.api)} | {self.auth0_minutes:.1f} | "
            f"{self.rate_limited} | {self.failed} | {self.cpu:.1f} | {self.rss_mb:.0f} |"
        )


HEADER = (
    "| scenario | runs | calls | lower bound | calls / bound | writes | minimal writes | wall s "
    "| API s | lower-bound s | wall / lower bound | API / lower bound | Auth0 min | 429s "
    "| failed | CPU s | peak RSS MB |"
)


def write_results(
    args: argparse.Namespace,
    results: dict[BenchLimits, list[Result]],
    offline: dict[str, Any] | None,
    date: str | None = None,
) -> None:
    """RESULTS.md and results.json in `args.out` (the offline section when it ran); `date`:
    when the run was (default now)."""
    machine = f"{platform.system()} {platform.machine()}, {platform.python_version()}, "
    machine += f"{len(os.sched_getaffinity(0))} CPUs"
    command = ("python -m bench " + " ".join(sys.argv[1:])).strip()
    document = {
        "command": command,
        "machine": machine,
        "date": date or datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {**vars(args), "out": _shown(args.out)},
        "limits": [
            {
                "subscription": limits.subscription.value,
                "speedup": limits.speedup,
                "scenarios": [asdict(r) for r in rows],
            }
            for limits, rows in results.items()
        ],
        "offline": offline,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    k = args.speedup
    lines = [
        "# Benchmark results",
        "",
        f"`{command}` on {machine}, {document['date']}. The reconciler runs as its own process",
        "against a sandbox served over HTTP in another, with "
        f"{args.latency_ms:g} ms latency per request,",
        "enforcing Auth0's published limits of a subscription: the tenant-wide bucket and one",
        "bucket per endpoint group (`reconciler sandbox serve --limits`, the table of",
        "`reconciler/sandbox/limits.py`). Every call is counted from the sandbox's log.",
        "",
        f"**Time is compressed {k} times** (`--limits-speedup {k}`): every bucket keeps its",
        f"burst and refills {k} times faster, and its `x-ratelimit-reset` is given to the",
        f"1/{k} second instead of the second, so the headers are as precise relative to the",
        "bucket as Auth0's. Nothing else is faster: latency, the reconciler's and the",
        f"sandbox's CPU run in real time, so they weigh {k} times what they do at Auth0's pace (a",
        "few seconds of starting, loading and planning, against minutes of buckets). The",
        "client is not told: it starts from the",
        "published buckets of `rate_limit.limits` in tenant.yaml, as against Auth0, and",
        "learns the faster ones from the headers. *lower-bound s* is",
        "`reconciler.engine.duration` for the calls each group made, under the same",
        f"compressed buckets: the largest over buckets of (calls - burst) / ({k} x sustained",
        "rate), the tenant-wide bucket counting every call; *Auth0 min* is that bound",
        f"x {k}, the least time of the same calls at Auth0's own pace, in minutes. Every run",
        "starts with the buckets full, as the bound assumes. Times are medians of the runs",
        "the *runs* column gives: scenarios that change the world or take minutes run once.",
        "",
    ]
    for limits, rows in results.items():
        lines += [
            f"## {limits.label} limits",
            "",
            HEADER,
            "|---" * (HEADER.count("|") - 1) + "|",
            *(r.row() for r in rows),
            "",
        ]
    lines += NOTES
    if offline is not None:
        lines += offline_summary(offline)
    (args.out / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out / 'RESULTS.md'} and {args.out / 'results.json'}", file=sys.stderr)


def _shown(path: Path) -> str:
    """`path` relative to the repository when it is inside it (a committed file names no
    machine's directories), else its name only."""
    try:
        return str(path.resolve().relative_to(REPOSITORY))
    except ValueError:
        return path.name


NOTES = [
    "- *lower bound*: the calls the formulas of [docs/performance.md](../docs/performance.md)",
    "  count for this tenant (reads and writes). *minimal writes*: one request per changed",
    "  thing. *wall / lower bound*: `-` where the calls fit in the bursts (a bound under 1 s",
    "  leaves only the process starting and loading the files).",
    "- *wall s*: the reconciler's process from start to exit. *API s*: from the first call's",
    "  arrival at the sandbox to the last call's answer, without the start, the loading of",
    "  the files and the planning that the compressed clock does not shrink (a few seconds,",
    "  against Auth0's minutes). Why the ratios are what they are: docs/performance.md,",
    '  "Measured: `make bench`".',
    "- The cold apply runs its phases in order (organizations, their links and members, then",
    "  member roles), so it takes about the sum of the phases' bounds, not the largest group's.",
    "- *drift*: `reconciler drift` (a full scan) after 10 display names were changed by hand.",
    "- *incremental drift*: `reconciler drift --incremental` from a checkpoint taken right",
    "  after an apply: with nothing changed since, and after someone else changed a display",
    "  name, removed a member and disabled a connection in three organizations; the full",
    "  drift after the same changes (one run) is what the check costs without the log.",
    "- *applied from the snapshot*: `reconciler apply --yes --from-snapshot`, as `apply.yml`",
    "  runs it on a merge, after an apply from the snapshot: a merge that changes 3",
    "  organization files (the log, those 3 organizations read again, their writes, their",
    "  read-back), and a merge that changes nothing in Auth0 (the log and the role list),",
    "  against about 3,000 calls for the full read that a plain `apply` makes.",
    "",
]
