"""Finding a tenant's directory from `--tenant NAME|PATH`."""

import os
from pathlib import Path

from reconciler.config.layout import TENANTS_DIR


class TenantNotFoundError(LookupError):
    """`--tenant` names no tenant directory, or it was omitted and the choice is not clear."""


def list_tenants(tenants_dir: Path = TENANTS_DIR) -> list[str]:
    """The names of the tenant directories under `tenants_dir`, sorted (not the bases, whose
    names start with `_`)."""
    if not tenants_dir.is_dir():
        return []
    return sorted(
        p.name for p in tenants_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )


def resolve_tenant(spec: str | None, tenants_dir: Path = TENANTS_DIR) -> Path:
    """The directory of the tenant `spec`: a name under `tenants_dir` or a path to a directory.

    Without `spec`, the only tenant under `tenants_dir`. Raise `TenantNotFoundError` otherwise.
    """
    names = list_tenants(tenants_dir)
    known = (
        f"tenants under {tenants_dir}/: {', '.join(names)}"
        if names
        else f"no tenants under {tenants_dir}/"
    )
    if spec is None:
        if len(names) == 1:
            return tenants_dir / names[0]
        if names:
            raise TenantNotFoundError(f"choose a tenant with --tenant NAME|PATH ({known})")
        raise TenantNotFoundError(f"no tenant found: pass --tenant PATH ({known})")
    is_path = "/" in spec or os.sep in spec or spec in (".", "..")
    if not is_path and (tenants_dir / spec).is_dir():
        return tenants_dir / spec
    if Path(spec).is_dir():
        return Path(spec)
    if Path(spec).exists():
        raise TenantNotFoundError(f"{spec} is not a directory: pass a tenant's directory")
    if is_path:
        raise TenantNotFoundError(f"tenant directory {spec} does not exist")
    raise TenantNotFoundError(f'no tenant "{spec}" ({known})')
