"""One progress type for long work: reading, applying, verifying."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressEvent:
    """`stage` reached `done` of `total`; `problem` is a line worth showing at once."""

    stage: str
    done: int
    total: int
    problem: str | None = None


Progress = Callable[[ProgressEvent], None]


def ignore(event: ProgressEvent) -> None:
    """A progress sink that shows nothing."""
