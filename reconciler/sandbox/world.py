"""The world a sandbox starts from: ``tenants/<tenant>/sandbox.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ManagementClientSpec(_Spec):
    """The machine-to-machine application the reconciler authenticates as."""

    client_id: str = Field(min_length=1)
    client_secret: str = Field(min_length=1)
    scopes: Literal["all"] | list[str] = "all"


class ConnectionSpec(_Spec):
    """An existing connection (identity provider)."""

    name: str = Field(min_length=1, max_length=128)
    strategy: str = Field(min_length=1)


class ClientSpec(_Spec):
    """An existing application."""

    name: str = Field(min_length=1)
    app_type: str = "regular_web"
    client_id: str | None = None


class ResourceServerSpec(_Spec):
    """An existing API and the permissions (scopes) it defines."""

    name: str = Field(min_length=1)
    identifier: str = Field(min_length=1)
    scopes: list[str] = Field(default_factory=list)


class UserSpec(_Spec):
    """An existing user; ``user_id`` is the full id (``google-oauth2|1093``) when given."""

    email: str = Field(min_length=3)
    connection: str
    name: str | None = None
    user_id: str | None = None


def _default_management_client() -> ManagementClientSpec:
    return ManagementClientSpec(client_id="sandbox-management", client_secret="sandbox-secret")


class World(_Spec):
    """Everything that exists in the tenant before the reconciler runs."""

    management_client: ManagementClientSpec = Field(default_factory=_default_management_client)
    connections: list[ConnectionSpec] = Field(default_factory=list)
    clients: list[ClientSpec] = Field(default_factory=list)
    resource_servers: list[ResourceServerSpec] = Field(default_factory=list)
    users: list[UserSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> World:
        _unique("connection name", [c.name for c in self.connections])
        _unique("resource server identifier", [r.identifier for r in self.resource_servers])
        client_ids = [c.client_id for c in self.clients if c.client_id]
        _unique("client_id", [self.management_client.client_id, *client_ids])
        _unique("user_id", [u.user_id for u in self.users if u.user_id])
        names = {c.name for c in self.connections}
        for user in self.users:
            if user.connection not in names:
                raise ValueError(f"user {user.email}: unknown connection {user.connection!r}")
        return self


def _unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what}: {value!r}")
        seen.add(value)


def load_world(path: str | Path) -> World:
    """Read and validate a ``sandbox.yaml`` file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return World.model_validate(data or {})
