"""The identity of a tenant's files: a digest of what they say, to bind plans to them."""

import hashlib
from pathlib import Path

from reconciler.config.layout import WORLD_FILE, YAML_SUFFIXES


def tenant_files_digest(tenant_dir: Path) -> str:
    """A digest of every YAML file of the tenant directory (names and bytes), except the
    embedded sandbox's world, which is not desired state."""
    digest = hashlib.sha256()
    for path in sorted(tenant_dir.rglob("*")):
        if path.suffix.lower() not in YAML_SUFFIXES or path.name == WORLD_FILE:
            continue
        if not path.is_file():
            continue
        digest.update(path.relative_to(tenant_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
