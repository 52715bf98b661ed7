"""The world a sandbox starts from: ``tenants/<tenant>/sandbox.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


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


Problem = tuple[tuple[str | int, ...], str]
"""Where in the file (a key path) and what is wrong."""


def world_problems(world: World) -> list[Problem]:
    """References and duplicates the world cannot hold, each with its key path."""
    problems: list[Problem] = []
    problems += _duplicates("connections", "name", [c.name for c in world.connections])
    problems += _duplicates(
        "resource_servers", "identifier", [r.identifier for r in world.resource_servers]
    )
    problems += _duplicates("clients", "client_id", [c.client_id for c in world.clients])
    problems += _duplicates("users", "user_id", [u.user_id for u in world.users])
    names = {c.name for c in world.connections}
    for index, user in enumerate(world.users):
        if user.connection not in names:
            problems.append(
                (("users", index, "connection"), f"unknown connection {user.connection!r}")
            )
    return problems


def _duplicates(section: str, key: str, values: list[str | None]) -> list[Problem]:
    seen: set[str] = set()
    found: list[Problem] = []
    for index, value in enumerate(values):
        if value is None:
            continue
        if value in seen:
            found.append(((section, index, key), f"duplicate {key} {value!r}"))
        seen.add(value)
    return found


def load_world(path: str | Path) -> World:
    """Read and validate a ``sandbox.yaml`` file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    world = World.model_validate(data or {}, strict=False)
    problems = world_problems(world)
    if problems:
        where, message = problems[0]
        raise ValueError(f"{path}: {'.'.join(map(str, where))}: {message}")
    return world
