"""A stateful emulator of the Auth0 Management API, in-process or served on loopback.

Names are imported from their modules when first used, so that a command against a real
tenant that only reads a `sandbox.yaml` or takes a file lock never loads the emulator (its
store, its routes, its HTTP server).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Imported now: the function `state_lock` must be bound over the module of that name.
from .state_lock import StateBusy, state_lock

if TYPE_CHECKING:
    from .calllog import CallRecord, ResponseSample, recording_responses
    from .errors import ApiError
    from .faults import ConnectionDropped
    from .records import Member, Organization, OrgConnection, Role
    from .sandbox import Sandbox
    from .server import serve, serving
    from .settings import SandboxSettings
    from .store import Store
    from .world import World, load_world

_MODULES = {
    "ApiError": "errors",
    "CallRecord": "calllog",
    "ConnectionDropped": "faults",
    "Member": "records",
    "OrgConnection": "records",
    "Organization": "records",
    "ResponseSample": "calllog",
    "Role": "records",
    "Sandbox": "sandbox",
    "SandboxSettings": "settings",
    "Store": "store",
    "World": "world",
    "load_world": "world",
    "recording_responses": "calllog",
    "serve": "server",
    "serving": "server",
}
__all__ = [
    "ApiError",
    "CallRecord",
    "ConnectionDropped",
    "Member",
    "OrgConnection",
    "Organization",
    "ResponseSample",
    "Role",
    "Sandbox",
    "SandboxSettings",
    "StateBusy",
    "Store",
    "World",
    "load_world",
    "recording_responses",
    "serve",
    "serving",
    "state_lock",
]


def __getattr__(name: str) -> Any:
    """The exported name `name`, its module imported on first use."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
