"""A stateful emulator of the Auth0 Management API, in-process or served on loopback."""

from .calllog import CallRecord, ResponseSample, recording_responses
from .errors import ApiError
from .faults import ConnectionDropped
from .records import Member, Organization, OrgConnection, Role
from .sandbox import Sandbox
from .server import serve, serving
from .settings import SandboxSettings
from .state_lock import StateBusy, state_lock
from .store import Store
from .world import World, load_world

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
