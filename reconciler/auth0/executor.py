"""Runs a plan's operations in dependency order (`lanes`): each organization phase by phase,
independent operations concurrently.

Every call goes through the one retry policy: 429 waits for its group's bucket; an unknown outcome
(5xx, no response) or a 409 on a create is settled as the operation says (`Settle`): by
reading the object it creates, or by sending an idempotent call again; a 404 on a delete
means done. A created or changed Action is read until Auth0 has built it (`builds`), so that
its deploy is not refused. Only the plan's own requests are written. A secret in a body is
read from its environment variable just before the request is sent, never kept, and redacted
from every message from then on.
"""

import os
from collections.abc import Callable, Mapping
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from reconciler.auth0.builds import await_build
from reconciler.auth0.errors import describe, describe_response, json_or_none
from reconciler.auth0.lanes import run_in_order
from reconciler.auth0.recovery import find_created
from reconciler.auth0.report import ApplyReport, CallResult, Outcome
from reconciler.auth0.retry import Attempts, Verdict, classify
from reconciler.clock import Clock
from reconciler.engine.answers import echoes
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey, Ref, SecretRef
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import JSON, Operation, Settle
from reconciler.progress import Progress, ProgressEvent
from reconciler.safe_text import hold_secret


class Api(Protocol):
    """What the executor needs of a session."""

    @property
    def clock(self) -> Clock:
        """The clock every wait runs on."""
        ...

    async def send(self, method: str, path: str, body: JSON = None) -> httpx.Response:
        """One raw request; no retries."""
        ...

    def attempts(self) -> Attempts:
        """A fresh attempt counter."""
        ...


class _Unresolved(Exception):
    """A reference whose creating operation did not succeed."""


class _MissingSecret(Exception):
    """A secret whose environment variable is not set."""


async def execute(
    api: Api,
    operations: tuple[Operation, ...],
    progress: Progress | None = None,
    environ: Mapping[str, str] | None = None,
    organization_done: Callable[[str, ApplyReport], None] | None = None,
) -> ApplyReport:
    """Run the operations in order (`run_in_order`); a failure skips only what depends on it.

    The report lists the results in the plan's order. Secrets in bodies are read from
    `environ` (default: the process environment). `organization_done` hears of each
    organization whose operations are all done, with the report so far.
    """
    env = os.environ if environ is None else environ
    report = ApplyReport()
    refs = report.created
    finished: dict[OpKey, Outcome] = {}
    total = len(operations)

    async def run(op: Operation) -> None:
        blocked = [
            d for d in op.depends_on if finished.get(d) not in (Outcome.DONE, Outcome.ALREADY)
        ]
        if blocked:
            waits = ", ".join(str(d) for d in blocked)
            result = CallResult(op, Outcome.SKIPPED, f"waits for {waits}")
        else:
            result = await _send(api, op, refs, env, progress)
        finished[op.key] = result.outcome
        report.results.append(result)
        if progress is not None:
            problem = result.line() if not result.ok else None
            progress(ProgressEvent("applying", len(report.results), total, problem))

    done = None if organization_done is None else lambda org: organization_done(org, report)
    await run_in_order(operations, run, done)
    report.results.sort(key=lambda result: result.operation.sort_key())
    return report


async def _send(
    api: Api,
    op: Operation,
    refs: dict[ObjectKey, str],
    env: Mapping[str, str],
    progress: Progress | None = None,
) -> CallResult:
    try:
        path = resolve_path(op, refs)
        body = _resolve_body(op.body, refs, env)
    except _Unresolved as error:
        return CallResult(op, Outcome.SKIPPED, f"no id for {error}")
    except _MissingSecret as error:
        return CallResult(
            op, Outcome.FAILED, f"the environment variable {error} (a secret's value) is not set"
        )
    if op.settle is Settle.FIND_INVITATION:
        # Auth0 sends a second email for a second POST: look for a pending one first, so
        # that two applies (or a re-run after a crash) never invite anyone twice.
        pending = await find_created(api, op.settle, path, body)
        if pending is not None:
            return _created(op, refs, pending.data, Outcome.ALREADY, "already pending")
    result, status = await _attempt(api, op, path, body, refs, progress)
    if status == 400 and op.batch is not None and len(body[op.batch]) > 1:
        return await _split(api, op, path, body, refs)
    return result


_BUILDS = frozenset({(Kind.ACTION, Step.CREATE), (Kind.ACTION, Step.UPDATE)})
"""The operations after which Auth0 builds what they wrote before it can be deployed."""


async def _built(
    api: Api,
    op: Operation,
    path: str,
    refs: Mapping[ObjectKey, str],
    result: CallResult,
    data: Any,
    progress: Progress | None,
) -> CallResult:
    """The result of a create or update of the Action once Auth0 has built it: failed,
    with Auth0's reason, when the build fails or does not finish in time."""
    if not result.ok or (op.key.kind, op.key.verb) not in _BUILDS:
        return result
    # An update's path is the Action's; a successful create has put the new id in `refs`.
    if op.creates is not None:
        path = ENDPOINTS.get_action.url_path(refs[op.creates])
    problem = await await_build(api, path, op.key.name, data, progress)
    return result if problem is None else CallResult(op, Outcome.FAILED, problem)


async def _split(
    api: Api, op: Operation, path: str, body: dict[str, Any], refs: dict[ObjectKey, str]
) -> CallResult:
    """A batch Auth0 rejected as a whole, sent in halves until each rejected item is known:
    the valid items still go through and the report names the others."""
    items: list[Any] = body[op.batch or ""]
    rejected: list[str] = []
    pending = [items[: len(items) // 2], items[len(items) // 2 :]]
    while pending:
        part = pending.pop(0)
        result, status = await _attempt(api, op, path, {**body, op.batch or "": part}, refs)
        if result.ok:
            continue
        if status == 400 and len(part) > 1:
            pending[:0] = [part[: len(part) // 2], part[len(part) // 2 :]]
        else:
            rejected.extend(f"{item} ({result.detail})" for item in part)
    if not rejected:
        return CallResult(op, Outcome.DONE, "sent in parts")
    sent = len(items) - len(rejected)
    return CallResult(
        op, Outcome.FAILED, f"{sent} of {len(items)} sent; rejected: {', '.join(rejected)}"
    )


async def _attempt(
    api: Api,
    op: Operation,
    path: str,
    body: JSON,
    refs: dict[ObjectKey, str],
    progress: Progress | None = None,
) -> tuple[CallResult, int | None]:
    """One request under the retry policy: its result (once built, for what Auth0 builds),
    and the last status seen."""
    attempts = api.attempts()
    status: int | None = None
    while not attempts.exhausted:
        try:
            response: httpx.Response | None = await api.send(op.method, path, body)
        except httpx.TransportError as error:
            response, reason = None, describe(error)
        status = response.status_code if response is not None else None
        verdict = classify(status)
        if response is not None:
            if verdict is Verdict.DONE:
                data = json_or_none(response)
                settled = data is None or echoes(op.body, data)
                done = _created(op, refs, data, Outcome.DONE, settled=settled)
                return await _built(api, op, path, refs, done, data, progress), status
            reason = describe_response(response)
            if verdict is Verdict.WAIT:
                # The transport holds the group's next request until its bucket refills.
                attempts.rate_limited(reason)
                continue
        if status == 404 and op.method == "DELETE":
            return CallResult(op, Outcome.ALREADY, "already gone", settled=True), status
        if op.settle is not Settle.REPEAT and (verdict is Verdict.RETRY or status == 409):
            # The object may exist: made by someone else (409) or by a lost earlier try.
            found = await find_created(api, op.settle, path, body)
            if found is not None:
                outcome = Outcome.ALREADY if status == 409 else Outcome.DONE
                adopted = _created(op, refs, found.data, outcome, found.note)
                built = await _built(api, op, path, refs, adopted, found.data, progress)
                return built, status
        if verdict is Verdict.FAIL:
            return CallResult(op, Outcome.FAILED, reason), status
        await attempts.back_off(reason)
    return CallResult(op, Outcome.FAILED, attempts.gave_up()), status


def _created(
    op: Operation,
    refs: dict[ObjectKey, str],
    data: Any,
    outcome: Outcome,
    note: str = "",
    *,
    settled: bool = False,
) -> CallResult:
    if op.creates is not None:
        # An application's id is its client id; everything else has an `id`.
        field = "client_id" if op.creates.kind is Kind.APPLICATION else "id"
        if not isinstance(data, dict) or not isinstance(data.get(field), str):
            return CallResult(op, Outcome.FAILED, "the response carries no id")
        refs[op.creates] = data[field]
    return CallResult(op, outcome, note or _to_publish(op, data), settled=settled)


def _to_publish(op: Operation, data: Any) -> str:
    """For a discovery domain added: the TXT record its owner must publish to verify it."""
    if op.key.kind is not Kind.DISCOVERY_DOMAIN or op.key.verb is not Step.ADD:
        return ""
    if not isinstance(data, dict):
        return ""
    host, txt = data.get("verification_host"), data.get("verification_txt")
    if not isinstance(host, str) or not isinstance(txt, str):
        return ""
    return f"publish a TXT record at {host} with the value {txt} to verify {op.key.name}"


def resolve_path(op: Operation, refs: Mapping[ObjectKey, str]) -> str:
    """The request path with references replaced by ids, each segment percent-encoded."""
    return "".join("/" + quote(_resolve_ref(p, refs), safe="") for p in op.path)


def _resolve_ref(part: str | Ref, refs: Mapping[ObjectKey, str]) -> str:
    if isinstance(part, str):
        return part
    if part.target not in refs:
        raise _Unresolved(str(part))
    return refs[part.target]


def _resolve_body(body: JSON, refs: Mapping[ObjectKey, str], env: Mapping[str, str]) -> JSON:
    if isinstance(body, Ref):
        return _resolve_ref(body, refs)
    if isinstance(body, SecretRef):
        value = env.get(body.env)
        if not value:
            raise _MissingSecret(body.env)
        return hold_secret(value)
    if isinstance(body, list):
        return [_resolve_body(item, refs, env) for item in body]
    if isinstance(body, dict):
        return {key: _resolve_body(value, refs, env) for key, value in body.items()}
    return body
