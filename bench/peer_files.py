"""The organizations-only job of the peer benchmark, written in both tools' file formats.

N organizations, each with a display name and one enabled connection whose flags are spelled
out (auth0-deploy-cli compares every flag and updates a connection whose flag is left out);
no members, because auth0-deploy-cli does not manage them. The one change renames the first
organization's display name.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CLIENT_ID = "bench-peers"
CLIENT_SECRET = "bench-peers-only-secret"  # a sandbox-only credential
TENANT = "bench"
CONNECTIONS = ["corp-ad", "partner-okta", "Username-Password-Authentication"]
STRATEGIES = {
    "corp-ad": "waad",
    "partner-okta": "okta",
    "Username-Password-Authentication": "auth0",
}
FLAGS = {"assign_membership_on_login": False, "show_as_button": True, "is_signup_enabled": False}
WORLD = {
    "management_client": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "scopes": "all"},
    "connections": [{"name": name, "strategy": STRATEGIES[name]} for name in CONNECTIONS],
    "clients": [{"name": "App", "app_type": "spa", "client_id": "bench-app"}],
}
TENANT_FILE = {
    "domain": "sandbox",
    "credentials": {"client_id_env": "AUTH0_CLIENT_ID", "client_secret_env": "AUTH0_CLIENT_SECRET"},
    "policy": {"max_change_percent": 100},
}


@dataclass(frozen=True)
class JobFiles:
    """Where each variant of the job lives: our tenant directories and the peer's YAML files
    (`base` is the job as created, `changed` has the one change)."""

    root: Path
    ours_base: Path
    ours_changed: Path
    peer_base: Path
    peer_changed: Path

    @property
    def tls_dir(self) -> Path:
        """Where the served sandbox writes its CA and certificate."""
        return self.root / "tls"

    @property
    def state_file(self) -> Path:
        """The served sandbox's state file."""
        return self.root / "state.json"

    @property
    def peer_config(self) -> Path:
        """The peer's configuration (written once the sandbox's port is known)."""
        return self.root / "peer" / "config.json"


def organization(index: int, changed: bool = False) -> dict[str, Any]:
    """Organization `index` of the job, in the fields both tools share."""
    suffix = " (renamed)" if changed else ""
    return {
        "name": f"org-{index:04d}",
        "display_name": f"Org {index:04d}{suffix}",
        "connections": [{"name": CONNECTIONS[index % len(CONNECTIONS)], **FLAGS}],
    }


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _ours(folder: Path, orgs: int, changed: bool, limits: str) -> Path:
    tenant = folder / TENANT
    _dump(tenant / "tenant.yaml", {**TENANT_FILE, "rate_limit": {"limits": limits}})
    _dump(tenant / "sandbox.yaml", WORLD)
    for index in range(orgs):
        org = organization(index, changed and index == 0)
        _dump(tenant / "organizations" / f"{org['name']}.yaml", org)
    return tenant


def _peer(path: Path, orgs: int, changed: bool) -> Path:
    _dump(path, {"organizations": [organization(i, changed and i == 0) for i in range(orgs)]})
    return path


def write_job(root: Path, orgs: int, limits: str) -> JobFiles:
    """Write the job for `orgs` organizations under `root`; our tenant.yaml says which
    subscription's `limits` the tenant has."""
    return JobFiles(
        root=root,
        ours_base=_ours(root / "ours" / "base", orgs, False, limits),
        ours_changed=_ours(root / "ours" / "changed", orgs, True, limits),
        peer_base=_peer(root / "peer" / "base.yaml", orgs, changed=False),
        peer_changed=_peer(root / "peer" / "changed.yaml", orgs, changed=True),
    )


def write_peer_config(files: JobFiles, port: int) -> Path:
    """The peer's config: the served sandbox, its client, organizations only, no deletes."""
    config = {
        "AUTH0_DOMAIN": f"127.0.0.1:{port}",
        "AUTH0_CLIENT_ID": CLIENT_ID,
        "AUTH0_CLIENT_SECRET": CLIENT_SECRET,
        "AUTH0_INCLUDED_ONLY": ["organizations"],
        "AUTH0_ALLOW_DELETE": False,
    }
    files.peer_config.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return files.peer_config
