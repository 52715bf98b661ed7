"""Plan and apply, through the one safety gate; saved plans are checked against the files,
the target and Auth0 (`reconciler.core.saved_plans`), and applies verified after
(`reconciler.core.verification`).

Every way of writing runs through `Reconciler.apply`, `Reconciler.apply_saved` or
`Reconciler.repair_applications`, and each of them through `_run`: under the apply lock, `gate`
first, so no entry point can write without the safety rails, nor with a secret's variable
unset. An organization's deletion that waits for approval is left out of what is applied, and
the result says so.
"""

from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial

from reconciler.auth0.app_references import read_applications, read_copies
from reconciler.auth0.executor import execute
from reconciler.auth0.reader import read_live
from reconciler.auth0.report import ApplyReport
from reconciler.auth0.session import Session
from reconciler.core.apply_lock import ApplyLock
from reconciler.core.deletions import plan_of
from reconciler.core.environment import check_environment
from reconciler.core.journal import Journal
from reconciler.core.results import ApplyResult, PlanResult
from reconciler.core.saved_plans import check_binding, check_fresh, check_rows, part_of, to_replan
from reconciler.core.shards import Shard
from reconciler.core.verification import (
    VERIFY_DELAYS,
    EarlyMembers,
    Verify,
    cheaper_to_list,
    member_rereads,
    members_replan,
    remaining,
    to_verify,
)
from reconciler.engine import Plan
from reconciler.engine.duplicate_apps import (
    DuplicateApplications,
    DuplicateName,
    duplicated,
    repair_plan,
)
from reconciler.engine.planfile import SavedPlan
from reconciler.engine.safety import Refusal, Verdict, check_plan, withhold
from reconciler.engine.scopes import check_scopes
from reconciler.model import Policy
from reconciler.model.desired import Desired
from reconciler.model.live import Snapshot
from reconciler.progress import Progress
from reconciler.resources.organizations import Found
from reconciler.resources.planner import DEFAULT_MEMBER_BATCH
from reconciler.resources.scope import scope_of


class UnsafePlan(Exception):
    """The safety rails refuse the plan."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__("; ".join(str(r) for r in refusals))
        self.refusals = refusals


def gate(plan: Plan, existing: int, policy: Policy, *, allow_delete: bool, force: bool) -> Verdict:
    """Raise UnsafePlan when a safety rail refuses the plan; else what the rails say of its
    deletions (the waiting ones are not to be applied). Every apply runs this first."""
    verdict = check_plan(plan, existing, policy, allow_delete=allow_delete, force=force)
    if verdict.refusals:
        raise UnsafePlan(list(verdict.refusals))
    return verdict


class Reconciler:
    """One tenant's files against one live target."""

    def __init__(
        self,
        session: Session,
        desired: Desired,
        *,
        member_batch: int = DEFAULT_MEMBER_BATCH,
        progress: Progress | None = None,
        verify_delays: tuple[float, ...] = VERIFY_DELAYS,
        verify: Verify = Verify.ANSWERS,
        files: str | None = None,
        journal: Journal | None = None,
        lock: ApplyLock | None = None,
    ) -> None:
        """`files` is the digest of the tenant's files (binds saved plans to them); `journal`
        records an apply until it converges, so that running it again finishes it; `lock`
        keeps applies of this tenant and target one at a time on the machine."""
        self.session = session
        self.desired = desired
        self.member_batch = member_batch
        self.progress = progress
        self.verify_delays = verify_delays
        self.verify = verify
        self.files = files
        self.journal = journal
        self.lock = lock
        self._holding = False
        self.read_back: PlanResult | None = None  # the last plan a full verification made

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the apply lock (when there is one) while the block runs: from the plan that
        is to be applied to its verification. Held once per Reconciler, however nested."""
        if self.lock is None or self._holding:
            yield
            return
        with self.lock.held():
            self._holding = True
            try:
                yield
            finally:
                self._holding = False

    async def plan(
        self,
        only: frozenset[str] | None = None,
        *,
        list_all: bool | None = None,
        shard: Shard | None = None,
    ) -> PlanResult:
        """Read what the files manage (only these organizations, when given) and diff it.

        With a shard, only its organizations are planned (of `only`, when given), and the
        organizations are listed so that unmanaged ones of the shard are seen too.
        """
        chosen = only
        if shard is not None:
            names = only if only is not None else frozenset(self.desired.organizations)
            only = frozenset(name for name in names if shard.holds(name))
            list_all = True
        scope = scope_of(self.desired, only, list_all=list_all)
        live = await read_live(self.session, scope, self.progress)
        if shard is not None and only is not None and chosen is None:
            only = only | {name for name in live.other_organizations if shard.holds(name)}
        twins = await self.duplicates(live)
        if twins:
            raise DuplicateApplications(twins, self.desired.tenant_name)
        plan = await plan_of(
            self.session, self.desired, live, only, self.member_batch, self.progress
        )
        return PlanResult(plan, live, scope, whole=chosen is None and shard is None)

    async def plan_known(
        self,
        view: Desired,
        only: frozenset[str],
        found: Found,
        organizations: Mapping[str, str],
    ) -> PlanResult:
        """Plan `view` (the files, with what is not to be read left unmanaged) for the
        organizations `only`, whose ids are `found` already, as `plan` does without listing:
        the organizations of `organizations` (id -> name of every one in Auth0) that no file
        claims count as listed. Applications held twice are not looked up: the plan reads
        only what its scope covers."""
        scope = scope_of(view, only, list_all=False)
        live = await read_live(self.session, scope, self.progress, found=found)
        live.other_organizations = {
            name: org_id for org_id, name in organizations.items() if name not in scope.known
        }
        every = only | set(live.other_organizations)
        plan = await plan_of(self.session, view, live, every, self.member_batch, self.progress)
        return PlanResult(plan, live, scope, whole=False)

    async def duplicates(self, live: Snapshot) -> tuple[DuplicateName, ...]:
        """The names of applications.yaml that several live applications carry, with what
        refers to each copy (read only when there are such names)."""
        twins = duplicated(self.desired, live)
        if not twins:
            return ()
        copies = await read_copies(self.session, [cid for ids in twins.values() for cid in ids])
        return tuple(
            DuplicateName(name, tuple(copies[cid] for cid in ids)) for name, ids in twins.items()
        )

    def verdict(self, result: PlanResult) -> Verdict:
        """What the safety rails say of this plan at an apply without --allow-delete or
        --force: refusals, and the deletions approved in the files or waiting (shown with the
        plan, so a reviewer sees it before anything is applied)."""
        return check_plan(result.plan, result.existing, self.desired.tenant.policy)

    def gate(
        self, plan: Plan, existing: int, *, allow_delete: bool, force: bool, resumable: bool = True
    ) -> Verdict:
        """Raise UnsafePlan when a safety rail refuses the plan under this tenant's policy;
        else the verdict, whose waiting deletions an apply leaves out.

        Running the same files again after an interrupted apply finishes the change that was
        approved then: the change-share rail does not count it again (see `resuming`).
        """
        policy = self.desired.tenant.policy
        waiting = check_plan(plan, existing, policy, allow_delete=allow_delete, force=True).waiting
        resuming = resumable and self.resuming(withhold(plan, waiting))
        return gate(plan, existing, policy, allow_delete=allow_delete, force=force or resuming)

    def resuming(self, plan: Plan) -> bool:
        """Whether the plan finishes an apply of these files that started and did not
        converge: the journal has its record, and the plan changes nothing its plan did not."""
        return (
            self.journal is not None
            and self.files is not None
            and self.journal.resuming(self.files, plan)
        )

    async def apply(
        self, result: PlanResult, *, allow_delete: bool = False, force: bool = False
    ) -> ApplyResult:
        """Apply a plan made in this session: gate, execute, verify."""
        organizations, before = result.live.organizations_listed, result.live
        return await self._run(
            result.plan,
            result.existing,
            allow_delete=allow_delete,
            force=force,
            verify=partial(self._verify, organizations=organizations, before=before),
            whole=result.whole,
            before=before,
        )

    async def apply_saved(
        self,
        saved: SavedPlan,
        *,
        only: frozenset[str] | None = None,
        allow_delete: bool = False,
        force: bool = False,
    ) -> ApplyResult:
        """Apply a plan file as it was reviewed, only when it is for these files and this target
        and planning again now gives exactly its operations; the safety rails are computed
        from the live state, never taken from the file."""
        with self.exclusive():
            return await self._apply_saved(saved, only=only, allow_delete=allow_delete, force=force)

    async def _apply_saved(
        self,
        saved: SavedPlan,
        *,
        only: frozenset[str] | None,
        allow_delete: bool,
        force: bool,
    ) -> ApplyResult:
        self.check_binding(saved)
        plan = part_of(saved.plan, only)
        fresh = await self._replan_saved(saved, plan)
        return await self._run(
            plan,
            fresh.existing,
            allow_delete=allow_delete,
            force=force,
            verify=partial(self._verify, organizations=saved.organizations, before=fresh.live),
            whole=only is None,
            before=fresh.live,
        )

    async def duplicate_applications(self) -> tuple[DuplicateName, ...]:
        """The applications of applications.yaml that Auth0 holds more than once, with what
        refers to each copy."""
        live = Snapshot(applications=await read_applications(self.session))
        return await self.duplicates(live)

    async def repair_applications(
        self,
        keep: frozenset[str] = frozenset(),
        *,
        force: bool = False,
        confirm: Callable[[tuple[DuplicateName, ...], Plan], None] | None = None,
    ) -> ApplyResult | None:
        """Delete the copies of duplicated applications that nothing refers to (see
        `repair_plan`; `keep` names the copy to keep where none is referenced), through the
        safety rails, under the apply lock; then read them again. `confirm` sees what was
        found and the plan first (and raises to stop). The change-share rail counts the
        tenant's applications. None when there is nothing to delete.
        """
        with self.exclusive():
            applications = await read_applications(self.session)
            found = await self.duplicates(Snapshot(applications=applications))
            plan = repair_plan(found, keep)
            if confirm is not None:
                confirm(found, plan)
            if not plan.operations:
                return None

            async def verify(applied: Plan, report: ApplyReport, _: object) -> Plan:
                return repair_plan(await self.duplicate_applications(), keep)

            return await self._run(
                plan,
                len(applications),
                allow_delete=False,
                force=force,
                verify=verify,
                resumable=False,
            )

    async def verify_saved(self, saved: SavedPlan) -> None:
        """Refuse a plan file (PlanRefused) unless it is for these files and this target and
        planning its organizations again now gives exactly its operations and its rows: what
        `show` renders is then what the files and Auth0 call for, whatever the file says."""
        self.check_binding(saved)
        fresh = await self._replan_saved(saved, saved.plan, rows=True)
        check_rows(saved.plan, fresh.plan)

    async def _replan_saved(
        self, saved: SavedPlan, plan: Plan, *, rows: bool = False
    ) -> PlanResult:
        """Plan again the organizations of `plan` (a saved plan or part of it), with `rows`
        those of its rows and the unmanaged ones it names too; PlanRefused when an object it
        depends on changed since or the operations differ."""
        orgs, listing = to_replan(plan, rows=rows)
        listing = listing or cheaper_to_list(orgs, saved.organizations)
        fresh = await self.plan(orgs, list_all=listing)
        check_fresh(saved, plan, fresh.live, fresh.plan)
        return fresh

    def check_binding(self, saved: SavedPlan) -> None:
        """Refuse a plan made for another tenant, other files or another target."""
        check_binding(
            saved,
            tenant=self.desired.tenant_name,
            target=self.session.target.label,
            files=self.files,
        )

    async def _run(
        self,
        plan: Plan,
        existing: int,
        *,
        allow_delete: bool,
        force: bool,
        verify: Callable[[Plan, ApplyReport, EarlyMembers], Awaitable[Plan]],
        whole: bool = True,
        resumable: bool = True,
        before: Snapshot | None = None,
    ) -> ApplyResult:
        """The one way to write: under the apply lock, gate, check the token's scopes, record
        (a `resumable` apply of the files), execute what the gate lets through (the plan
        without the deletions that wait for approval), verify that part (from `before`, the
        state the plan was made from, its member lists read while it runs); the record goes
        when a `whole` apply converged."""
        with self.exclusive():
            files = self.files
            journal = self.journal if resumable and files is not None else None
            verdict = self.gate(
                plan, existing, allow_delete=allow_delete, force=force, resumable=resumable
            )
            applied = withhold(plan, verdict.waiting)
            check_scopes(applied.operations, self.session.scopes)
            check_environment(applied)
            if not applied.operations:  # only deletions that wait: nothing to write or verify
                return ApplyResult(ApplyReport(), applied, verdict.waiting)
            if journal is not None and files is not None and not self.resuming(applied):
                journal.begin(files, applied)
            answers = before if self.verify is Verify.ANSWERS else None
            early = EarlyMembers(self.session, self.desired, answers, applied, self.member_batch)
            try:
                ops = applied.operations
                report = await execute(self.session, ops, self.progress, None, early.done)
                left = withhold(await verify(applied, report, early), verdict.waiting)
            finally:
                await early.cancel()
            result = ApplyResult(report, left, verdict.waiting)
            if journal is not None and whole and report.ok and result.converged:
                journal.finish()
            return result

    async def _verify(
        self,
        plan: Plan,
        report: ApplyReport,
        early: EarlyMembers,
        *,
        organizations: int | None,
        before: Snapshot,
    ) -> Plan:
        """What is left to do after the apply (see `verification`): the member lists the apply
        changed read again, the rest taken from Auth0's answers; or, when an answer does not
        settle its write or with `Verify.FULL`, what the apply touched planned again (see
        `to_verify`); until it matches or the wait runs out."""
        rereads = member_rereads(report) if self.verify is Verify.ANSWERS else None
        if rereads == frozenset():
            return Plan(rows=(), operations=())
        touched, listing = to_verify(plan, organizations)

        async def full() -> Plan:
            self.read_back = await self.plan(touched, list_all=listing)
            return self.read_back.plan

        replan: Callable[[], Awaitable[Plan]] = full
        if rereads is not None:
            args = (self.session, self.desired, before, report, rereads, self.member_batch)
            replan = members_replan(*args, self.progress)
        first = await early.first(rereads)
        clock = self.session.clock
        return await remaining(replan, report, self.verify_delays, clock, self.progress, first)
