"""Running one reconciler command as its own process, measured: wall and CPU seconds, peak
memory, exit code and output."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.tenant import CLIENT_ID, CLIENT_SECRET


@dataclass(frozen=True)
class Measured:
    """One process's cost."""

    code: int
    wall: float
    cpu: float
    rss_mb: float
    stdout: str


def reconciler(tenant: Path, base: str, *args: str) -> Measured:
    """`reconciler ARGS --tenant TENANT --domain BASE`, with the bench's credentials."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "AUTH0_TOKEN"},
        "AUTH0_CLIENT_ID": CLIENT_ID,
        "AUTH0_CLIENT_SECRET": CLIENT_SECRET,
    }
    command = [sys.executable, "-m", "reconciler", *args, "--tenant", str(tenant)]
    command += ["--domain", base]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        cwd=tenant.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        process.returncode,
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        stdout,
    )
