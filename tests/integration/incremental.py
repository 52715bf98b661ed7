"""A generated tenant checked for drift from its log, and changed by someone else in between."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from reconciler.clock import VirtualClock
from reconciler.core.drift import detect_drift
from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.drift.incremental import CheckedDrift, incremental_drift
from reconciler.engine.drift import Drift
from reconciler.model import Invitations, Role
from tests.integration.tenants import API, Generated, generate

SOMEONE_ELSE = "dashboard-script"
"""The application that changes the tenant by hand (the reconciler's is `gen-client`)."""

Picks = Callable[[str, str], bool]
"""Whether a request (its path and query) is one whose answer is replaced."""


def rows(drift: Drift) -> list[tuple[Any, ...]]:
    """The drift's rows and unmanaged organizations, comparable and in a stable order."""
    found = sorted(
        (
            str(r.org),
            r.change.value,
            r.kind,
            r.name,
            tuple((f.field, str(f.git), str(f.auth0)) for f in r.fields),
        )
        for r in drift.rows
    )
    return [*found, ("unmanaged", *sorted(drift.unmanaged))]


@dataclass
class LoggedTenant:
    """A generated tenant, a checkpoint file and a virtual clock for its checks."""

    tenant: Generated
    checkpoint: Path
    clock: VirtualClock = field(default_factory=VirtualClock)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def sandbox(self) -> Any:
        return self.tenant.sandbox

    async def check(self) -> CheckedDrift:
        """`drift --incremental`, with the sandbox's call log holding only its calls."""
        self.sandbox.reset_calls()
        self.names = {**self._names(), **self.names}
        async with connect(self.tenant.desired, sandbox=self.sandbox, clock=self.clock) as session:
            return await incremental_drift(
                Reconciler(session, self.tenant.desired), self.checkpoint
            )

    async def full(self) -> Drift:
        """`drift`: every organization read."""
        async with connect(self.tenant.desired, sandbox=self.sandbox, clock=self.clock) as session:
            return (await detect_drift(Reconciler(session, self.tenant.desired))).drift

    def by_hand(self, client_id: str = SOMEONE_ELSE) -> httpx.AsyncClient:
        """An HTTP client of the Management API acting as `client_id`."""
        token = self.sandbox.issue_token(client_id=client_id)
        return self.sandbox.async_client(
            base_url=f"{self.sandbox.base_url}/api/v2",
            headers={"authorization": f"Bearer {token}"},
        )

    @contextmanager
    def log_answering(self, body: bytes, picks: Picks | None = None) -> Iterator[None]:
        """While inside: the log reads `picks` chooses (default: the pages read from a
        checkpoint) are served by the sandbox, which logs the call, and reach the client with
        `body` instead of theirs."""
        app = self.sandbox.app
        self.sandbox.app = ReplacedLogAnswers(app, body, picks or checkpoint_pages)
        try:
            yield
        finally:
            self.sandbox.app = app

    def org_id(self, name: str) -> str:
        org = self.sandbox.store.organization_by_name(name)
        return str(org.id)

    def role_id(self, name: str, owner: str | None = None) -> str:
        owner_id = self.org_id(owner) if owner else None
        for role in self.sandbox.store.state.roles.values():
            if role.name == name and role.owner_id == owner_id:
                return str(role.id)
        raise KeyError(name)

    def _names(self) -> dict[str, str]:
        state = self.sandbox.store.state
        names = {org_id: org.name for org_id, org in state.organizations.items()}
        names.update({role_id: role.name for role_id, role in state.roles.items()})
        return names

    def calls(self) -> list[str]:
        """The last check's calls, ids shown as the first names they had
        (`GET /organizations/org-0001/members`)."""
        names = {**self._names(), **self.names}
        shown = []
        for call in self.sandbox.api_calls():
            parts = call.path.removeprefix("/api/v2").split("/")
            parts = [names.get(p, "{log}" if p.startswith("90020") else p) for p in parts]
            shown.append(f"{call.method} {'/'.join(parts)}")
        return sorted(shown)


def checkpoint_pages(path: str, query: str) -> bool:
    """The log pages read from a checkpoint (`GET /logs?from=ID&take=100`)."""
    return path == "/api/v2/logs" and query.startswith("from=")


def every_log_read(path: str, query: str) -> bool:
    """Every read of the log: its pages, the newest event, one event by id."""
    return path == "/api/v2/logs" or path.startswith("/api/v2/logs/")


def log_event(path: str, query: str) -> bool:
    """The read of one event by id (`GET /logs/{id}`)."""
    return path.startswith("/api/v2/logs/")


def checkpoint_page_number(number: int) -> Picks:
    """The `number`th log page read from a checkpoint (1: the first)."""
    seen = 0

    def picks(path: str, query: str) -> bool:
        nonlocal seen
        if not checkpoint_pages(path, query):
            return False
        seen += 1
        return seen == number

    return picks


class ReplacedLogAnswers:
    """Wraps the sandbox's ASGI app: the answers to the GET requests `picks` chooses keep
    their status and headers (JSON) and get `body` instead of theirs."""

    def __init__(self, app: Any, body: bytes, picks: Picks) -> None:
        self.app = app
        self.body = body
        self.picks = picks

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if not (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and self.picks(scope["path"], scope.get("query_string", b"").decode())
        ):
            await self.app(scope, receive, send)
            return

        async def replaced(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message["headers"] if h[0] != b"content-length"]
                headers.append((b"content-length", str(len(self.body)).encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                message = {**message, "body": self.body}
            await send(message)

        await self.app(scope, receive, replaced)


BASE = ["GET /logs", "GET /logs/{log}", "GET /roles"]
"""A quiet check: the checkpoint's event still in the log, the log since, the role list."""
FULL = sorted(
    [
        "GET /logs",
        "GET /organizations",
        "GET /connections",
        "GET /roles",
        *(f"GET /roles/{role}/permissions" for role in ("admin", "lead", "member")),
        *(
            f"GET /organizations/org-000{i}/{part}"
            for i in range(4)
            for part in ("members", "enabled_connections", "discovery-domains", "invitations")
        ),
    ]
)
"""A full read of `logged_tenant()`: the newest log event (where the checkpoint starts), every
organization, the connections, the roles and their permissions, each organization's parts."""


def logged_tenant(tmp_path: Path, orgs: int = 4, members: int = 3) -> LoggedTenant:
    """A generated tenant that sends invitations, with an org-owned role in its last
    organization, members of the first listed by email (to be invited when they are not
    users), and a login in its log (a checkpoint needs an event to start at)."""
    tenant = generate(orgs=orgs, members=members)
    store = tenant.sandbox.store
    last = f"org-{orgs - 1:04d}"
    owner = store.organization_by_name(last).id
    lead = store.create_role("lead", "Lead", type="organization", owner_id=owner)
    store.add_role_permissions(lead.id, [(API, "read")])
    desired = tenant.desired.organizations
    desired[last] = desired[last].model_copy(
        update={"roles": {"lead": Role(description="Lead", permissions={API: ["read"]})}}
    )
    first = desired["org-0000"]
    emails = {u["user_id"]: u["email"] for u in store.state.users.values()}
    by_email = [
        replace(m, user_id=None, email=emails[m.user_id], invite=True) for m in first.members or []
    ]
    desired["org-0000"] = first.model_copy(update={"members": by_email})
    invitations = Invitations(client_id="gen-app", inviter_name="Team")
    tenant.desired = replace(
        tenant.desired, tenant=tenant.desired.tenant.model_copy(update={"invitations": invitations})
    )
    store.add_log({"type": "s", "description": "Success Login"})
    return LoggedTenant(tenant, tmp_path / "checkpoint.json")
