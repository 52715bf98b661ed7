"""Waiting for an Action's build before it is deployed.

Auth0 builds a created or changed Action asynchronously: the write answers `pending`, reads of
the Action then show `building`, and finally `built`, or `failed` with errors saying why; a
draft that is not built cannot be deployed. The wait reads the Action
(`GET /actions/actions/{id}`) after pauses that grow, on the session's clock, and gives up
after a bounded number of reads.
"""

from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from reconciler.auth0.errors import describe, describe_response, json_or_none, server_text
from reconciler.auth0.retry import Attempts, Verdict, classify
from reconciler.clock import Clock
from reconciler.engine.plan import JSON
from reconciler.progress import Progress, ProgressEvent

BUILT = "built"
FAILED = "failed"


@dataclass(frozen=True)
class BuildWait:
    """How long to wait: at most `reads` reads of the Action, the first after `first` seconds,
    each pause `growth` times the one before, none longer than `longest` (about two minutes
    in all by default)."""

    reads: int = 20
    first: float = 0.5
    growth: float = 1.5
    longest: float = 10.0

    def pause(self, read: int) -> float:
        """Seconds to wait before read number `read + 1`."""
        return float(min(self.longest, self.first * self.growth**read))


class Poller(Protocol):
    """What the wait needs of a session."""

    @property
    def clock(self) -> Clock:
        """The clock the pauses run on."""
        ...

    async def send(self, method: str, path: str, body: JSON = None) -> httpx.Response:
        """One raw request; no retries."""
        ...

    def attempts(self) -> Attempts:
        """A fresh attempt counter."""
        ...


async def await_build(
    api: Poller,
    path: str,
    name: str,
    answer: Any,
    progress: Progress | None = None,
    wait: BuildWait = BuildWait(),
) -> str | None:
    """None once the Action at `path` is built (at once, with no read, when `answer`, what
    the write answered, says so); else why not, naming the Action and what Auth0 said."""
    status = build_status(answer)
    reads = 0
    while status != BUILT:
        if status == FAILED:
            return f"the Action {name} did not build: {build_errors(answer)}"
        if reads >= wait.reads:
            return f"the Action {name} was still {status} after {reads} reads of GET {path}"
        await api.clock.sleep(wait.pause(reads))
        reads += 1
        if progress is not None:
            progress(ProgressEvent(f"building the Action {name}", reads, wait.reads))
        answer, problem = await _read(api, path)
        if problem is not None:
            return f"the Action {name}'s build could not be read: GET {path}: {problem}"
        status = build_status(answer)
    return None


def build_status(answer: Any) -> str:
    """An Action's build status as Auth0 states it, lower-cased; an answer that states none
    counts as built (deploying it then says whether it is)."""
    status = answer.get("status") if isinstance(answer, dict) else None
    return status.lower() if isinstance(status, str) and status else BUILT


def build_errors(answer: Any) -> str:
    """The messages of a failed build's errors, as a message shows them."""
    errors = answer.get("errors") if isinstance(answer, dict) else None
    messages = [
        str(e["msg"])
        for e in errors or []
        if isinstance(e, dict) and isinstance(e.get("msg"), str) and e["msg"]
    ]
    return server_text("; ".join(messages)) if messages else "Auth0 gave no reason"


async def _read(api: Poller, path: str) -> tuple[Any, str | None]:
    """One read of the Action under the retry policy: its body, or why it failed."""
    attempts = api.attempts()
    while not attempts.exhausted:
        try:
            response = await api.send("GET", path)
        except httpx.TransportError as error:
            await attempts.back_off(describe(error))
            continue
        verdict = classify(response.status_code)
        if verdict is Verdict.DONE:
            return json_or_none(response), None
        reason = describe_response(response)
        if verdict is Verdict.WAIT:
            # The transport holds the group's next request until its bucket refills.
            attempts.rate_limited(reason)
        elif verdict is Verdict.FAIL:
            return None, reason
        else:
            await attempts.back_off(reason)
    return None, attempts.gave_up()
