"""Verification after an apply: from Auth0's answers where they settle a write, else by
planning again what the apply touched, until nothing is left to do or the wait runs out
(member lists are eventually consistent).

By default (`Verify.ANSWERS`) a write whose answer shows what was sent is not read again:
only the member lists of the organizations whose members the apply changed are, with what
planning them needs (pending invitations; the roles, when members' roles are managed). When
some write is not settled by its answer (a create found by reading after a 409 or a lost
answer, an answer that differs from what was sent, a failure), or with `Verify.FULL`,
everything the apply touched is planned again.

The member lists are read first while the apply runs (`EarlyMembers`): each organization's as
soon as its own operations are done, so that reading them costs no time after the last write.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import replace
from enum import StrEnum
from typing import Any

from reconciler.auth0.reader import read_live
from reconciler.auth0.report import ApplyReport, CallResult
from reconciler.auth0.session import Session
from reconciler.clock import Clock
from reconciler.engine.identity import ObjectKey
from reconciler.engine.kinds import Kind
from reconciler.engine.plan import Phase, Plan
from reconciler.model.desired import Desired
from reconciler.model.live import LiveOrganization, Snapshot
from reconciler.progress import Progress, ProgressEvent
from reconciler.resources.members import MEMBERS
from reconciler.resources.organizations import Found
from reconciler.resources.planner import diff
from reconciler.resources.scope import Scope, scope_of


class Verify(StrEnum):
    """How an apply is verified."""

    ANSWERS = "answers"
    """From the writes' answers; member lists are read again."""
    FULL = "full"
    """Everything the apply touched is read and planned again."""


MEMBER_KINDS = frozenset({Kind.MEMBERS, Kind.MEMBER_ROLES})
"""Writes whose effect Auth0 shows late (member lists are eventually consistent)."""

VERIFY_DELAYS = (0.25, 0.5, 1.0, 2.0, 4.0)
"""Pauses between verification reads while member lists catch up (eventually consistent)."""
PAGE = 100


def cheaper_to_list(orgs: frozenset[str], total: int | None) -> bool:
    """Whether listing every organization (`ceil(total/100)` calls) costs no more than looking
    `orgs` up by name (one call each); unknown totals look up by name."""
    return total is not None and len(orgs) >= max(1, -(-total // PAGE))


def to_verify(plan: Plan, organizations: int | None) -> tuple[frozenset[str], bool]:
    """The organizations an applied plan touched, and whether to list them when planning
    again: when the plan deleted some (to see them gone) or when listing costs fewer calls
    than looking each up by name (`organizations`: how many there were, None: unknown)."""
    touched = frozenset(op.org for op in plan.operations if op.org is not None)
    deletes = any(op.phase is Phase.ORG_DELETES for op in plan.operations)
    return touched, deletes or cheaper_to_list(touched, organizations)


async def remaining(
    replan: Callable[[], Awaitable[Plan]],
    report: ApplyReport,
    delays: tuple[float, ...],
    clock: Clock,
    progress: Progress | None,
    first: Plan | None = None,
) -> Plan:
    """What `replan` still finds to do after an apply (`first`: what it found already), asked
    again after each of `delays` while something is left and the apply went through."""
    left = first if first is not None else await replan()
    for delay in delays:
        if not left.operations or not report.ok:
            break
        if progress is not None:
            progress(ProgressEvent("verifying", 0, len(left.operations)))
        await clock.sleep(delay)
        left = await replan()
    return left


def member_rereads(report: ApplyReport) -> frozenset[str] | None:
    """The organizations whose member lists the verification reads again, when every other
    write of the apply is settled by its answer; None when one is not (or something failed):
    then everything the apply touched is planned again."""
    if not report.ok or any(_unsettled(result) for result in report.results):
        return None
    return frozenset(
        r.operation.org
        for r in report.results
        if r.operation.key.kind in MEMBER_KINDS and r.operation.org is not None
    )


def _unsettled(result: CallResult) -> bool:
    """Whether a result makes the verification plan everything again: it failed, or its
    answer does not settle a write whose effect Auth0 shows at once."""
    return not result.ok or (result.operation.key.kind not in MEMBER_KINDS and not result.settled)


def members_scope(scope: Scope) -> Scope:
    """`scope` narrowed to the organizations' members and pending invitations, the users
    they name and the roles their roles name: nothing else is read again."""
    return replace(
        scope,
        organizations={
            name: replace(
                org,
                connections=False,
                domains=False,
                client_grants=False,
                applications=False,
                member_links=False,
            )
            for name, org in scope.organizations.items()
        },
        roles=frozenset(),
        org_roles=frozenset(),
        needs_connections=False,
        permissions={},
        invitation_client=None,
        applications=False,
        grants={},
        action=None,
    )


def before_apply(desired: Desired, before: Snapshot, name: str) -> LiveOrganization | None:
    """The organization as it was read before the apply, by its name or a previous one."""
    org = desired.organizations[name]
    for known in (name, *(org.previous_names or ())):
        if known in before.organizations:
            return before.organizations[known]
    return None


def members_found(
    desired: Desired, before: Snapshot, report: ApplyReport, orgs: frozenset[str]
) -> Found:
    """The ids of the organizations whose members are read again: as read before the apply,
    or as the apply created them."""
    found: Found = {}
    for name in orgs:
        live = before_apply(desired, before, name)
        org_id = live.id if live is not None else report.created[ObjectKey.organization(name)]
        found[name] = (org_id, {"name": name})
    return found


def with_members(desired: Desired, before: Snapshot, fresh: Snapshot) -> Snapshot:
    """The state before the apply with the organizations' members and invitations (and the
    roles, when they were read) as read again; the APIs are left unread (references were
    checked when the plan was made)."""
    organizations = dict(before.organizations)
    for name, got in fresh.organizations.items():
        base = before_apply(desired, before, name) or LiveOrganization(got.id, name)
        organizations.pop(base.name, None)
        organizations[name] = replace(
            base, id=got.id, name=name, members=got.members, invitations=got.invitations
        )
    return replace(
        before,
        organizations=organizations,
        other_organizations={},
        roles=fresh.roles or before.roles,
        org_roles=fresh.org_roles or before.org_roles,
        users_by_email={**before.users_by_email, **fresh.users_by_email},
        users_by_id={**before.users_by_id, **fresh.users_by_id},
        apis=None,
    )


def members_plan(
    desired: Desired, before: Snapshot, fresh: Snapshot, orgs: frozenset[str], member_batch: int
) -> Plan:
    """The plan of the members of `orgs` from their member lists read again (`fresh`),
    everything else as it was before the apply or as its answers showed."""
    live = with_members(desired, before, fresh)
    return diff(desired, live, only=orgs, member_batch=member_batch, resources=(MEMBERS,))


def members_replan(
    session: Session,
    desired: Desired,
    before: Snapshot,
    report: ApplyReport,
    orgs: frozenset[str],
    member_batch: int,
    progress: Progress | None,
) -> Callable[[], Awaitable[Plan]]:
    """Planning the members of `orgs` again: their member lists (and what planning them
    needs) read, everything else as it was before the apply or as its answers showed."""
    found = members_found(desired, before, report, orgs)
    scope = members_scope(scope_of(desired, orgs, list_all=False))

    async def again() -> Plan:
        fresh = await read_live(session, scope, progress, found=found)
        return members_plan(desired, before, fresh, orgs, member_batch)

    return again


def member_orgs(plan: Plan) -> frozenset[str]:
    """The organizations whose member lists an apply of `plan` reads again when every write
    is settled by its answer (`member_rereads`); none when the plan deletes roles, which
    changes members' roles after their organizations' own operations."""
    if any(op.phase is Phase.ROLE_DELETES for op in plan.operations):
        return frozenset()
    return frozenset(
        op.org for op in plan.operations if op.key.kind in MEMBER_KINDS and op.org is not None
    )


class EarlyMembers:
    """The verification's first reading of the member lists of `member_orgs(plan)`, made
    while the apply runs: it starts when the first organization's operations are done (the
    roles it reads are written before any organization's), and reads each organization once
    its own are (`done`). Used only when the verification reads exactly those lists; else
    stopped (`cancel`). Nothing is read early without `before`, the state the plan was made
    from."""

    def __init__(
        self,
        session: Session,
        desired: Desired,
        before: Snapshot | None,
        plan: Plan,
        member_batch: int,
    ) -> None:
        self.orgs = frozenset() if before is None else member_orgs(plan)
        self._read = (session, desired, before or Snapshot(), member_batch)
        self._ids: dict[str, str | None] = {}
        self._done = {org: asyncio.Event() for org in self.orgs}
        self._task: asyncio.Task[Snapshot] | None = None
        self._seen = 0
        self._spoiled = False

    def done(self, org: str, report: ApplyReport) -> None:
        """The operations of `org` are all done (`report`: the apply's results so far). Once a
        result means that the verification will plan everything again, nothing more is read."""
        if org not in self._done:
            return
        self._spoiled = self._spoiled or any(map(_unsettled, report.results[self._seen :]))
        self._seen = len(report.results)
        _, desired, before, _ = self._read
        live = before_apply(desired, before, org)
        created = report.created.get(ObjectKey.organization(org))
        self._ids[org] = None if self._spoiled else live.id if live is not None else created
        self._done[org].set()
        if self._task is None:
            self._task = asyncio.create_task(self._reading())

    async def _reading(self) -> Snapshot:
        session, desired, _, _ = self._read
        found = {name: ("", {"name": name}) for name in self.orgs}
        scope = members_scope(scope_of(desired, self.orgs, list_all=False))
        return await read_live(session, scope, None, found=found, arrival=self._arrival)

    async def _arrival(self, name: str) -> tuple[str, dict[str, Any]] | None:
        await self._done[name].wait()
        org_id = self._ids[name]
        return None if org_id is None else (org_id, {"name": name})

    async def first(self, rereads: frozenset[str] | None) -> Plan | None:
        """The plan of the early reading when the verification reads the member lists of
        exactly these organizations (`rereads`); None, the reading stopped, otherwise."""
        if self._task is None or rereads != self.orgs:
            await self.cancel()
            return None
        _, desired, before, member_batch = self._read
        return members_plan(desired, before, await self._task, self.orgs, member_batch)

    async def cancel(self) -> None:
        """Stop the reading (an apply that failed or needs another verification)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
