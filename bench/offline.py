"""Offline scale: load many organization files and diff them against a matching live state in
memory, with no API; CPU seconds and peak memory of a process of its own, medians of runs.
The same files again as a tenant extending a base (the roles and policy in `_shared`, a value
in every organization file), again unchanged since the last run (read from the cache of parsed
files a first run kept), and a quiet-day `drift --incremental` over them
(`bench.incremental_scale`). Figures from before the loading work are in `BASELINE`."""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.incremental_scale import incremental_scale
from bench.tenant import Shape, write_tenant

CPU_TARGET = 3.0
"""Seconds of CPU that loading and diffing 10,000 files of 50 members should stay under."""
RSS_TARGET = 600
"""Megabytes of peak memory the same should stay under."""
EXTENDS_MARGIN = 1.10
"""How much more the files extending a base may cost to load and diff than the plain ones."""
BASELINE = Path(__file__).with_name("offline_baseline.json")
"""The same scenarios measured before the start-up and loading work, on the same machine."""
KEYS = ("cpu", "load_cpu", "snapshot_cpu", "diff_cpu", "rss_mb")


def offline_scale(workdir: Path, orgs: int, members: int, runs: int) -> dict[str, Any]:
    """Write the files, then load and diff them in a child process `runs` times; the medians,
    of the plain files and of the same extending a base; then the quiet-day check."""
    shape = Shape(orgs, members, users=1000)
    tenant = write_tenant(workdir / "offline", shape)
    extending = write_extending(workdir / "tenants", shape)
    cache = workdir / "offline.parsed-files"
    _once(tenant, cache)  # keeps the files as parsed, for the runs of unchanged files
    plain, based, cached = [], [], []
    for _ in range(runs):  # in turn, so that all see the machine as it is
        plain.append(_once(tenant))
        based.append(_once(extending))
        cached.append(_once(tenant, cache))
    result = _medians(plain)
    result["extends"] = _medians(based)
    result["cached"] = _medians(cached)
    result["incremental"] = incremental_scale(tenant, workdir / "scale-state.json", runs)
    return {"orgs": orgs, "members": members, "runs": runs, **result}


def write_extending(tenants: Path, shape: Shape) -> Path:
    """The generated tenant as `tenants/offline-extends`, extending `tenants/_shared`: the
    base holds the roles and the policy, the tenant its domain and a value that every
    organization file puts into its email domain."""
    tenant = write_tenant(tenants / "offline-extends", shape)
    base = tenants / "_shared"
    base.mkdir(exist_ok=True)
    (tenant / "roles.yaml").rename(base / "roles.yaml")
    (base / "tenant.yaml").write_text("policy: {max_change_percent: 100}\n", encoding="utf-8")
    (tenant / "tenant.yaml").write_text(
        "extends: ../_shared\ndomain: sandbox\nvalues: {mail_domain: bench.example}\n",
        encoding="utf-8",
    )
    for path in (tenant / "organizations").iterdir():
        domain = f"[{path.stem}.bench.example]"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(domain, f'["{path.stem}.${{values.mail_domain}}"]'), "utf-8")
    return tenant


def _medians(measured: list[dict[str, Any]]) -> dict[str, Any]:
    median = {key: statistics.median(m[key] for m in measured) for key in KEYS}
    return {**median, "operations": measured[0]["operations"], "parser": measured[0]["parser"]}


def _once(tenant: Path, cache: Path | None = None) -> dict[str, Any]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.offline_run", str(tenant), *([str(cache)] if cache else [])],
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
    cached = offline.get("cached", offline)
    work, cached_work = _work(offline), _work(cached)
    runs = "one run" if offline["runs"] == 1 else f"medians of {offline['runs']} runs"
    lines = [
        "## Offline scale",
        "",
        f"Loading {offline['orgs']:,} organization files of {offline['members']} members and",
        f"diffing them against a matching live snapshot in memory, no API ({runs}, YAML parser:",
        f"{offline['parser'].replace('_', ' ')}); the files parsed, and the same files",
        "unchanged since a run before, read from the cache of parsed files it kept:",
        "",
        "| measure | files parsed | unchanged, from the cache | target |",
        "|---|---|---|---|",
        f"| CPU s, loading + diffing | {work:.2f} | {cached_work:.2f} | "
        f"{_against(work, CPU_TARGET, 's')} parsed, {_verdict(cached_work, CPU_TARGET)} "
        "from the cache |",
        f"| CPU s, loading | {offline['load_cpu']:.2f} | {cached['load_cpu']:.2f} | |",
        f"| CPU s, diffing | {offline['diff_cpu']:.2f} | {cached['diff_cpu']:.2f} | |",
        f"| CPU s, whole process (start, imports, building the snapshot: "
        f"{offline['snapshot_cpu']:.2f}) | {offline['cpu']:.2f} | {cached['cpu']:.2f} | |",
        f"| peak RSS MB, whole process | {offline['rss_mb']:.0f} | {cached['rss_mb']:.0f} | "
        f"{_against(max(offline['rss_mb'], cached['rss_mb']), RSS_TARGET, ' MB')} |",
        "",
        f"The plan found {offline['operations']} operations (the snapshot matches the files).",
        "",
    ]
    if "extends" in offline:
        lines += _extends_summary(offline, offline["extends"])
    if "incremental" in offline:
        lines += _incremental_summary(offline["incremental"])
    if BASELINE.is_file() and "extends" in offline and "incremental" in offline:
        lines += _against_baseline(offline, json.loads(BASELINE.read_text(encoding="utf-8")))
    return lines


def _extends_summary(plain: dict[str, Any], extending: dict[str, Any]) -> list[str]:
    work = plain["load_cpu"] + plain["diff_cpu"]
    based = extending["load_cpu"] + extending["diff_cpu"]
    verdict = "met" if based <= work * EXTENDS_MARGIN else "not met"
    return [
        "The same files as a tenant extending a base (`tenants/_shared` holds the roles and the",
        "policy; every organization file puts `${values.mail_domain}` into its email domain):",
        "",
        "| measure | plain files | extending a base | target |",
        "|---|---|---|---|",
        f"| CPU s, loading + diffing | {work:.2f} | {based:.2f} | "
        f"within {EXTENDS_MARGIN - 1:.0%} of the plain files: {verdict} |",
        f"| CPU s, loading | {plain['load_cpu']:.2f} | {extending['load_cpu']:.2f} | |",
        f"| CPU s, whole process | {plain['cpu']:.2f} | {extending['cpu']:.2f} | |",
        f"| peak RSS MB | {plain['rss_mb']:.0f} | {extending['rss_mb']:.0f} | |",
        "",
    ]


def _incremental_summary(incremental: dict[str, Any]) -> list[str]:
    return [
        "A quiet-day `reconciler drift --incremental` over the plain files, against a sandbox",
        f"served over HTTP whose state holds the {incremental['orgs']:,} organizations (built in",
        "its store directly) and a checkpoint taken after its last write: "
        f"{incremental['calls']} calls,",
        f"{incremental['cpu']:.2f} CPU s and {incremental['wall']:.2f} wall s for the whole "
        f"process, peak RSS {incremental['rss_mb']:.0f} MB; with the files unchanged since the "
        f"check before, read from the cache of parsed files: "
        f"{incremental.get('cached_cpu', incremental['cpu']):.2f} CPU s.",
        "",
    ]


def _against_baseline(offline: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Before and after the start-up and loading work: each CPU figure and their ratio."""
    before, after = baseline["offline"], offline
    rows = [
        ("offline: loading + diffing", _work(before), _work(after)),
        ("offline: whole process", before["cpu"], after["cpu"]),
        (
            "offline, files unchanged (from the cache): loading + diffing",
            _work(before),
            _work(after.get("cached", after)),
        ),
        (
            "offline, extending a base: loading + diffing",
            _work(before["extends"]),
            _work(after["extends"]),
        ),
        (
            "quiet-day incremental check: whole process",
            before["incremental"]["cpu"],
            after["incremental"]["cpu"],
        ),
        (
            "quiet-day incremental check, files unchanged (from the cache): whole process",
            before["incremental"]["cpu"],
            after["incremental"].get("cached_cpu", after["incremental"]["cpu"]),
        ),
    ]
    return [
        f"CPU before the start-up and loading work (commit {baseline['commit']}, "
        f"`{baseline['command']}` on {baseline['machine']}, {baseline['date']}) and now; the",
        "target is at least halving each (before, there was no cache: every file was parsed):",
        "",
        "| CPU s | before | now | now / before |",
        "|---|---|---|---|",
        *(f"| {name} | {was:.2f} | {now:.2f} | {now / was:.2f} |" for name, was, now in rows),
        "",
    ]


def _work(measured: dict[str, Any]) -> float:
    return float(measured["load_cpu"] + measured["diff_cpu"])


def _against(value: float, target: float, unit: str) -> str:
    return f"under {target:g}{unit}: {_verdict(value, target)}"


def _verdict(value: float, target: float) -> str:
    return "met" if value < target else "not met"
