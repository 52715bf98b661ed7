"""Configuration errors as values: each one a place in a file and a message for a person."""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from reconciler.model.desired import Location
from reconciler.safe_text import inert


@dataclass(frozen=True)
class ConfigError:
    """One problem in a tenant's files, printed as `path:line:col: message`, or `path: message`
    for a problem of the `whole_file` (one line: the file names and values in it made inert)."""

    location: Location
    message: str
    whole_file: bool = False

    def __str__(self) -> str:
        where = self.location.path if self.whole_file else str(self.location)
        return inert(f"{where}: {self.message}")


class ConfigErrors(Exception):
    """Every problem found in a tenant's files, reported together."""

    def __init__(self, errors: Iterable[ConfigError]) -> None:
        self.errors: list[ConfigError] = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def quoted(text: str) -> str:
    """`text` in double quotes, escaped as in JSON, for use inside a message."""
    return json.dumps(text, ensure_ascii=False)
