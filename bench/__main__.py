"""`make bench`: the reconciler against a sandbox served over HTTP in its own process, under
Auth0's per-group limits of a subscription (Enterprise, then Essentials/Professional) on a
clock `--speedup` times faster, with latency, on a generated tenant; calls against the
performance model's counts, wall time against the least time those calls take under the same
compressed buckets. Figures are medians; calls come from the sandbox's log.

    python -m bench [--orgs 1000] [--members 25] [--speedup 10] [--latency-ms 30] [--runs 3]
    python -m bench --quick
    python -m bench --scenarios incremental --limits enterprise --out DIR
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.limits import BenchLimits, groups
from bench.offline import offline_scale
from bench.results import Result, write_results
from bench.run import Measured
from bench.scenarios import SETS, Bench, Scenario, succeeded
from bench.served import Served, serving
from bench.snapshot_scenarios import snapshot_scenarios
from bench.tenant import Shape, write_tenant
from reconciler.model.subscription import Subscription

HERE = Path(__file__).parent


def measure(scenario: Scenario, served: Served, limits: BenchLimits, runs: int) -> Result:
    """Run a scenario (`runs` times unless it runs once); calls from the first run, costs as
    medians. Every run starts with the buckets full, as the lower bound assumes."""
    runs = runs if scenario.repeated else 1
    samples: list[Measured] = []
    spans: list[float] = []
    logged: list[dict[str, Any]] | None = None
    for _ in range(runs):
        scenario.prepare()
        time.sleep(limits.refilled_after)
        served.calls()
        measured = scenario.command()
        succeeded(scenario.name, measured, 0, 2)
        calls = served.calls()
        spans.append(api_seconds(calls))
        logged = calls if logged is None else logged
        samples.append(measured)
    assert logged is not None
    statuses = [int(str(c["status"])) for c in logged]
    result = Result(
        scenario.name,
        len(logged),
        scenario.bound,
        sum(c["method"] != "GET" for c in logged),
        scenario.minimal_writes,
        statuses.count(429),
        sum(s >= 400 and s != 429 for s in statuses),
        statistics.median(s.wall for s in samples),
        statistics.median(spans),
        limits.seconds(logged),
        limits.speedup,
        statistics.median(s.cpu for s in samples),
        statistics.median(s.rss_mb for s in samples),
        runs,
        {str(g): n for g, n in sorted(groups(logged).items())},
    )
    print(f"{limits.label}: {result.row()}", file=sys.stderr)
    return result


def api_seconds(calls: list[dict[str, Any]]) -> float:
    """From the first call's arrival to the last call's answer (0 without calls)."""
    if not calls:
        return 0.0
    return float(
        max(c["at"] + c["duration_ms"] / 1000 for c in calls) - min(c["at"] for c in calls)
    )


SCENARIOS = ("all", "incremental", "snapshot", "offline")
"""What `--scenarios` selects: every scenario, the `drift --incremental` ones or the
`apply --from-snapshot` ones alone (on the world a cold apply sets up, unmeasured), or the
offline scale run alone."""

EVERY_SET = SETS | {"snapshot": snapshot_scenarios}
"""The sets of scenarios in the order they run: those of `bench.scenarios`, then the plans
from the snapshot."""


def scenarios(
    workdir: Path, shape: Shape, limits: BenchLimits, latency: float, runs: int, which: str
) -> list[Result]:
    """The scenarios `which` selects under `limits`, on a sandbox served for them."""
    tenant = write_tenant(workdir / limits.subscription.value, shape, limits.subscription.value)
    with serving(tenant, limits, latency) as served:
        bench = Bench(workdir, tenant, served, shape)
        sets = list(EVERY_SET)
        if which in ("incremental", "snapshot"):
            served.reset_state()
            succeeded("cold apply", bench.run("apply", "--yes"), 0)
            sets = [which]
        return [
            measure(scenario, served, limits, runs)
            for name in sets
            for scenario in EVERY_SET[name](bench)
        ]


def main() -> None:
    """Parse the flags, run the scenarios and the offline scale test, write the results."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--members", type=int, default=25)
    parser.add_argument(
        "--limits",
        default="enterprise,professional",
        help="the subscriptions whose limits the scenarios run under, in order "
        "(default: enterprise,professional)",
    )
    parser.add_argument(
        "--speedup",
        type=int,
        default=10,
        help="the sandbox's buckets refill this many times faster than Auth0's (default 10)",
    )
    parser.add_argument("--latency-ms", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--offline-orgs", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="a small tenant, one run")
    parser.add_argument(
        "--scenarios",
        choices=SCENARIOS,
        default="all",
        help="all (default); incremental or snapshot: only the drift --incremental or the "
        "apply --from-snapshot scenarios, on the world an unmeasured cold apply sets up, "
        "without the offline scale run; offline: only the offline scale run",
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
    try:
        subscriptions = [Subscription(s.strip()) for s in args.limits.split(",")]
    except ValueError:
        parser.error(f"--limits {args.limits}: a list of enterprise, professional, free")
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
        results: dict[BenchLimits, list[Result]] = {}
        if args.scenarios != "offline":
            for subscription in subscriptions:
                limits = BenchLimits(subscription, args.speedup)
                results[limits] = scenarios(
                    Path(workdir), shape, limits, args.latency_ms, args.runs, args.scenarios
                )
        offline = None
        if args.scenarios in ("all", "offline"):
            offline = offline_scale(Path(workdir), args.offline_orgs, 50, args.runs)
    write_results(args, results, offline)


if __name__ == "__main__":
    main()
