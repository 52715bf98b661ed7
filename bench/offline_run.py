"""The child of the offline scale test: load a tenant directory (with the cache of parsed
files at the second argument, when there is one), build the live state that matches it, diff,
and print what it cost (`key=value` lines)."""

import sys
import time
from pathlib import Path

import yaml

from reconciler.collection import paused_collection
from reconciler.config import yaml_fast
from reconciler.config.loader import load_tenant_files
from reconciler.config.parse_cache import ParseCache
from reconciler.model.desired import Desired
from reconciler.model.live import (
    LiveConnection,
    LiveDomain,
    LiveEnabledConnection,
    LiveMember,
    LiveOrganization,
    LiveRole,
    Snapshot,
)
from reconciler.resources import diff


def matching(desired: Desired) -> Snapshot:
    """The live state in which every file is already true."""
    roles = {
        name: LiveRole(f"rol_{name}", name, role.description, role.permission_pairs())
        for name, role in desired.roles.items()
    }
    connections: dict[str, LiveConnection] = {}
    organizations = {}
    for name, org in desired.organizations.items():
        links = {}
        for conn in org.connections or []:
            connections.setdefault(
                conn.name, LiveConnection(f"con_{conn.name}", conn.name, "auth0")
            )
            links[conn.name] = LiveEnabledConnection(f"con_{conn.name}", conn.name)
        members = tuple(
            LiveMember(
                m.user_id or "",
                roles=tuple((f"rol_{r}", r) for r in m.roles or ()),
            )
            for m in org.members or []
        )
        domains = (
            {
                d: LiveDomain(f"dd_{d}", d, "verified", True)
                for d in (org.routing.discovery_domains or [])
                if org.routing
            }
            if org.routing
            else {}
        )
        organizations[name] = LiveOrganization(
            id=f"org_{name}",
            name=name,
            display_name=org.display_name,
            members=members,
            connections=links,
            domains=domains,
        )
    return Snapshot(organizations=organizations, roles=roles, connections=connections)


def main() -> None:
    """Load, diff, report."""
    started = time.process_time()
    cache = ParseCache(Path(sys.argv[2])) if len(sys.argv) > 2 else None
    desired = load_tenant_files(Path(sys.argv[1]), cache).desired
    loaded = time.process_time()
    with paused_collection():
        live = matching(desired)
    matched = time.process_time()
    plan = diff(desired, live)
    diffed = time.process_time()
    parser = "libyaml (C)" if getattr(yaml, "__with_libyaml__", False) else "pure Python"
    if yaml_fast.available():
        parser = f"yaml-rs for plain files, PyYAML with {parser} for the others"
    print(f"load_cpu={loaded - started:.3f}")
    print(f"snapshot_cpu={matched - loaded:.3f}")
    print(f"diff_cpu={diffed - matched:.3f}")
    print(f"operations={len(plan.operations)}")
    print(f"parser={parser.replace(' ', '_')}")


if __name__ == "__main__":
    main()
