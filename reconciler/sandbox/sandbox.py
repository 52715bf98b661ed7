"""A sandbox: store, settings, clock, tokens, call log and the ASGI app, wired together."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

from .app import SandboxApp
from .areas import ROUTE_TABLES
from .areas.connections import OPTION_SCOPES
from .auth import TokenIssuer
from .calllog import CallRecord
from .faults import FaultInjector
from .limits import RateLimits
from .router import Route, Router
from .settings import SandboxSettings
from .store import DEFAULT_TENANT_DOMAIN, Store
from .store_base import Clock, system_clock
from .transport import AsyncSandboxTransport, SyncSandboxTransport
from .world import ManagementClientSpec, World, load_world

SECRET_WORDS = ("secret", "password", "private", "credential")
"""A body key holding one of these is left out of the log (``client_secret``, an Action's
``secrets``, a user's ``password``...), at any depth."""
SAVE_SHARE = 20
MASK = "*****"
"""What Auth0's log shows for a secret's value."""
LOOPBACK = "127.0.0.1"
NULL_LOG_FIELDS = dict.fromkeys(
    (
        "connection",
        "connection_id",
        "organization_id",
        "organization_name",
        "hostname",
        "user_id",
        "user_name",
        "audience",
        "scope",
        "strategy",
        "strategy_type",
        "location_info",
    )
)
"""The fields of a log event that Auth0 leaves null in a Management API (``sapi``) event."""
"""Writes between saves are at most 1/SAVE_SHARE of the objects the state holds."""
ROUTER = Router(ROUTE_TABLES)


class Sandbox:
    """An emulated Auth0 tenant. Use :attr:`app` (ASGI), :meth:`async_client` /
    :meth:`sync_client` in-process, or serve it (:func:`serving`)."""

    def __init__(
        self,
        world: World | None = None,
        *,
        settings: SandboxSettings | None = None,
        seed: int = 0,
        clock: Clock | None = None,
        state_file: str | Path | None = None,
        store: Store | None = None,
        tenant_domain: str = DEFAULT_TENANT_DOMAIN,
        world_digest: str | None = None,
    ) -> None:
        self.world = world or World()
        self.seed = seed
        self.clock: Clock = clock or system_clock
        self.tenant_domain = tenant_domain
        self.state_file = Path(state_file) if state_file is not None else None
        self.world_digest = world_digest
        self._unsaved = 0
        self.store = store or self._seeded_store()
        self.settings = settings or SandboxSettings()
        self.calls: list[CallRecord] = []
        self.router = ROUTER
        self.tokens = TokenIssuer(self._now)
        self.limiter = RateLimits()
        self.faults = FaultInjector()
        self.lock = threading.Lock()
        self.app = SandboxApp(self)

    @classmethod
    def from_world_file(
        cls,
        path: str | Path,
        state_file: str | Path | None = None,
        settings: SandboxSettings | None = None,
        seed: int = 0,
        clock: Clock | None = None,
    ) -> Sandbox:
        """A sandbox for ``tenants/<tenant>/sandbox.yaml``: state from ``state_file`` if it
        exists, else seeded from the world."""
        world = load_world(path)
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        tenant = Path(path).resolve().parent.name
        store = None
        if state_file is not None and Path(state_file).exists():
            store = Store.load(state_file, clock=clock)
        return cls(
            world,
            settings=settings,
            seed=seed,
            clock=clock,
            state_file=state_file,
            store=store,
            tenant_domain=f"{tenant}.sandbox.auth0.local",
            world_digest=digest,
        )

    def _now(self) -> float:
        return self.clock()

    def _seeded_store(self) -> Store:
        store = Store.from_world(
            self.world, seed=self.seed, clock=self.clock, tenant_domain=self.tenant_domain
        )
        store.state.world_digest = self.world_digest
        return store

    @property
    def world_changed(self) -> bool:
        """True when the state was seeded from another version of the world file."""
        seeded = self.store.state.world_digest
        return None not in (seeded, self.world_digest) and seeded != self.world_digest

    @property
    def management_client(self) -> ManagementClientSpec:
        """The credentials ``/oauth/token`` accepts."""
        return self.world.management_client

    @property
    def all_scopes(self) -> frozenset[str]:
        """Every scope the emulated endpoints know (what ``scopes: all`` grants)."""
        return self.router.scopes | OPTION_SCOPES

    @property
    def base_url(self) -> str:
        """The base URL in-process clients use by default."""
        return f"https://{self.tenant_domain}"

    def issue_token(self, scopes: list[str] | None = None, client_id: str | None = None) -> str:
        """A bearer token for the management client, with ``scopes`` (default: all it has);
        with ``client_id``, a token of every scope for that application instead (someone
        else changing the tenant: a script, another tool)."""
        if client_id is not None:
            return self.tokens.issue(client_id, sorted(self.all_scopes))
        granted = self.management_client.scopes
        if scopes is None:
            scopes = sorted(self.all_scopes) if granted == "all" else list(granted)
        return self.tokens.issue(self.management_client.client_id, scopes)

    def api_calls(self) -> list[CallRecord]:
        """The logged Management API calls (``/api/v2/...``), oldest first."""
        return [call for call in self.calls if call.is_api]

    def reset_calls(self) -> None:
        """Forget the call log."""
        self.calls.clear()

    def reset_state(self) -> None:
        """Go back to the seeded world (and save it when there is a state file). The log
        starts empty, its ids going on from the old ones: a reader's checkpoint in the old log
        is then not found, as after Auth0's retention, rather than taken for a new event."""
        with self.lock:
            log_seq = self.store.state.log_seq
            self.store = self._seeded_store()
            self.store.state.log_seq = log_seq
            self.save()

    def update_settings(self, **changes: Any) -> SandboxSettings:
        """Change some settings (validated); returns the new settings."""
        merged = {**self.settings.model_dump(), **changes}
        self.settings = SandboxSettings.model_validate(merged)
        return self.settings

    def save(self) -> None:
        """Write the state file atomically; nothing without one."""
        self._unsaved = 0
        if self.state_file is not None:
            self.store.save(self.state_file)

    def flush(self) -> None:
        """Save the writes not saved yet."""
        if self._unsaved:
            self.save()

    def record_write(
        self,
        route: Route,
        method: str,
        path: str,
        status: int,
        client_id: str,
        body: bytes = b"",
        query: str = "",
        answer: Any = None,
    ) -> None:
        """After a successful write: log it for ``/logs`` as Auth0 does (a ``sapi`` event
        with the request's method, path as sent, query and JSON body, and the answer, secrets
        masked; the fields Auth0 fills for logins are null) and save the state (see
        `flush`)."""
        if status >= 300:
            return
        request: dict[str, Any] = {
            "auth": {"credentials": {}, "strategy": "jwt", "user": {}},
            "body": masked(_json_or_none(body)),
            "channel": "api",
            "ip": LOOPBACK,
            "method": method.lower(),
            "path": path,
            "query": {k: v[0] for k, v in parse_qs(query).items()},
            "userAgent": "",
        }
        response = {"body": masked(answer) if answer is not None else {}, "statusCode": status}
        self.store.add_log(
            {
                **NULL_LOG_FIELDS,
                "type": "sapi",
                "description": route.summary,
                "client_id": client_id,
                "client_name": self.store.state.clients.get(client_id, {}).get("name", ""),
                "ip": LOOPBACK,
                "details": {"request": request, "response": response},
                "user_agent": "Other 0.0.0 / Other 0.0.0",
                "isMobile": False,
            }
        )
        # Saving rewrites the whole state: save after every write while the state is small,
        # then after a number of writes that grows with it, so that N writes cost O(N).
        self._unsaved += 1
        if self._unsaved >= max(1, self.store.state.seq // SAVE_SHARE):
            self.save()

    def async_client(self, base_url: str | None = None, **kwargs: Any) -> httpx.AsyncClient:
        """An ``httpx.AsyncClient`` that reaches this sandbox in-process."""
        return httpx.AsyncClient(
            transport=AsyncSandboxTransport(self.app), base_url=base_url or self.base_url, **kwargs
        )

    def sync_client(self, base_url: str | None = None, **kwargs: Any) -> httpx.Client:
        """An ``httpx.Client`` that reaches this sandbox in-process (the app runs on a
        private event loop in a background thread)."""
        return httpx.Client(
            transport=SyncSandboxTransport(self.app), base_url=base_url or self.base_url, **kwargs
        )


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def masked(value: Any) -> Any:
    """A JSON value with the value of every key that names a secret replaced by Auth0's
    mask, at any depth."""
    if isinstance(value, dict):
        return {
            k: MASK if any(word in str(k).lower() for word in SECRET_WORDS) else masked(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value
