"""What an apply did: every call with its outcome."""

from dataclasses import dataclass, field
from enum import StrEnum

from reconciler.engine.identity import ObjectKey
from reconciler.engine.plan import Operation
from reconciler.safe_text import inert


class Outcome(StrEnum):
    """How one operation ended."""

    DONE = "done"
    ALREADY = "already"
    """The object was already as wanted (a 409 on create resolved by reading, a 404 on delete)."""
    FAILED = "failed"
    SKIPPED = "skipped"
    """Not sent: an operation it depends on failed."""


@dataclass(frozen=True)
class CallResult:
    """One operation's outcome and, for failures, Auth0's reason."""

    operation: Operation
    outcome: Outcome
    detail: str = ""
    settled: bool = False
    """Auth0's answer settles the call: it was done and answered nothing, or what was sent
    (`engine.answers.echoes`), or it deleted what was already gone; the verification need
    not read the object again."""

    @property
    def ok(self) -> bool:
        """True when the call succeeded or its object was already as wanted."""
        return self.outcome in (Outcome.DONE, Outcome.ALREADY)

    def line(self) -> str:
        """`acme-corp: POST /organizations: failed: 400 ...` for reports, one line (ids and
        what Auth0 said made inert)."""
        where = f"{self.operation.org}: " if self.operation.org else ""
        op = self.operation
        detail = f": {self.detail}" if self.detail else ""
        return inert(f"{where}{op.method} {op.path_text}: {self.outcome.value}{detail}")


@dataclass
class ApplyReport:
    """The results of all operations: in the order they finished, then in the plan's order once
    the apply is done."""

    results: list[CallResult] = field(default_factory=list)
    created: dict[ObjectKey, str] = field(default_factory=dict)
    """The ids of the objects the apply created (or found already created)."""

    @property
    def failed(self) -> list[CallResult]:
        """Operations that failed or could not be sent."""
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        """True when every operation succeeded or was already done."""
        return not self.failed
