"""Where things are: the files and folders of a tenant directory, and the local folders the
commands keep state in (relative to the directory they run in)."""

from pathlib import Path

from reconciler.config.tenant_id import TenantId

TENANTS_DIR = Path("tenants")
"""The folder whose subfolders are the tenants `--tenant NAME` names."""
SCHEMAS_DIR = Path("schemas")
"""Where the JSON Schemas of the tenant files are written."""

TENANT_FILE = "tenant.yaml"
ROLES_FILE = "roles.yaml"
APPLICATIONS_FILE = "applications.yaml"
CONNECTIONS_FILE = "connections.yaml"
SSO_PROFILES_FILE = "sso-profiles.yaml"
WORLD_FILE = "sandbox.yaml"
"""The embedded sandbox's world: not desired state."""
ORGANIZATIONS_DIR = "organizations"
YAML_SUFFIXES = (".yaml", ".yml")

SANDBOX_STATE_DIR = Path(".sandbox")
"""The embedded sandbox's state, one file per tenant."""
SANDBOX_TLS_DIR = SANDBOX_STATE_DIR / "tls"
"""The CA and certificate of a sandbox served over HTTPS."""
RECORDS_DIR = Path(".reconciler")
"""Apply journals and drift checkpoints, one file per tenant and target; the cache of each
tenant's parsed organization files."""


def parsed_files_file(records_dir: Path, tenant: TenantId) -> Path:
    """Where a tenant's organization files are kept as parsed, for the next command."""
    return records_dir / f"{tenant.name}.parsed-files"


def sandbox_state_file(state_dir: Path, tenant: TenantId) -> Path:
    """Where the embedded sandbox of a tenant keeps its state between commands."""
    return state_dir / f"{tenant.name}.json"
