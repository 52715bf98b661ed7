"""Measures auth0-deploy-cli and the reconciler side by side on the same organizations-only
job against the same sandbox, served over TLS: `python -m bench.peers [--orgs N] [--quick]`.

Each run gives each tool a fresh sandbox state and four steps: create (every organization),
no-op (the same files again), a preview of one change (our `plan`, the peer's `--dry-run`) and
the change itself (one display name). Calls come from the sandbox's call log; wall, CPU and
peak RSS from the tool's own process. `make bench-peers` installs the pinned peer first.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench import measure
from bench.peer_files import CLIENT_ID, CLIENT_SECRET, JobFiles, write_job, write_peer_config
from bench.peers_report import Limits, Machine, write_report
from bench.served_sandbox import ServedSandbox, served

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PEER_DIR = REPO / ".cache" / "bench-peers"
PEER_PACKAGE = "auth0-deploy-cli"


@dataclass(frozen=True)
class Step:
    """One step of the job: which files, and whether the tool only previews."""

    key: str
    title: str
    changed: bool
    preview: bool


STEPS = (
    Step("create", "create: every organization on a fresh tenant", False, False),
    Step("no-op", "no-op: the same files again", False, False),
    Step("preview", "preview of one change (ours: plan; peer: import --dry-run)", True, True),
    Step("change", "one change: one organization's display name", True, False),
)


@dataclass
class Sample:
    """One tool's figures for one step of one run."""

    calls: int
    writes: int
    failed: int
    wall_s: float
    cpu_s: float
    rss_mib: float
    exit_code: int
    first_call_s: float | None = None
    failures: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Tool:
    """How to run one tool on a step of the job."""

    key: str
    label: str
    env: dict[str, str]
    argv: list[str]

    def command(self, files: JobFiles, port: int, step: Step) -> list[str]:
        """The command line for `step`."""
        if self.key == "ours":
            tenant = files.ours_changed if step.changed else files.ours_base
            verb = ["plan"] if step.preview else ["apply", "--yes"]
            return [
                *self.argv,
                *verb,
                *("--tenant", str(tenant), "--domain", f"https://127.0.0.1:{port}"),
                *("--ca-file", str(files.tls_dir / "ca.pem")),
            ]
        tenant = files.peer_changed if step.changed else files.peer_base
        preview = ["--dry-run"] if step.preview else []
        return [*self.argv, "import", "-c", str(files.peer_config), "-i", str(tenant), *preview]


def clean_environment() -> dict[str, str]:
    """This process's environment without any Auth0 settings of its own."""
    return {k: v for k, v in os.environ.items() if not k.startswith("AUTH0_")}


def peer_version(peer_dir: Path, node: str) -> str:
    """The installed peer's version, or exit saying what to do (install it, or a newer Node)."""
    package = peer_dir / "node_modules" / PEER_PACKAGE / "package.json"
    if not package.is_file():
        sys.exit(f"bench.peers: {PEER_PACKAGE} is not in {peer_dir}; run make bench-peers")
    manifest = json.loads(package.read_text(encoding="utf-8"))
    needed = re.fullmatch(r">=\s*(\d+(?:\.\d+)*)", manifest.get("engines", {}).get("node", ""))
    if needed and _numbers(node) < _numbers(needed.group(1)):
        sys.exit(f"bench.peers: {PEER_PACKAGE} needs Node.js {needed.group(1)}+, not {node}")
    version: str = manifest["version"]
    return version


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def node_version() -> str:
    """The version of `node`, or exit saying it is missing."""
    try:
        found = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        sys.exit("bench.peers: node is not installed; the peer needs Node.js 20.19 or newer")
    return found.stdout.strip().lstrip("v")


def tools(files: JobFiles, peer_dir: Path) -> list[Tool]:
    """The reconciler and the peer, each with the environment it reads its settings from."""
    env = clean_environment()
    ours = Tool(
        "ours",
        "reconciler",
        {**env, "AUTH0_CLIENT_ID": CLIENT_ID, "AUTH0_CLIENT_SECRET": CLIENT_SECRET},
        [sys.executable, "-m", "reconciler"],
    )
    peer = Tool(
        "peer",
        PEER_PACKAGE,
        {**env, "NODE_EXTRA_CA_CERTS": str(files.tls_dir / "ca.pem"), "NO_COLOR": "1"},
        [str(peer_dir / "node_modules" / ".bin" / "a0deploy")],
    )
    return [ours, peer]


def run_step(
    tool: Tool, step: Step, files: JobFiles, port: int, sandbox: ServedSandbox, log: Path
) -> Sample:
    """Run one step with a cleared call log and count what the sandbox saw."""
    sandbox.reset(state=False)
    with sandbox.first_call() as first:
        usage = measure.run(tool.command(files, port, step), tool.env, REPO, log)
    calls = sandbox.calls()
    failures = Counter(f"{c.shape} -> {c.status}" for c in calls if c.status >= 400)
    return Sample(
        calls=len(calls),
        writes=sum(c.method != "GET" for c in calls),
        failed=sum(failures.values()),
        wall_s=usage.wall_s,
        cpu_s=usage.cpu_s,
        rss_mib=usage.rss_mib,
        exit_code=usage.exit_code,
        first_call_s=None if first.at is None else first.at - usage.started_at,
        failures=dict(failures),
        kinds=dict(Counter(c.shape for c in calls)),
    )


def run_all(
    files: JobFiles, peer_dir: Path, runs: int, limits: Limits
) -> tuple[dict[str, dict[str, list[Sample]]], bool]:
    """Every step for both tools, `runs` times, each run and tool on a fresh state; also
    whether both tools left the same organizations behind in every run."""
    samples: dict[str, dict[str, list[Sample]]] = {s.key: {"ours": [], "peer": []} for s in STEPS}
    same = True
    with served(files, REPO, limits.subscription, limits.speedup) as (sandbox, port):
        write_peer_config(files, port)
        for run in range(runs):
            ends = []
            for tool in tools(files, peer_dir):
                sandbox.reset(state=True)
                for step in STEPS:
                    log = files.root / f"{tool.key}-{step.key}-{run}.log"
                    sample = run_step(tool, step, files, port, sandbox, log)
                    samples[step.key][tool.key].append(sample)
                    print(
                        f"run {run + 1}/{runs} {tool.label:>16} {step.key:>8}: "
                        f"{sample.calls} calls, {sample.writes} writes, {sample.failed} failed, "
                        f"{sample.wall_s:.2f} s, exit {sample.exit_code}",
                        file=sys.stderr,
                    )
                    if sample.exit_code != 0:
                        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
                        print(tail, file=sys.stderr)
                ends.append(sandbox.organizations())
            same = same and ends[0] == ends[1]
    return samples, same


def medians(samples: list[Sample]) -> dict[str, Any]:
    """The median of every figure over the runs (calls by kind: of the first run)."""
    firsts = [s.first_call_s for s in samples if s.first_call_s is not None]
    return {
        "calls": statistics.median(s.calls for s in samples),
        "writes": statistics.median(s.writes for s in samples),
        "failed": statistics.median(s.failed for s in samples),
        "wall_s": statistics.median(s.wall_s for s in samples),
        "cpu_s": statistics.median(s.cpu_s for s in samples),
        "rss_mib": statistics.median(s.rss_mib for s in samples),
        "exit_codes": sorted({s.exit_code for s in samples}),
        "first_call_s": statistics.median(firsts) if firsts else None,
        "failures": samples[0].failures,
        "kinds": samples[0].kinds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__)
    parser.add_argument("--orgs", type=int, default=120, help="organizations (default 120)")
    parser.add_argument("--quick", action="store_true", help="one run instead of three")
    parser.add_argument("--peer-dir", type=Path, default=DEFAULT_PEER_DIR)
    parser.add_argument(
        "--limits",
        choices=("enterprise", "professional", "free"),
        default="enterprise",
        help="the subscription whose per-group limits the sandbox enforces (default enterprise)",
    )
    parser.add_argument(
        "--speedup",
        type=int,
        default=20,
        help="the sandbox's buckets refill this many times faster than Auth0's (default 20)",
    )
    args = parser.parse_args()
    if args.orgs < 1:
        parser.error("--orgs must be at least 1")
    runs = 1 if args.quick else 3
    node = node_version()
    version = peer_version(args.peer_dir, node)
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as folder:
        limits = Limits(args.limits, args.speedup)
        files = write_job(Path(folder), args.orgs, limits.subscription)
        samples, same = run_all(files, args.peer_dir.resolve(), runs, limits)
    results = {
        step.key: {
            tool: {"median": medians(found), "samples": [asdict(s) for s in found]}
            for tool, found in samples[step.key].items()
        }
        for step in STEPS
    }
    write_report(
        Machine.here(node), PEER_PACKAGE, version, args.orgs, runs, STEPS, results, same, limits
    )


if __name__ == "__main__":
    main()
