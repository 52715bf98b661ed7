"""Tenant files as a person writes them: the schema comment on top, keys in the schema's order,
unset fields left out, short lists and maps of plain values inline, nothing overwritten
without being asked to, and nothing written outside the tenant directory."""

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from reconciler.config.layout import ORGANIZATIONS_DIR, ROLES_FILE, SCHEMAS_DIR, YAML_SUFFIXES
from reconciler.config.yaml_source import display_path, resolve_or_none
from reconciler.model import Organization, Role, RolesFile
from reconciler.safe_text import inert

INLINE_WIDTH = 88
"""A list or map of plain values is written inline when it fits in this many characters."""
INLINE_MAPS = frozenset({"metadata", "colors"})
"""Maps of plain values written inline when they fit (other maps are blocks)."""
HEADER = "# Imported from Auth0 by `reconciler import`; edit it like any other file."


class WriteRefused(Exception):
    """A file that may not be written: it exists and overwriting it was not asked for, or it
    would land outside the tenant directory or on something other than a regular file."""


@dataclass(frozen=True)
class FileText:
    """A file to write and why (`created`, `overwritten` or `extended`); `destination` is
    where `path` leads, checked to lie inside the tenant directory."""

    path: Path
    text: str
    change: str
    destination: Path


class _Inline(list[Any]):
    """A list written inline: `[a, b]`."""


class _InlineMap(dict[str, Any]):
    """A map written inline: `{a: 1}`."""


class _Dumper(yaml.SafeDumper):
    """Block style with list items indented under their key, as the example files are."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _inline_list(dumper: yaml.SafeDumper, data: _Inline) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _inline_map(dumper: yaml.SafeDumper, data: _InlineMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


_Dumper.add_representer(_Inline, _inline_list)
_Dumper.add_representer(_InlineMap, _inline_map)


def to_yaml(data: dict[str, Any]) -> str:
    """A mapping as block YAML, with short lists and maps of plain values inline."""
    return yaml.dump(
        _styled(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,
    )


def _styled(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        children = {str(k): _styled(v, str(k)) for k, v in value.items()}
        if key in INLINE_MAPS and _plain(value.values()) and _fits(value):
            return _InlineMap(children)
        return children
    if isinstance(value, list):
        if _plain(value) and _fits(value):
            return _Inline(value)
        return [_styled(v) for v in value]
    return value


def _plain(values: Any) -> bool:
    return all(not isinstance(v, dict | list) for v in values)


def _fits(value: Any) -> bool:
    text = yaml.dump(value, Dumper=yaml.SafeDumper, default_flow_style=True, width=4096)
    return len(text.strip()) <= INLINE_WIDTH


def model_data(model: BaseModel) -> dict[str, Any]:
    """A model's fields in the schema's order, those left at their default left out."""
    return model.model_dump(mode="json", exclude_defaults=True)


def file_text(path: Path, schema: str, data: dict[str, Any]) -> str:
    """A tenant file: the schema comment, a line saying where it came from, the YAML."""
    reference = Path(os.path.relpath(Path.cwd() / SCHEMAS_DIR / schema, path.parent.absolute()))
    return f"# yaml-language-server: $schema={reference.as_posix()}\n{HEADER}\n{to_yaml(data)}"


def organization_path(tenant_dir: Path, name: str) -> Path:
    """The file of an organization: the existing one (.yaml or .yml), else `<name>.yaml`."""
    folder = tenant_dir / ORGANIZATIONS_DIR
    for suffix in YAML_SUFFIXES:
        if (folder / f"{name}{suffix}").exists():
            return folder / f"{name}{suffix}"
    return folder / f"{name}.yaml"


def import_files(
    tenant_dir: Path,
    tenant_roles: dict[str, Role],
    organizations: dict[str, Organization],
    roles: dict[str, Role],
    *,
    force: bool,
    others: dict[str, str] | None = None,
) -> list[FileText]:
    """The files an import writes: one per organization, and `roles` added to roles.yaml
    (`tenant_roles` are the roles it holds now). Raise WriteRefused, before anything is
    written, for a file that exists unless `force` and for a path that leads outside the
    tenant directory (through a link, of the file or of its folder) or to anything but a
    regular file; roles.yaml is extended in place when its roles are a block mapping, else
    rewritten only with `force`. `others` are further files by path in the tenant (adopted
    connections' certificates), written as they are."""
    root = tenant_dir.resolve()
    files: list[FileText] = []
    for name, org in sorted(organizations.items()):
        path = organization_path(tenant_dir, name)
        destination = writable(path, root)
        if destination.exists() and not force:
            raise WriteRefused(f"{_shown(path)} exists: pass --force to overwrite it")
        text = file_text(path, "organization.schema.json", model_data(org))
        change = "overwritten" if destination.exists() else "created"
        files.append(FileText(path, text, change, destination))
    if roles:
        path = tenant_dir / ROLES_FILE
        files.append(_roles_file(path, writable(path, root), tenant_roles, roles, force=force))
    for relative, text in sorted((others or {}).items()):
        path = tenant_dir / relative
        destination = writable(path, root)
        if destination.exists() and not force:
            raise WriteRefused(f"{_shown(path)} exists: pass --force to overwrite it")
        change = "overwritten" if destination.exists() else "created"
        files.append(FileText(path, text, change, destination))
    return files


def writable(path: Path, tenant_root: Path) -> Path:
    """Where writing `path` would write, every link resolved; WriteRefused unless its folder
    lies inside `tenant_root` (the tenant directory, resolved) and it is a regular file or
    nothing yet."""
    destination = resolve_or_none(path)
    if destination is None:
        raise WriteRefused(f"{_shown(path)}: is a link that loops: refused")
    if not destination.parent.is_relative_to(tenant_root):
        raise WriteRefused(
            f"{_shown(path)}: leads outside the tenant directory (to {_shown(destination)}) "
            "through a link: refused"
        )
    try:
        info = os.stat(destination)
    except FileNotFoundError:
        return destination
    except OSError as error:
        raise WriteRefused(f"{_shown(path)}: cannot be written: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(
            f"{_shown(path)}: is not a regular file (a FIFO, device or directory): refused"
        )
    return destination


def _shown(path: Path) -> str:
    return inert(display_path(path))


def _roles_file(
    path: Path,
    destination: Path,
    existing: dict[str, Role],
    roles: dict[str, Role],
    *,
    force: bool,
) -> FileText:
    everything = RolesFile(roles={**existing, **roles})
    if not destination.exists():
        text = file_text(path, "roles.schema.json", model_data(everything))
        return FileText(path, text, "created", destination)
    old = destination.read_text(encoding="utf-8")
    extended = _extend_roles(old, roles)
    if extended is not None:
        return FileText(path, extended, "extended", destination)
    if not force:
        raise WriteRefused(
            f"{_shown(path)}: cannot add {len(roles)} roles to its `roles` in place: "
            "pass --force to rewrite the file"
        )
    text = file_text(path, "roles.schema.json", model_data(everything))
    return FileText(path, text, "overwritten", destination)


def _extend_roles(text: str, roles: dict[str, Role]) -> str | None:
    """`text` with `roles` appended to its block mapping `roles:`, or None when it has none
    (or the result would not read back as the old roles plus the new)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        before = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or not isinstance(before, dict):
        return None
    keys = [getattr(key, "value", None) for key, _ in root.value]
    if keys != ["roles"]:
        return None
    mapping = root.value[0][1]
    if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style or not mapping.value:
        return None
    indent = " " * mapping.value[0][0].start_mark.column
    block = to_yaml({name: model_data(role) for name, role in roles.items()})
    added = "".join(f"{indent}{line}\n" if line else "\n" for line in block.splitlines())
    result = text + ("" if text.endswith("\n") else "\n") + added
    try:
        after = yaml.safe_load(result)
    except yaml.YAMLError:
        return None
    expected = [*before["roles"], *roles]
    if not isinstance(after, dict) or list(after.get("roles") or {}) != expected:
        return None
    return result


def write_files(files: list[FileText]) -> None:
    """Write the files at their checked destinations, creating folders as needed; a link put
    in a destination's place since it was checked is not followed."""
    for file in files:
        file.destination.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_NONBLOCK
        descriptor = os.open(file.destination, flags, 0o644)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as out:
            out.write(file.text)
