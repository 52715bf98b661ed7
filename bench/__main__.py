"""`make bench`: the reconciler against a sandbox served over HTTP in its own process, with a
rate limit and latency, on a generated tenant; calls against the performance model's lower
bounds, wall time against calls / rate. Figures are medians; calls come from the sandbox's log.

    python -m bench [--orgs 1000] [--members 25] [--rate 50] [--latency-ms 30] [--runs 3]
    python -m bench --quick
    python -m bench --scenarios incremental --out DIR
"""

import argparse
import json
import math
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.offline import offline_scale, offline_summary
from bench.run import Measured, reconciler
from bench.served import Served, serving
from bench.snapshot_scenarios import snapshot_scenarios
from bench.tenant import (
    CONNECTIONS,
    ROLES,
    Shape,
    org_name,
    user_id,
    write_org,
    write_tenant,
)

HERE = Path(__file__).parent


@dataclass
class Result:
    """One scenario: counted calls against their lower bound, and measured cost."""

    scenario: str
    calls: int
    bound: int
    writes: int
    minimal_writes: int
    rate_limited: int
    failed: int
    wall: float
    cpu: float
    rss_mb: float
    rate: float

    @property
    def time_bound(self) -> float:
        """Seconds the calls need at the allowed rate."""
        return self.calls / self.rate

    def row(self) -> str:
        """The scenario's line of the results table."""
        return (
            f"| {self.scenario} | {self.calls} | {self.bound} | {self.calls / self.bound:.2f} | "
            f"{self.writes} | {self.minimal_writes} | {self.wall:.1f} | {self.time_bound:.1f} | "
            f"{self.wall / self.time_bound:.2f} | {self.rate_limited} | {self.failed} | "
            f"{self.cpu:.1f} | {self.rss_mb:.0f} |"
        )


def pages(count: int) -> int:
    """Requests to list `count` items in pages of 100."""
    return max(1, math.ceil(count / 100))


def member_pages(count: int) -> int:
    """Requests to list `count` members: Auth0 carries `next` on the last page that has
    members, so a full last page is followed by an empty one."""
    return count // 100 + 1


def plan_bound(shape: Shape) -> int:
    """Reads of a no-op plan (docs/performance.md): organization pages, per organization its
    members, enabled connections and discovery domains, role pages and the roles'
    permissions, connection pages."""
    return pages(shape.orgs) + shape.orgs * (member_pages(shape.members) + 2) + 1 + ROLES + 1


def incremental_bound(shape: Shape, events: int, fields: int, parts: int, lookups: int) -> int:
    """Reads of an incremental drift check (docs/performance.md): the checkpoint's event, the
    log's `events` since in pages of 100 (a short page ends it), the role list; one read per
    organization whose own fields changed; the connection list and, per organization below
    which something changed, its members, enabled connections and discovery domains; `lookups`
    of users the files list who are not members."""
    below = pages(CONNECTIONS) + parts * (member_pages(shape.members) + 2) if parts else 0
    return 1 + (events // 100 + 1) + pages(ROLES) + fields + below + lookups


def distinct_users(shape: Shape) -> int:
    """Users the generated organizations list, all of them new members on a cold apply."""
    return len({(n * 7 + m) % shape.users for n in range(shape.orgs) for m in range(shape.members)})


def cold_writes(shape: Shape) -> int:
    """Minimal writes of a cold apply: each role and its permissions; per organization the
    create (connections inline), its discovery domain, member batches of 10, role calls."""
    per_org = 2 + math.ceil(shape.members / 10) + shape.members_with_roles
    return 2 * ROLES + shape.orgs * per_org


def cold_reads(shape: Shape) -> int:
    """Reads of a cold apply: before the writes, the listings, each listed user id once and
    the API of the new permissions; after them, the verification: every organization's
    members and the role list (the other writes are settled by their answers)."""
    before = 1 + 1 + 1 + distinct_users(shape) + 1
    return before + shape.orgs * pages(shape.members) + pages(ROLES)


def counted(served: Served) -> tuple[int, int, int, int]:
    """Calls, writes, 429s and failed calls since the last count."""
    calls = served.calls()
    writes = sum(c["method"] != "GET" for c in calls)
    limited = sum(c["status"] == 429 for c in calls)
    failed = sum(c["status"] >= 400 and c["status"] != 429 for c in calls)
    return len(calls), writes, limited, failed


def measure(
    name: str,
    served: Served,
    runs: int,
    prepare: Callable[[], None],
    command: Callable[[], Measured],
    bound: int,
    minimal_writes: int,
    rate: float,
) -> Result:
    """Run a scenario `runs` times; calls from the first run, costs as medians."""
    samples: list[Measured] = []
    counts: tuple[int, int, int, int] | None = None
    for _ in range(runs):
        prepare()
        served.calls()
        measured = command()
        if measured.code not in (0, 2):
            raise RuntimeError(f"{name}: exit {measured.code}\n{measured.stdout[-2000:]}")
        counts = counts or counted(served)
        samples.append(measured)
    assert counts is not None
    calls, writes, limited, failed = counts
    result = Result(
        name,
        calls,
        bound,
        writes,
        minimal_writes,
        limited,
        failed,
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        statistics.median(s.rss_mb for s in samples),
        rate,
    )
    print(result.row(), file=sys.stderr)
    return result


SCENARIOS = ("all", "incremental", "snapshot", "offline")
"""What `--scenarios` selects: every scenario, the `drift --incremental` ones or the
`apply --from-snapshot` ones alone (on the world a cold apply sets up, unmeasured), or the
offline scale run alone."""


def scenarios(
    workdir: Path, shape: Shape, rate: float, latency: float, runs: int, which: str = "all"
) -> list[Result]:
    """The scenarios `which` selects, on a sandbox served for them."""
    tenant = write_tenant(workdir / "bench", shape)
    with serving(tenant, rate, latency) as served:
        if which == "all":
            results = scan_scenarios(tenant, served, shape, rate, runs)
        else:
            served.reset_state()
            succeeded("cold apply", reconciler(tenant, served.base, "apply", "--yes"), 0)
            results = []
        if which != "snapshot":
            results.extend(incremental_scenarios(workdir, tenant, served, shape, rate, runs))
        if which != "incremental":
            results.extend(snapshot_scenarios(workdir, tenant, served, shape, rate, runs, measure))
    return results


def scan_scenarios(
    tenant: Path, served: Served, shape: Shape, rate: float, runs: int
) -> list[Result]:
    """Cold apply, no-op plan, a 1% change planned and applied, drift after changes by hand."""
    changed = max(1, shape.orgs // 100)
    results = []
    base = served.base

    def cold() -> None:
        served.reset_state()

    def nothing() -> None:
        return None

    def edit() -> None:
        for n in range(changed):
            write_org(tenant / "organizations", n, shape, f"Org {n} renamed")

    def unedit_and_change() -> None:
        for n in range(changed):
            write_org(tenant / "organizations", n, shape, f"Org {n}")
        reconciler(tenant, base, "apply", "--yes")
        for n in range(10):
            org = served.request("GET", f"/api/v2/organizations/name/{org_name(n)}")
            served.request("PATCH", f"/api/v2/organizations/{org['id']}", {"display_name": "x"})

    results.append(
        measure(
            f"cold apply, {shape.orgs} orgs x {shape.members} members",
            served,
            runs,
            cold,
            lambda: reconciler(tenant, base, "apply", "--yes"),
            cold_reads(shape) + cold_writes(shape),
            cold_writes(shape),
            rate,
        )
    )
    results.append(
        measure(
            "no-op plan",
            served,
            runs,
            nothing,
            lambda: reconciler(tenant, base, "plan"),
            plan_bound(shape),
            0,
            rate,
        )
    )
    results.append(
        measure(
            f"plan of a 1% change ({changed} orgs)",
            served,
            runs,
            edit,
            lambda: reconciler(tenant, base, "plan"),
            plan_bound(shape),
            0,
            rate,
        )
    )
    verify = 0  # the renames are settled by their answers
    results.append(
        measure(
            f"apply of a 1% change ({changed} orgs)",
            served,
            1,
            edit,
            lambda: reconciler(tenant, base, "apply", "--yes"),
            plan_bound(shape) + changed + verify,
            changed,
            rate,
        )
    )
    results.append(
        measure(
            "drift after hand changes to 10 orgs",
            served,
            runs,
            unedit_and_change,
            lambda: reconciler(tenant, base, "drift"),
            plan_bound(shape),
            0,
            rate,
        )
    )
    return results


def incremental_scenarios(
    workdir: Path, tenant: Path, served: Served, shape: Shape, rate: float, runs: int
) -> list[Result]:
    """`drift --incremental` on a quiet day and after 3 changes by someone else (a display
    name, a member removed, a connection disabled, in three organizations), and a full drift
    after the same changes. Each run starts from an apply (repairing the last run's changes)
    and a check that leaves the checkpoint right after it."""
    base = served.base
    checkpoint = str(workdir / "drift-checkpoint.json")
    hand = served.as_client("bench-dashboard")
    changed = [org_name(n) for n in range(3)]
    removed = user_id(7 % shape.users)  # the second organization's first member (write_org)

    def incremental() -> Measured:
        return reconciler(tenant, base, "drift", "--incremental", "--checkpoint", checkpoint)

    def repaired_and_checked() -> None:
        succeeded("apply", reconciler(tenant, base, "apply", "--yes"), 0)
        succeeded("drift --incremental", incremental(), 0)

    def three_changes() -> None:
        repaired_and_checked()
        first, second, third = (
            hand.request("GET", f"/api/v2/organizations/name/{name}")["id"] for name in changed
        )
        hand.request("PATCH", f"/api/v2/organizations/{first}", {"display_name": "By hand"})
        hand.request("DELETE", f"/api/v2/organizations/{second}/members", {"members": [removed]})
        connection = hand.request("GET", "/api/v2/connections?name=conn-0")[0]["id"]
        hand.request("DELETE", f"/api/v2/organizations/{third}/enabled_connections/{connection}")

    return [
        measure(
            f"incremental drift, quiet day ({shape.orgs} orgs)",
            served,
            runs,
            repaired_and_checked,
            incremental,
            incremental_bound(shape, events=0, fields=0, parts=0, lookups=0),
            0,
            rate,
        ),
        measure(
            f"incremental drift after 3 changes by hand ({len(changed)} orgs)",
            served,
            runs,
            three_changes,
            incremental,
            # 3 writes in the log; the display name: 1 organization's fields; the member and
            # the connection: 2 organizations' parts; the removed member is looked up.
            incremental_bound(shape, events=3, fields=1, parts=2, lookups=1),
            0,
            rate,
        ),
        measure(
            "full drift after the same 3 changes",
            served,
            1,
            three_changes,
            lambda: reconciler(tenant, base, "drift"),
            plan_bound(shape) + 1,
            0,
            rate,
        ),
    ]


def succeeded(name: str, measured: Measured, *codes: int) -> None:
    """A command run to set a scenario up; RuntimeError unless it exited with one of `codes`."""
    if measured.code not in codes:
        raise RuntimeError(f"{name}: exit {measured.code}\n{measured.stdout[-2000:]}")


def write_results(
    args: argparse.Namespace, results: list[Result], offline: dict[str, Any] | None
) -> None:
    """RESULTS.md and results.json in `args.out` (the offline section when it ran)."""
    machine = f"{platform.system()} {platform.machine()}, {platform.python_version()}, "
    machine += f"{len(os.sched_getaffinity(0))} CPUs"
    command = "python -m bench " + " ".join(sys.argv[1:])
    document = {
        "command": command.strip(),
        "machine": machine,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {**vars(args), "out": str(args.out)},
        "scenarios": [asdict(r) for r in results],
        "offline": offline,
    }
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Benchmark results",
        "",
        f"`{command.strip()}` on {machine}, {document['date']}. The reconciler runs as its own",
        f"process against a sandbox served over HTTP in another, limited to {args.rate:g}",
        f"requests/s with {args.latency_ms:g} ms latency per request; every call is counted",
        f"from the sandbox's log. Times are {_runs(args.runs)} and mean something",
        "only as ratios on this small shared machine.",
        "",
        "| scenario | calls | lower bound | calls / bound | writes | minimal writes | wall s "
        "| calls / rate s | wall / (calls / rate) | 429s | failed | CPU s | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *(r.row() for r in results),
        "",
        "- *lower bound*: the formulas of [docs/performance.md](../docs/performance.md) for",
        "  this tenant (reads and writes). *minimal writes*: one request per changed thing.",
        "- *calls / rate*: the time the calls need at the sandbox's rate limit; the reconciler",
        "  keeps part of the bucket free for logins, so ratios somewhat above 1 are expected.",
        "- *drift*: `reconciler drift` (a full scan) after 10 display names were changed by hand.",
        "- *incremental drift*: `reconciler drift --incremental` from a checkpoint taken right",
        "  after an apply: with nothing changed since, and after someone else changed a display",
        "  name, removed a member and disabled a connection in three organizations; the full",
        "  drift after the same changes (one run) is what the check costs without the log.",
        "  With a handful of calls, its wall time is the process starting and loading the",
        "  1,000 files: the ratio to calls / rate says nothing there.",
        "",
    ]
    if offline is not None:
        lines += offline_summary(offline)
    (out / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out / 'RESULTS.md'} and {out / 'results.json'}", file=sys.stderr)


def _runs(runs: int) -> str:
    return "from one run" if runs == 1 else f"medians of {runs} runs"


def main() -> None:
    """Parse the flags, run the scenarios and the offline scale test, write the results."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--members", type=int, default=25)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--latency-ms", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--offline-orgs", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="a small tenant, one run")
    parser.add_argument(
        "--scenarios",
        choices=SCENARIOS,
        default="all",
        help="all (default); incremental: only the drift --incremental scenarios, on the "
        "world an unmeasured cold apply sets up, without the offline scale run; snapshot: "
        "likewise, the apply --from-snapshot ones; offline: only the offline scale run",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        default=None,
        help="the directory RESULTS.md and results.json are written to (default: bench/ for "
        "a full run, .cache/bench-quick/ with --quick; a run of some scenarios only must "
        "write elsewhere than bench/)",
    )
    args = parser.parse_args()
    if args.out is None:
        args.out = HERE.parent / ".cache" / "bench-quick" if args.quick else HERE
    if args.scenarios != "all" and args.out.resolve() == HERE.resolve():
        parser.error(f"--scenarios {args.scenarios} needs --out DIR: bench/ holds full runs")
    if args.quick:
        args.orgs, args.members, args.runs, args.offline_orgs = 50, 10, 1, 1000
    shape = Shape(args.orgs, args.members, users=max(args.members, min(1000, args.orgs * 5)))
    # The processes the bench starts run elsewhere: they import this checkout's code first,
    # whichever copy of the package the environment has installed.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(HERE.parent.resolve()), os.environ.get("PYTHONPATH")) if p
    )
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        results = []
        if args.scenarios != "offline":
            results = scenarios(
                Path(workdir), shape, args.rate, args.latency_ms, args.runs, args.scenarios
            )
        offline = None
        if args.scenarios in ("all", "offline"):
            offline = offline_scale(Path(workdir), args.offline_orgs, 50, args.runs)
    write_results(args, results, offline)


if __name__ == "__main__":
    main()
