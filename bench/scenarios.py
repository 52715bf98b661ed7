"""The scenarios `make bench` measures, as a table: each one a command, what prepares it, and
the calls the performance model says it needs. A set of scenarios is a function of the
running bench (`SETS`); add a scenario by adding a row to its set."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.run import Measured, reconciler
from bench.served import Served
from bench.tenant import CONNECTIONS, ROLES, Shape, org_name, user_id, write_org


@dataclass(frozen=True)
class Bench:
    """The generated tenant and the sandbox served for it."""

    workdir: Path
    tenant: Path
    served: Served
    shape: Shape

    def run(self, *args: str) -> Measured:
        """A reconciler command on the tenant against the served sandbox."""
        return reconciler(self.tenant, self.served.base, *args)


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Scenario:
    """One measured command: `prepare` runs unmeasured before each run."""

    name: str
    command: Callable[[], Measured]
    bound: int
    """The calls the performance model counts for it (docs/performance.md)."""
    minimal_writes: int = 0
    prepare: Callable[[], None] = _nothing
    repeated: bool = True
    """False: one run whatever `--runs` says (a long run, or one that changes the world)."""


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


def user_checks(user_ids: int) -> int:
    """Reads that check `user_ids` listed ids exist: one search per 50 from two on (each found),
    else a read by id."""
    return math.ceil(user_ids / 50) if user_ids > 1 else user_ids


def cold_writes(shape: Shape) -> int:
    """Minimal writes of a cold apply: each role and its permissions; per organization the
    create (connections inline), its discovery domain, member batches of 10, role calls."""
    per_org = 2 + math.ceil(shape.members / 10) + shape.members_with_roles
    return 2 * ROLES + shape.orgs * per_org


def cold_reads(shape: Shape) -> int:
    """Reads of a cold apply: before the writes, the listings, the searches for the listed
    user ids and the API of the new permissions; after them, the verification: every organization's
    members and the role list (the other writes are settled by their answers)."""
    before = 1 + 1 + 1 + user_checks(distinct_users(shape)) + 1
    return before + shape.orgs * pages(shape.members) + pages(ROLES)


def succeeded(name: str, measured: Measured, *codes: int) -> None:
    """A command run to set a scenario up; RuntimeError unless it exited with one of `codes`."""
    if measured.code not in codes:
        raise RuntimeError(f"{name}: exit {measured.code}\n{measured.stdout[-2000:]}")


def scan_scenarios(bench: Bench) -> list[Scenario]:
    """Cold apply, no-op plan, a 1% change planned and applied, drift after changes by hand."""
    shape, served, folder = bench.shape, bench.served, bench.tenant / "organizations"
    changed = max(1, shape.orgs // 100)

    def edit() -> None:
        for n in range(changed):
            write_org(folder, n, shape, f"Org {n} renamed")

    def unedit_and_change() -> None:
        for n in range(changed):
            write_org(folder, n, shape, f"Org {n}")
        succeeded("apply", bench.run("apply", "--yes"), 0)
        for n in range(10):
            org = served.request("GET", f"/api/v2/organizations/name/{org_name(n)}")
            served.request("PATCH", f"/api/v2/organizations/{org['id']}", {"display_name": "x"})

    def plan() -> Measured:
        return bench.run("plan")

    def apply() -> Measured:
        return bench.run("apply", "--yes")

    return [
        Scenario(
            f"cold apply, {shape.orgs} orgs x {shape.members} members",
            apply,
            cold_reads(shape) + cold_writes(shape),
            cold_writes(shape),
            prepare=served.reset_state,
            repeated=False,
        ),
        Scenario("no-op plan", plan, plan_bound(shape)),
        Scenario(f"plan of a 1% change ({changed} orgs)", plan, plan_bound(shape), prepare=edit),
        # The renames are settled by their answers: no verification reads.
        Scenario(
            f"apply of a 1% change ({changed} orgs)",
            apply,
            plan_bound(shape) + changed,
            changed,
            prepare=edit,
            repeated=False,
        ),
        Scenario(
            "drift after hand changes to 10 orgs",
            lambda: bench.run("drift"),
            plan_bound(shape),
            prepare=unedit_and_change,
        ),
    ]


def incremental_scenarios(bench: Bench) -> list[Scenario]:
    """`drift --incremental` on a quiet day and after 3 changes by someone else (a display
    name, a member removed, a connection disabled, in three organizations), and a full drift
    after the same changes. Each run starts from an apply (repairing the last run's changes)
    and a check that leaves the checkpoint right after it."""
    shape = bench.shape
    checkpoint = str(bench.workdir / "drift-checkpoint.json")
    hand = bench.served.as_client("bench-dashboard")
    changed = [org_name(n) for n in range(3)]
    removed = user_id(7 % shape.users)  # the second organization's first member (write_org)

    def incremental() -> Measured:
        return bench.run("drift", "--incremental", "--checkpoint", checkpoint)

    def repaired_and_checked() -> None:
        succeeded("apply", bench.run("apply", "--yes"), 0)
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
        Scenario(
            f"incremental drift, quiet day ({shape.orgs} orgs)",
            incremental,
            incremental_bound(shape, events=0, fields=0, parts=0, lookups=0),
            prepare=repaired_and_checked,
        ),
        Scenario(
            f"incremental drift after 3 changes by hand ({len(changed)} orgs)",
            incremental,
            # 3 writes in the log; the display name: 1 organization's fields; the member and
            # the connection: 2 organizations' parts; the removed member is looked up.
            incremental_bound(shape, events=3, fields=1, parts=2, lookups=1),
            prepare=three_changes,
        ),
        Scenario(
            "full drift after the same 3 changes",
            lambda: bench.run("drift"),
            plan_bound(shape) + 1,
            prepare=three_changes,
            repeated=False,
        ),
    ]


SETS: dict[str, Callable[[Bench], list[Scenario]]] = {
    "scan": scan_scenarios,
    "incremental": incremental_scenarios,
}
"""The sets of scenarios, in the order they run (each starts from the world the last left)."""
