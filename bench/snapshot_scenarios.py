"""The scenarios of plans from the snapshot: after a cold apply (from the snapshot, which
falls back to a full read and keeps one), a merge that changes three organization files and
a merge that changes nothing in Auth0, each applied with `apply --from-snapshot`."""

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bench.run import Measured, reconciler
from bench.served import Served
from bench.tenant import CONNECTIONS, ROLES, Shape, write_org

CHANGED = 3
R = TypeVar("R")
Measure = Callable[
    [str, Served, int, Callable[[], None], Callable[[], Measured], int, int, float], R
]
"""The bench's `measure`: name, sandbox, runs, set-up, command, bound, minimal writes, rate."""


def pages(count: int) -> int:
    """Requests to list `count` items in pages of 100."""
    return max(1, -(-count // 100))


def organization_reads(shape: Shape) -> int:
    """Reads of one generated organization's parts: members, enabled connections, discovery
    domains (a full last page of members is followed by an empty one)."""
    return shape.members // 100 + 1 + 2


def log_reads(events: int) -> int:
    """The checkpoint's event, then the log since in pages of 100 (a short page ends it)."""
    return 1 + events // 100 + 1


def merge_bound(shape: Shape, orgs: int, events: int) -> int:
    """Calls of a merge that changes the display name of `orgs` organizations, applied from
    the snapshot (docs/performance.md): the log (`events` since the snapshot) and the role
    list; each organization's fields and parts, and the connection list; one write each;
    the verification's read-back: the organizations looked up by name, or listed when that
    takes fewer calls, their parts, the connections, the roles and each managed role's
    permissions."""
    if not orgs:
        return log_reads(events) + pages(ROLES)
    read = orgs * (1 + organization_reads(shape)) + pages(CONNECTIONS)
    found = min(orgs, pages(shape.orgs))
    verify = found + orgs * organization_reads(shape) + pages(CONNECTIONS) + pages(ROLES) + ROLES
    return log_reads(events) + pages(ROLES) + read + orgs + verify


def snapshot_scenarios(
    workdir: Path,
    tenant: Path,
    served: Served,
    shape: Shape,
    rate: float,
    runs: int,
    measure: Measure[R],
) -> list[R]:
    """Each run starts from an apply from the snapshot that leaves Auth0 and the snapshot as
    the files say (undoing the last run's merge)."""
    base = served.base
    snapshot = str(workdir / "snapshot.json")
    folder = tenant / "organizations"

    def from_snapshot() -> Measured:
        return reconciler(tenant, base, "apply", "--yes", "--from-snapshot", "--snapshot", snapshot)

    def files(display: str) -> None:
        for n in range(CHANGED):
            write_org(folder, n, shape, display.format(n=n))

    def applied() -> None:
        files("Org {n}")
        done = from_snapshot()
        if done.code != 0:
            raise RuntimeError(f"apply --from-snapshot: exit {done.code}\n{done.stdout[-2000:]}")

    def three_files() -> None:
        applied()
        files("Org {n} merged")

    def nothing_in_auth0() -> None:
        applied()
        with (folder / "org-00000.yaml").open("a", encoding="utf-8") as text:
            text.write("# a comment: the same organization\n")

    # The unmeasured apply before each run writes the 3 display names back: its own writes
    # are the log's events since the snapshot.
    return [
        measure(
            f"merge of {CHANGED} organization files, applied from the snapshot",
            served,
            runs,
            three_files,
            from_snapshot,
            merge_bound(shape, CHANGED, events=CHANGED),
            CHANGED,
            rate,
        ),
        measure(
            "merge that changes nothing in Auth0, applied from the snapshot",
            served,
            runs,
            nothing_in_auth0,
            from_snapshot,
            merge_bound(shape, 0, events=CHANGED),
            0,
            rate,
        ),
    ]
