"""What the fast path read of organization files, kept between runs by the digest of each
file's bytes: an unchanged file is read from the cache (a third of the CPU of parsing it and
checking that YAML 1.1 reads it alike), a changed or new one is parsed and kept.

The cache is one text file: a line naming the format and the parsers' versions (a cache of
other versions is not used), then a line per file, its digest and its values in JSON. Lines
are parsed only for the files asked for, and written back as they were read; the files not
asked for in a run are dropped. Only values of the fast path are kept (strings, booleans,
null, lists, mappings: what JSON holds exactly); a file PyYAML reads is never cached.
"""

import hashlib
import json
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import yaml

from reconciler.config.yaml_fast import Read, available, fast_mapping

FORMAT = 1
"""The version of the cache's own format and of the fast path's rules: raised when either
changes, so that no file is read as an older rule read it."""


def _header() -> str:
    """The first line of a cache the running code may use."""
    parser = metadata.version("yaml-rs") if available() else "none"
    python = ".".join(map(str, sys.version_info[:2]))
    return f"parsed files {FORMAT} yaml-rs {parser} pyyaml {yaml.__version__} python {python}"


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


class ParseCache:
    """The cache kept at `path` (none yet, unreadable or of other versions: an empty one)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._header = _header()
        self._kept = self._lines()
        self._used: dict[str, str] = {}
        self._changed = False

    def _lines(self) -> dict[str, str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return {}
        header, _, rest = text.partition("\n")
        if header != self._header:
            return {}
        lines = {}
        for line in rest.splitlines():
            digest, _, values = line.partition(" ")
            lines[digest] = values
        return lines

    def fast_mapping(self, text: str, raw: bytes) -> Read | None:
        """`yaml_fast.fast_mapping` of a file, from the cache when its bytes are there."""
        digest = _digest(raw)
        line = self._kept.pop(digest, None)
        if line is not None:
            found = _entry(line)
            if found is not None:
                self._used[digest] = line
                return found
        read = fast_mapping(text, raw)
        if read is not None:
            self._used[digest] = json.dumps(read, ensure_ascii=False, separators=(",", ":"))
            self._changed = True
        return read

    def save(self) -> str | None:
        """Write the files asked for since the cache was read, when that changes it (and
        None); the reason when it cannot be written."""
        if not self._changed and not self._kept:
            return None
        lines = [self._header, *(f"{digest} {line}" for digest, line in self._used.items())]
        temporary = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name)
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write("\n".join(lines) + "\n")
            os.replace(temporary, self.path)
        except OSError as error:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
            return f"the cache of parsed files {self.path} cannot be written: {error.strerror}"
        self._kept, self._changed = {}, False
        return None


def _entry(line: str) -> Read | None:
    """A line's values, or None when it is not what this module writes."""
    try:
        found = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if (
        type(found) is list
        and len(found) == 2
        and type(found[0]) is dict
        and type(found[1]) is bool
    ):
        return found[0], found[1]
    return None
