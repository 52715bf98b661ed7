"""The scenarios of plans from the snapshot: after the sets before it (the snapshot is taken
by the first apply from it, which falls back to a full read), a merge that changes three
organization files and a merge that changes nothing in Auth0, each applied with
`apply --from-snapshot`."""

from bench.run import Measured
from bench.scenarios import Bench, Scenario, pages, succeeded
from bench.tenant import CONNECTIONS, ROLES, Shape, write_org

CHANGED = 3


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


def snapshot_scenarios(bench: Bench) -> list[Scenario]:
    """Each run starts from an apply from the snapshot that leaves Auth0 and the snapshot as
    the files say (undoing the last run's merge)."""
    shape, folder = bench.shape, bench.tenant / "organizations"
    snapshot = str(bench.workdir / f"snapshot-{bench.tenant.name}.json")

    def from_snapshot() -> Measured:
        return bench.run("apply", "--yes", "--from-snapshot", "--snapshot", snapshot)

    def files(display: str) -> None:
        for n in range(CHANGED):
            write_org(folder, n, shape, display.format(n=n))

    def applied() -> None:
        files("Org {n}")
        succeeded("apply --from-snapshot", from_snapshot(), 0)

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
        Scenario(
            f"merge of {CHANGED} organization files, applied from the snapshot",
            from_snapshot,
            merge_bound(shape, CHANGED, events=CHANGED),
            CHANGED,
            prepare=three_files,
        ),
        Scenario(
            "merge that changes nothing in Auth0, applied from the snapshot",
            from_snapshot,
            merge_bound(shape, 0, events=CHANGED),
            prepare=nothing_in_auth0,
        ),
    ]
