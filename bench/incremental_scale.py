"""A quiet-day `drift --incremental` at scale: a served sandbox whose state holds the files'
organizations (built in its store directly, not through the API, which would take hours at
10,000 organizations), a checkpoint written as a check would have left it, and the check
measured as its own process: 3 calls, so its cost is starting up and loading the files."""

import statistics
import time
from pathlib import Path
from typing import Any

from bench.limits import BenchLimits
from bench.run import Measured, reconciler
from bench.served import serving
from reconciler.auth0.target import resolve_target
from reconciler.config.layout import RECORDS_DIR, parsed_files_file
from reconciler.config.loader import load_tenant
from reconciler.config.tenant_id import TenantId
from reconciler.drift.checkpoint import Checkpoint, digests_of, write_checkpoint
from reconciler.model.desired import Desired
from reconciler.model.subscription import Subscription
from reconciler.sandbox import OrgConnection, Sandbox

SCALE_LIMITS = BenchLimits(Subscription.ENTERPRISE, 20)
"""The limits the check runs under: its 3 calls fit within every burst, so they cost no wait."""
QUIET_DAY_CALLS = 3
"""The checkpoint's event, one page of the log since, the role list (docs/performance.md)."""


def matching_state(tenant: Path, desired: Desired, state_file: Path) -> dict[str, str]:
    """Write the sandbox state in which every file of `tenant` is already true; the
    organizations' ids by name."""
    sandbox = Sandbox.from_world_file(tenant / "sandbox.yaml", state_file=state_file)
    store = sandbox.store
    roles = {}
    for name, role in desired.roles.items():
        roles[name] = store.create_role(name, role.description).id
        store.add_role_permissions(roles[name], sorted(role.permission_pairs()))
    connections = {}
    ids = {}
    for name, org in desired.organizations.items():
        links = []
        for conn in org.connections or []:
            if conn.name not in connections:
                found = store.connection_by_name(conn.name)
                assert found is not None, conn.name
                connections[conn.name] = found["id"]
            links.append(OrgConnection(connections[conn.name]))
        created = store.create_organization(name, org.display_name, enabled_connections=links)
        members = org.members or []
        store.add_members(created.id, [m.user_id or "" for m in members])
        for member in members:
            if member.roles:
                assigned = [roles[r] for r in member.roles]
                store.assign_member_roles(created.id, member.user_id or "", assigned)
        ids[name] = created.id
    sandbox.save()
    return ids


def incremental_scale(tenant: Path, state_file: Path, runs: int) -> dict[str, Any]:
    """Serve a sandbox matching `tenant`'s files, leave a checkpoint right after its last
        write, and run `drift --incremental` `runs` times with every file parsed, each followed by a
    run with the files read from the cache of parsed files the one before kept; CPU medians."""
    desired = load_tenant(tenant)
    ids = matching_state(tenant, desired, state_file)
    checkpoint = state_file.with_name("scale-checkpoint.json")
    with serving(tenant, SCALE_LIMITS, latency_ms=30, state=state_file) as served:
        first = next(iter(ids.values()))
        # One write of the reconciler's own client, so that the log has an event to start at.
        served.request("PATCH", f"/api/v2/organizations/{first}", {"display_name": "Org 0"})
        newest = served.request("GET", "/api/v2/logs?page=0&per_page=1&sort=date:-1")
        now = time.time()
        write_checkpoint(
            checkpoint,
            Checkpoint(
                tenant=desired.tenant_name,
                target=resolve_target(served.base).label,
                log_id=str(newest[0]["log_id"]),
                read_at=now,
                full_scan_at=now,
                organizations={org_id: name for name, org_id in ids.items()},
                roles={
                    role["id"]: (role["name"], None)
                    for role in served.request("GET", "/api/v2/roles?per_page=100")
                },
                digests=digests_of(desired),
            ),
        )
        served.calls()
        cache = parsed_files_file(tenant.parent / RECORDS_DIR, TenantId.of_directory(tenant))
        measured: list[Measured] = []
        cached: list[Measured] = []
        for _ in range(runs):
            cache.unlink(missing_ok=True)  # every file parsed, then read from the cache it kept
            for runs_of in (measured, cached):
                runs_of.append(_check(tenant, served.base, checkpoint))
                calls = len(served.calls())
                if calls != QUIET_DAY_CALLS:
                    message = f"the quiet-day check made {calls} calls, not {QUIET_DAY_CALLS}"
                    raise RuntimeError(message)
    return {
        "orgs": len(ids),
        "calls": QUIET_DAY_CALLS,
        "cpu": statistics.median(m.cpu for m in measured),
        "cached_cpu": statistics.median(m.cpu for m in cached),
        "wall": statistics.median(m.wall for m in measured),
        "rss_mb": statistics.median(m.rss_mb for m in measured),
    }


def _check(tenant: Path, base: str, checkpoint: Path) -> Measured:
    """One quiet-day `drift --incremental`."""
    run = reconciler(tenant, base, "drift", "--incremental", "--checkpoint", str(checkpoint))
    if run.code != 0 or "Incremental:" not in run.stdout:
        raise RuntimeError(f"the quiet-day check failed: exit {run.code}\n{run.stdout}")
    return run
