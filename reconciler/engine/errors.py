"""Errors found while planning: each names the file and place it comes from, where known."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanError:
    """One reason the desired state cannot be planned against the live state."""

    message: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.where}{self.message}"


class PlanErrors(Exception):
    """All the reasons a plan could not be made."""

    def __init__(self, errors: list[PlanError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors
