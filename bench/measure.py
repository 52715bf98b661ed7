"""Running one tool invocation as a child process: exit code, wall, CPU and peak RSS."""

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 1800.0


@dataclass(frozen=True)
class Usage:
    """What one child process cost: `cpu_s` is user + system time, `rss_mib` its peak
    resident set (the largest of it and the descendants it waited for)."""

    exit_code: int
    started_at: float
    wall_s: float
    cpu_s: float
    rss_mib: float


def _rss_mib(maxrss: int) -> float:
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def run(argv: list[str], env: dict[str, str], cwd: Path, log: Path) -> Usage:
    """Run `argv` with its output in `log`, and read its resource use with wait4, which
    reports that one child alone (unlike the running totals of RUSAGE_CHILDREN)."""
    with log.open("wb") as output:
        started_at = time.time()
        started = time.perf_counter()
        process = subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        timer = threading.Timer(TIMEOUT, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Usage(
        exit_code=process.returncode,
        started_at=started_at,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        rss_mib=_rss_mib(usage.ru_maxrss),
    )
