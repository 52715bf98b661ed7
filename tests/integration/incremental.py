"""A generated tenant checked for drift from its log, and changed by someone else in between."""

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from reconciler.clock import VirtualClock
from reconciler.core.drift import detect_drift
from reconciler.core.incremental import CheckedDrift, incremental_drift
from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.engine.drift import Drift
from reconciler.model import Invitations, Role
from tests.integration.tenants import API, Generated, generate

SOMEONE_ELSE = "dashboard-script"
"""The application that changes the tenant by hand (the reconciler's is `gen-client`)."""


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
        async with connect(
            self.tenant.desired, Path("."), sandbox=self.sandbox, clock=self.clock
        ) as session:
            return await incremental_drift(
                Reconciler(session, self.tenant.desired), self.checkpoint
            )

    async def full(self) -> Drift:
        """`drift`: every organization read."""
        async with connect(
            self.tenant.desired, Path("."), sandbox=self.sandbox, clock=self.clock
        ) as session:
            return (await detect_drift(Reconciler(session, self.tenant.desired))).drift

    def by_hand(self, client_id: str = SOMEONE_ELSE) -> httpx.AsyncClient:
        """An HTTP client of the Management API acting as `client_id`."""
        token = self.sandbox.issue_token(client_id=client_id)
        return self.sandbox.async_client(
            base_url=f"{self.sandbox.base_url}/api/v2",
            headers={"authorization": f"Bearer {token}"},
        )

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


BASE = ["GET /logs", "GET /logs/{log}", "GET /roles"]
"""A quiet check: the checkpoint's event still in the log, the log since, the role list."""


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
        m.model_copy(update={"user_id": None, "email": emails[m.user_id], "invite": True})
        for m in first.members or []
    ]
    desired["org-0000"] = first.model_copy(update={"members": by_email})
    invitations = Invitations(client_id="gen-app", inviter_name="Team")
    tenant.desired = replace(
        tenant.desired, tenant=tenant.desired.tenant.model_copy(update={"invitations": invitations})
    )
    store.add_log({"type": "s", "description": "Success Login"})
    return LoggedTenant(tenant, tmp_path / "checkpoint.json")
