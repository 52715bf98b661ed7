"""Which files of a tenant directory are read, and the limits every one of them must keep:
no link out of the tenant, only regular files, and a size a real tenant never needs."""

import os
import stat
from pathlib import Path

from reconciler.config.errors import ConfigError, ConfigErrors
from reconciler.config.layout import YAML_SUFFIXES
from reconciler.config.yaml_source import display_path, resolve_or_none
from reconciler.model.desired import Location

MAX_FILE_BYTES = 5 * 1024 * 1024
"""A tenant file's size limit, checked before it is read (the largest real organization file,
100,000 members, is about 4 MB)."""
MAX_MEMBERS = 1_000_000
"""Members all organization files may list together: ten times the members Auth0 allows one
organization by default, enough for 10,000 organizations of 100 (refused beyond, to bound
memory)."""


def organization_files(folder: Path) -> tuple[list[Path], list[str]]:
    """The organization files in `folder`, sorted, and a warning for each YAML-looking name
    that is skipped (hidden, or a suffix in other letter case)."""
    if not folder.is_dir():
        return [], []
    files, warnings = [], []
    for path in sorted(folder.iterdir(), key=lambda found: found.name):
        looks_like_yaml = path.suffix.lower() in YAML_SUFFIXES
        if not looks_like_yaml:
            continue
        if path.name.startswith("."):
            warnings.append(f"{display_path(path)}: skipped: names starting with . are not read")
        elif path.suffix not in YAML_SUFFIXES:
            warnings.append(
                f"{display_path(path)}: skipped: organization files end in .yaml or .yml "
                "(lowercase)"
            )
        else:
            files.append(path)
    return files, warnings


def check_file(path: Path, shown: str, tenant_root: Path, folder_inside: bool = True) -> None:
    """Refuse, before reading it, a file that leaves the tenant, is not a regular file or is
    too large; the message never quotes the file's content. `tenant_root` is the tenant
    directory resolved; `folder_inside` says whether the file's folder resolves inside it (only
    links, and files of a folder that does not, are resolved one by one)."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or not folder_inside:
            if not resolved(path, shown).is_relative_to(tenant_root):
                raise _refused(shown, "is a link to a file outside the tenant directory: refused")
            info = os.stat(path)
    except OSError as error:
        raise _refused(shown, f"cannot read the file: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise _refused(shown, "is not a regular file (a FIFO, device or directory): refused")
    if info.st_size > MAX_FILE_BYTES:
        raise _refused(
            shown,
            f"is {info.st_size:,} bytes, more than the {MAX_FILE_BYTES:,} a tenant file may have",
        )


def present(path: Path) -> bool:
    """Whether there is anything at `path`: a file, a folder, or a link, even one that leads
    nowhere or loops (which reading then refuses, instead of taking it for no file)."""
    return os.path.lexists(path)


def resolved(path: Path, shown: str) -> Path:
    """`path` with every link resolved; ConfigErrors for links that loop."""
    found = resolve_or_none(path)
    if found is None:
        raise _refused(shown, "is a link that loops: refused")
    return found


def _refused(shown: str, message: str) -> ConfigErrors:
    return ConfigErrors([ConfigError(Location(shown, 1, 1), message)])
