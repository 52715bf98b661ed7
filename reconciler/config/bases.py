"""Bases: folders under `tenants/` whose files several tenants share (`extends:` in a tenant's
tenant.yaml names one). A base's name starts with `_`, so it is never taken for a tenant."""

import os
from pathlib import Path

from reconciler.config.errors import ConfigError, ConfigErrors, quoted
from reconciler.config.layout import TENANT_FILE
from reconciler.config.yaml_source import YamlDocument, read_yaml, resolve_or_none

BASE_PREFIX = "_"
EXTENDS = "extends"
VALUES = "values"


def is_base(directory: Path) -> bool:
    """Whether `directory` is a base (its name starts with `_`), not a tenant."""
    return Path(os.path.abspath(directory)).name.startswith(BASE_PREFIX)


def base_directory(tenant_dir: Path, tenant: YamlDocument) -> tuple[Path | None, list[ConfigError]]:
    """The base that a tenant's tenant.yaml `extends` (None when it extends none), or the
    error at `extends` when it names no base."""
    written = tenant.data.get(EXTENDS)
    if written is None:
        return None, []
    where = tenant.source.value_at((EXTENDS,))
    if not isinstance(written, str) or not written:
        return None, [ConfigError(where, f"{EXTENDS}: must be the path of a base folder")]
    directory = Path(os.path.normpath(tenant_dir / written))
    found = resolve_or_none(directory)
    if found is None or not found.is_dir():
        return None, [ConfigError(where, f"{EXTENDS}: no folder {quoted(written)}")]
    if not found.name.startswith(BASE_PREFIX):
        message = f'{EXTENDS}: a base folder\'s name starts with "{BASE_PREFIX}"'
        message += f" (got {quoted(written)})"
        return None, [ConfigError(where, message)]
    return directory, []


def extending(base: Path, tenants_dir: Path) -> list[Path]:
    """The tenant folders under `tenants_dir` whose tenant.yaml extends `base`, sorted. Read
    with a look at `extends:` only; loading the tenant checks everything else."""
    target = resolve_or_none(base)
    found = []
    for folder in sorted(tenants_dir.iterdir()) if tenants_dir.is_dir() else []:
        if folder.name.startswith((BASE_PREFIX, ".")) or not folder.is_dir():
            continue
        written = _extends_of(folder / TENANT_FILE)
        if written is not None and resolve_or_none(folder / written) == target:
            found.append(folder)
    return found


def _extends_of(path: Path) -> str | None:
    """What a tenant.yaml's `extends` says, or None (also for a file that does not load)."""
    try:
        written = read_yaml(path).data.get(EXTENDS) if path.is_file() else None
    except ConfigErrors:
        return None
    return written if isinstance(written, str) and written else None
