"""`--changed-since REF`: which organizations of a tenant the files changed since a revision.

Reads `git diff --name-status -M REF` of the tenant directory (plus files Git does not track
yet): an added, modified, deleted or renamed organization file selects its organization (both
names of a rename); any other changed file of the tenant (tenant.yaml, roles.yaml, ...)
selects everything. The files of the base a tenant extends count as the tenant's own: a
changed organization file of the base selects its organization, any other file everything.
"""

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from reconciler.config.layout import ORGANIZATIONS_DIR, YAML_SUFFIXES


class ChangesError(Exception):
    """The revision or the repository cannot be read."""


@dataclass(frozen=True)
class Changes:
    """What changed in a tenant's files since a revision."""

    organizations: frozenset[str]
    """Organizations whose files were added, modified, deleted or renamed."""
    everything: bool
    """A tenant-wide file changed: plan every organization."""
    removed: bool
    """An organization file was deleted or renamed away, so its organization may now be
    unmanaged in Auth0: the organizations are listed to see it."""
    renamed: tuple[tuple[str, str], ...] = ()
    """(old, new) organization names of the files Git saw renamed."""
    modified: tuple[tuple[str, str], ...] = ()
    """(organization, path in the tenant) of the organization files modified."""

    @property
    def only(self) -> frozenset[str] | None:
        """The organizations to plan (None: all)."""
        return None if self.everything else self.organizations

    @property
    def list_all(self) -> bool:
        """Whether the plan lists every organization instead of reading the selected by name."""
        return self.everything or self.removed


def changed_since(tenant_dir: Path, ref: str, base: Path | None = None) -> Changes:
    """The changes to a tenant's files (and to those of its `base`) between `ref` and the
    working tree."""
    _git(tenant_dir, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=ref)
    entries = _changed(tenant_dir, ref)
    if base is not None:
        entries += _changed(base, ref)
    return classify(entries)


def _changed(directory: Path, ref: str) -> list[tuple[str, tuple[str, ...]]]:
    listed = _git(
        directory, "diff", "--name-status", "-z", "-M", "--relative", ref, "--", ".", what=ref
    )
    untracked = _git(
        directory, "ls-files", "--others", "--exclude-standard", "-z", "--", ".", what=ref
    )
    return _entries(listed) + [("A", (path,)) for path in _fields(untracked)]


def classify(entries: list[tuple[str, tuple[str, ...]]]) -> Changes:
    """Changes from (status, paths) pairs as `git diff --name-status` gives them (`M`, `A`,
    `D`, `R087` with the old and the new path), paths relative to the tenant directory."""
    names: set[str] = set()
    everything = removed = False
    renamed: list[tuple[str, str]] = []
    modified: list[tuple[str, str]] = []
    for status, paths in entries:
        kinds = [_classify_path(path) for path in paths]
        if status[0] == "R" and all(kind == "organization" for kind, _ in kinds):
            renamed.append((str(kinds[0][1]), str(kinds[1][1])))
        if status[0] == "M" and kinds[0][0] == "organization":
            modified.append((str(kinds[0][1]), paths[0]))
        for index, path in enumerate(paths):
            gone = status[0] == "D" or (status[0] == "R" and index == 0)
            kind, name = _classify_path(path)
            if kind == "organization" and name is not None:
                names.add(name)
                removed = removed or gone
            elif kind == "tenant":
                everything = True
    return Changes(frozenset(names), everything, removed, tuple(renamed), tuple(modified))


def removed_blocks(tenant_dir: Path, ref: str, changes: Changes) -> dict[str, tuple[str, ...]]:
    """Organization -> the top-level keys its file had at `ref` and lacks now, for each
    modified organization file (sorted)."""
    found: dict[str, tuple[str, ...]] = {}
    for org, path in changes.modified:
        if not (tenant_dir / path).is_file():  # a file of the base the tenant extends
            continue
        before = _keys(_git(tenant_dir, "show", f"{ref}:./{path}", what=ref))
        now = _keys((tenant_dir / path).read_text(encoding="utf-8"))
        if before - now:
            found[org] = tuple(sorted(before - now))
    return found


def _keys(text: str) -> set[str]:
    """The top-level keys of a YAML document (none when it is not a mapping)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return set()
    return {str(key) for key in data} if isinstance(data, dict) else set()


def _classify_path(path: str) -> tuple[str, str | None]:
    parts = PurePosixPath(path).parts
    if parts and parts[0] == ORGANIZATIONS_DIR:
        file = PurePosixPath(path)
        if len(parts) == 2 and file.suffix in YAML_SUFFIXES and not file.name.startswith("."):
            return "organization", file.stem
        return "ignored", None
    return "tenant", None


def _entries(output: str) -> list[tuple[str, tuple[str, ...]]]:
    """Parse `git diff --name-status -z`: a status, then one path (two for R and C)."""
    fields = _fields(output)
    entries: list[tuple[str, tuple[str, ...]]] = []
    index = 0
    while index < len(fields):
        status = fields[index][0]
        count = 2 if status in "RC" else 1
        entries.append((status, tuple(fields[index + 1 : index + 1 + count])))
        index += 1 + count
    return entries


def _fields(output: str) -> list[str]:
    return [field for field in output.split("\0") if field]


def _git(directory: Path, *args: str, what: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), *args],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise ChangesError("--changed-since needs git, which is not installed") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()
        reason = detail[-1] if detail else "not a revision of this repository"
        raise ChangesError(f"--changed-since {what}: {reason}")
    return done.stdout
