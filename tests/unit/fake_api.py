"""A tiny scripted stand-in for a session: it answers each request from a script and records
what was sent, so executor tests need no sandbox."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from reconciler.auth0.retry import Attempts, RetryPolicy
from reconciler.clock import VirtualClock

Answer = httpx.Response | Exception
Script = Callable[[str, str, Any], Answer]


def reply(status: int, body: Any = None, headers: Mapping[str, str] | None = None) -> Answer:
    """A response with a JSON body."""
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


@dataclass
class FakeApi:
    """Answers requests with `script(method, path, body)`, in order; records each request."""

    script: Script
    sent: list[tuple[str, str, Any]] = field(default_factory=list)
    clock: VirtualClock = field(default_factory=VirtualClock)

    async def send(self, method: str, path: str, body: Any = None) -> httpx.Response:
        self.sent.append((method, path, body))
        answer = self.script(method, path, body)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def attempts(self) -> Attempts:
        return Attempts(RetryPolicy(), self.clock)

    @property
    def writes(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p, _ in self.sent if m != "GET"]


def answers(*items: Answer) -> Script:
    """A script answering each request with the next item, whatever it is."""
    queue = list(items)

    def script(method: str, path: str, body: Any) -> Answer:
        return queue.pop(0)

    return script
