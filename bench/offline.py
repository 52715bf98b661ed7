"""Offline scale: load many organization files and diff them against a matching live state in
memory, with no API; CPU seconds and peak memory of a process of its own."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.tenant import Shape, write_tenant


def offline_scale(workdir: Path, orgs: int, members: int) -> dict[str, Any]:
    """Write the files, then load and diff them in a child process; its measured cost."""
    tenant = write_tenant(workdir / "offline", Shape(orgs, members, users=1000))
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
        "orgs": orgs,
        "members": members,
        "cpu": usage.ru_utime + usage.ru_stime,
        "load_cpu": float(report["load_cpu"]),
        "diff_cpu": float(report["diff_cpu"]),
        "operations": int(report["operations"]),
        "rss_mb": usage.ru_maxrss / 1024,
        "parser": report["parser"],
    }
