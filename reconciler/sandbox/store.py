"""The sandbox's stateful store: every operation, persistence and seeding from a world."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .areas.actions import ActionOps
from .areas.client_grants import ClientGrantOps
from .areas.clients import ClientOps
from .areas.connection_clients import ConnectionClientOps
from .areas.connections import ConnectionOps
from .areas.discovery_domains import DiscoveryDomainOps
from .areas.invitations import InvitationOps
from .areas.logs import LogOps
from .areas.members import MemberOps
from .areas.org_client_grants import OrgClientGrantOps
from .areas.org_clients import OrgClientOps
from .areas.org_connections import OrgConnectionOps
from .areas.organizations import OrganizationOps
from .areas.resource_servers import ResourceServerOps
from .areas.roles import RoleOps
from .areas.self_service_profiles import SelfServiceProfileOps
from .areas.users import UserOps
from .ids import IdFactory
from .records import StoreState
from .store_base import Clock, system_clock
from .world import World

_STATE = TypeAdapter(StoreState)
DEFAULT_TENANT_DOMAIN = "sandbox.auth0.local"


class Store(
    SelfServiceProfileOps,
    OrganizationOps,
    MemberOps,
    OrgConnectionOps,
    OrgClientGrantOps,
    OrgClientOps,
    DiscoveryDomainOps,
    InvitationOps,
    RoleOps,
    UserOps,
    ConnectionOps,
    ConnectionClientOps,
    ClientOps,
    ResourceServerOps,
    ClientGrantOps,
    LogOps,
    ActionOps,
):
    """All data of one emulated tenant, with Auth0's rules. Methods are the direct helpers
    tests use to seed data without HTTP; they raise :class:`ApiError` like the API does."""

    def __init__(
        self,
        state: StoreState | None = None,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        tenant_domain: str = DEFAULT_TENANT_DOMAIN,
    ) -> None:
        ids = IdFactory(seed)
        if state is not None and state.id_state is not None:
            ids.set_state(state.id_state)
        super().__init__(state or StoreState(tenant_domain), ids, clock or system_clock)

    @classmethod
    def from_world(
        cls,
        world: World,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        tenant_domain: str = DEFAULT_TENANT_DOMAIN,
    ) -> Store:
        """A store holding what ``world`` says exists before the reconciler runs."""
        store = cls(seed=seed, clock=clock, tenant_domain=tenant_domain)
        mc = world.management_client
        store.create_client(
            "Sandbox Management Client",
            "non_interactive",
            mc.client_id,
            client_secret=mc.client_secret,
        )
        for connection in world.connections:
            store.create_connection(connection.name, connection.strategy)
        for client in world.clients:
            store.create_client(client.name, client.app_type, client.client_id)
        for server in world.resource_servers:
            store.create_resource_server(server.name, server.identifier, server.scopes)
        for user in world.users:
            store.create_user(user.email, user.name, user.connection, user.user_id)
        return store

    def to_json(self) -> dict[str, Any]:
        """The whole state as JSON-compatible data."""
        self.state.id_state = self.ids.get_state()
        data: dict[str, Any] = _STATE.dump_python(self.state, mode="json")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], *, clock: Clock | None = None) -> Store:
        """A store from :meth:`to_json` output."""
        return cls(_STATE.validate_python(data), clock=clock)

    def save(self, path: str | Path) -> None:
        """Write the state to ``path`` atomically (temporary file, then ``os.replace``)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.to_json(), handle, separators=(",", ":"))
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | Path, *, clock: Clock | None = None) -> Store:
        """A store from a file written by :meth:`save`."""
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")), clock=clock)
