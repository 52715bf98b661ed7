"""Offline scale: load many organization files and diff them against a matching live state in
memory, with no API; CPU seconds and peak memory of a process of its own, medians of runs."""

import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.tenant import Shape, write_tenant

CPU_TARGET = 3.0
"""Seconds of CPU that loading and diffing 10,000 files of 50 members should stay under."""
RSS_TARGET = 600
"""Megabytes of peak memory the same should stay under."""


def offline_scale(workdir: Path, orgs: int, members: int, runs: int) -> dict[str, Any]:
    """Write the files, then load and diff them in a child process `runs` times; the medians."""
    tenant = write_tenant(workdir / "offline", Shape(orgs, members, users=1000))
    measured = [_once(tenant) for _ in range(runs)]
    median = {
        key: statistics.median(m[key] for m in measured)
        for key in ("cpu", "load_cpu", "snapshot_cpu", "diff_cpu", "rss_mb")
    }
    return {
        "orgs": orgs,
        "members": members,
        "runs": runs,
        **median,
        "operations": measured[0]["operations"],
        "parser": measured[0]["parser"],
    }


def _once(tenant: Path) -> dict[str, Any]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.offline_run", str(tenant)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    report = dict(line.split("=", 1) for line in process.stdout.read().split())
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("the offline scale run failed")
    return {
        "cpu": usage.ru_utime + usage.ru_stime,
        "load_cpu": float(report["load_cpu"]),
        "snapshot_cpu": float(report["snapshot_cpu"]),
        "diff_cpu": float(report["diff_cpu"]),
        "operations": int(report["operations"]),
        "rss_mb": usage.ru_maxrss / 1024,
        "parser": report["parser"],
    }


def offline_summary(offline: dict[str, Any]) -> list[str]:
    """The offline scale section of RESULTS.md."""
    work = offline["load_cpu"] + offline["diff_cpu"]
    runs = "one run" if offline["runs"] == 1 else f"medians of {offline['runs']} runs"
    return [
        "## Offline scale",
        "",
        f"Loading {offline['orgs']:,} organization files of {offline['members']} members and",
        f"diffing them against a matching live snapshot in memory, no API ({runs}, YAML parser:",
        f"{offline['parser'].replace('_', ' ')}):",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| CPU s, loading + diffing | {work:.2f} | {_against(work, CPU_TARGET, 's')} |",
        f"| CPU s, loading | {offline['load_cpu']:.2f} | |",
        f"| CPU s, diffing | {offline['diff_cpu']:.2f} | |",
        f"| CPU s, whole process (start, imports, building the snapshot: "
        f"{offline['snapshot_cpu']:.2f}) | {offline['cpu']:.2f} | |",
        f"| peak RSS MB, whole process | {offline['rss_mb']:.0f} | "
        f"{_against(offline['rss_mb'], RSS_TARGET, ' MB')} |",
        "",
        f"The plan found {offline['operations']} operations (the snapshot matches the files).",
        "",
    ]


def _against(value: float, target: float, unit: str) -> str:
    verdict = "met" if value < target else "not met"
    return f"under {target:g}{unit}: {verdict}"
