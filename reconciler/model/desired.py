"""The desired state of one tenant, as loaded from its files, with where each value came from."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from reconciler.model.applications import Application
from reconciler.model.connections import EnterpriseConnection
from reconciler.model.organization import Organization
from reconciler.model.roles import Role
from reconciler.model.sso_profiles import SsoProfile
from reconciler.model.tenant import Tenant

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Location:
    """A place in a YAML file: path (as given to the loader), 1-based line and column."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class ValueUse:
    """A value of the tenant's `values` put into a field: its name and what it stands for."""

    name: str
    value: Any


@dataclass(frozen=True)
class Origin:
    """Where a desired value came from, when it is more than the tenant's own file says: a
    file of the base the tenant extends, or values put into it."""

    location: Location
    inherited: bool
    """Written in a file of the base."""
    values: tuple[ValueUse, ...]


class Sources(Protocol):
    """Where key paths are written (a plain `dict` is one)."""

    def get(self, path: KeyPath, /) -> Location | None:
        """The place `path` is written, or None."""
        ...


@dataclass(frozen=True)
class Desired:
    """Everything a tenant's files say, keyed by name.

    `sources` maps key paths such as `("organizations", "acme-corp", "members", 0, "roles")`
    (or `("roles", "admin")`, `("applications", "ProjectManager")`, `("tenant", "policy")`) to
    where they were written.
    """

    tenant_name: str
    tenant: Tenant
    roles: dict[str, Role]
    organizations: dict[str, Organization]
    sources: Sources = field(default_factory=dict[KeyPath, Location])
    warnings: tuple[str, ...] = ()
    """Things about the files worth a warning that do not stop them loading."""
    applications: dict[str, Application] = field(default_factory=dict)
    """applications.yaml by name (empty when there is no such file)."""
    base: str | None = None
    """The folder of the base the tenant extends, as messages name it (`tenants/_shared`)."""
    value_uses: Mapping[KeyPath, tuple[ValueUse, ...]] = field(default_factory=dict)
    """The values put into each key path (as `sources` has them) that uses any."""
    connections: dict[str, EnterpriseConnection] = field(default_factory=dict)
    """connections.yaml by name: the tenant-wide enterprise connections."""
    sso_profiles: dict[str, SsoProfile] = field(default_factory=dict)
    """sso-profiles.yaml by name: the self-service SSO profiles."""
    files: dict[str, str] = field(default_factory=dict)
    """The contents of the files the tenant's files name (signing certificates), by their
    path relative to the tenant directory."""

    def enterprise_connections(self) -> dict[str, tuple[str | None, EnterpriseConnection]]:
        """Every declared enterprise connection by name, with the organization that owns it
        (None: tenant-wide, in connections.yaml)."""
        found: dict[str, tuple[str | None, EnterpriseConnection]] = {
            name: (None, conn) for name, conn in self.connections.items()
        }
        for org in self.organizations.values():
            for name, conn in (org.enterprise_connections or {}).items():
                found.setdefault(name, (org.name, conn))
        return found

    def connection_where(self, owner: str | None, name: str, *path: str | int) -> str:
        """`file:line:col: ` of a key path inside a declared connection."""
        if owner is None:
            return self.where("connections", name, *path)
        return self.where("organizations", owner, "enterprise_connections", name, *path)

    def locate(self, *path: str | int) -> Location | None:
        """The most specific known location of `path` or of its nearest ancestor."""
        for end in range(len(path), 0, -1):
            found = self.sources.get(path[:end])
            if found is not None:
                return found
        return None

    def where(self, *path: str | int) -> str:
        """`file:line:col: ` for messages, or an empty string when the place is unknown."""
        found = self.locate(*path)
        return f"{found}: " if found else ""

    def origin(self, *path: str | int) -> Origin | None:
        """Where the value at `path` came from when a base file or values gave it (the values
        used at `path` or under it); None when it is simply the tenant's own file."""
        by_name: dict[str, ValueUse] = {}
        for at, used in self.value_uses.items():
            if at[: len(path)] == path:
                by_name.update((use.name, use) for use in used)
        found = self.locate(*path)
        inherited = (
            found is not None and self.base is not None and found.path.startswith(self.base + "/")
        )
        if found is None or not (inherited or by_name):
            return None
        return Origin(found, inherited, tuple(by_name.values()))
