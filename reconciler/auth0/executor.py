"""Runs a plan's operations in dependency order, concurrently within a phase.

Nothing is retried blindly: 429 waits for the reset; a 409 on a create and a lost response to
a create are settled by reading the object (see `recovery`); a 404 on a delete means done;
other writes are idempotent, so a lost response is settled by sending them again.
"""

import asyncio
import re
from collections.abc import Callable
from itertools import groupby
from typing import Any

import httpx

from reconciler.auth0.recovery import find_created
from reconciler.auth0.report import ApplyReport, CallResult, Outcome
from reconciler.auth0.session import Session
from reconciler.engine.plan import JSON, Operation

MAX_ATTEMPTS = 6
MAX_RATE_LIMITED = 30
"""429s wait for the bucket and do not count as attempts, up to this many."""
BACKOFF = 0.2
_REF = re.compile(r"\{((?:org|role):[^{}]+)\}")
Progress = Callable[[CallResult], None]


class _Unresolved(Exception):
    """A reference whose creating operation did not succeed."""


async def execute(
    session: Session,
    operations: tuple[Operation, ...],
    progress: Progress | None = None,
) -> ApplyReport:
    """Run the operations phase by phase; a failure skips only what depends on it."""
    report = ApplyReport()
    refs: dict[str, str] = {}
    finished: dict[str, Outcome] = {}

    async def run(op: Operation) -> None:
        blocked = [
            d for d in op.depends_on if finished.get(d) not in (Outcome.DONE, Outcome.ALREADY)
        ]
        if blocked:
            result = CallResult(op, Outcome.SKIPPED, f"waits for {', '.join(blocked)}")
        else:
            async with session.slots:
                result = await _send(session, op, refs)
        finished[op.key] = result.outcome
        report.results.append(result)
        if progress is not None:
            progress(result)

    for _, phase_ops in groupby(sorted(operations, key=Operation.sort_key), key=lambda o: o.phase):
        pending = list(phase_ops)
        while pending:
            keys = {op.key for op in pending}
            ready = [op for op in pending if not keys.intersection(op.depends_on)]
            await asyncio.gather(*(run(op) for op in ready))
            pending = [op for op in pending if op.key not in finished]
    return report


async def _send(session: Session, op: Operation, refs: dict[str, str]) -> CallResult:
    try:
        path = _resolve(op.path, refs)
        body = _resolve_body(op.body, refs)
    except _Unresolved as error:
        return CallResult(op, Outcome.SKIPPED, f"no id for {error}")
    last = ""
    attempt = limited = 0
    while attempt < MAX_ATTEMPTS and limited <= MAX_RATE_LIMITED:
        try:
            response = await session.send(op.method, path, body)
            status, last = response.status_code, _reason(response)
        except httpx.TransportError as error:
            response, status, last = None, 0, f"{type(error).__name__}: {error}"
        if response is not None and 200 <= status < 300:
            return _created(op, refs, _json(response), Outcome.DONE)
        if response is not None and status == 429:
            limited += 1
            await session.limiter.wait_for_reset(response.headers)
            continue
        if status == 404 and op.method == "DELETE":
            return CallResult(op, Outcome.ALREADY, "already gone")
        unknown = status == 0 or status >= 500
        if _is_create(op) and (unknown or status == 409):
            # The object may exist: made by someone else (409) or by a lost earlier try.
            found = await find_created(session, path, body)
            if found is not None:
                outcome = Outcome.ALREADY if status == 409 else Outcome.DONE
                return _created(op, refs, found, outcome)
        if not unknown:
            return CallResult(op, Outcome.FAILED, last)
        await asyncio.sleep(BACKOFF * 2**attempt)
        attempt += 1
    tries = attempt + limited
    return CallResult(op, Outcome.FAILED, f"gave up after {tries} attempts; last: {last}")


def _is_create(op: Operation) -> bool:
    """POSTs that create an object and would conflict if sent twice."""
    return op.method == "POST" and (
        op.creates is not None
        or op.path.endswith(("/enabled_connections", "/discovery-domains", "/invitations"))
    )


def _created(op: Operation, refs: dict[str, str], data: Any, outcome: Outcome) -> CallResult:
    if op.creates is not None:
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            return CallResult(op, Outcome.FAILED, "the response carries no id")
        refs[op.creates] = data["id"]
    return CallResult(op, outcome)


def _resolve(text: str, refs: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in refs:
            raise _Unresolved(name)
        return refs[name]

    return _REF.sub(replace, text)


def _resolve_body(body: JSON, refs: dict[str, str]) -> JSON:
    if isinstance(body, str):
        return _resolve(body, refs)
    if isinstance(body, list):
        return [_resolve_body(item, refs) for item in body]
    if isinstance(body, dict):
        return {key: _resolve_body(value, refs) for key, value in body.items()}
    return body


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _reason(response: httpx.Response) -> str:
    data = _json(response)
    if isinstance(data, dict) and data.get("message"):
        return f"{response.status_code} {data['message']}"
    return f"{response.status_code} {response.reason_phrase}"
