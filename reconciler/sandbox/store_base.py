"""Shared plumbing of the store: state, ids, clock, look-ups and indexes."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from .errors import not_found
from .ids import IdFactory
from .records import JsonObject, Organization, Role, StoreState

Clock = Callable[[], float]


def system_clock() -> float:
    """Unix time, looked up on every call so that freezegun can stand in for it."""
    return time.time()


def iso_time(ts: float) -> str:
    """Auth0's timestamp format: ISO 8601 in UTC with milliseconds."""
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class StoreBase:
    """State, id generator and clock, plus the look-ups every kind of operation needs."""

    def __init__(self, state: StoreState, ids: IdFactory, clock: Clock) -> None:
        self.state = state
        self.ids = ids
        self.clock = clock
        self._org_ids_by_name: dict[str, str] = {}
        self._user_ids_by_email: dict[str, list[str]] = {}
        self._reindex()

    def _reindex(self) -> None:
        self._org_ids_by_name = {o.name: o.id for o in self.state.organizations.values()}
        self._user_ids_by_email = {}
        for user in self.state.users.values():
            self._index_email(user)

    def _index_email(self, user: JsonObject) -> None:
        email = user.get("email")
        if email:
            self._user_ids_by_email.setdefault(email, []).append(user["user_id"])

    def _unindex_email(self, user: JsonObject) -> None:
        email = user.get("email")
        ids = self._user_ids_by_email.get(email or "")
        if ids and user["user_id"] in ids:
            ids.remove(user["user_id"])
            if not ids:
                del self._user_ids_by_email[email or ""]

    def _forget_user(self, user_id: str) -> None:
        """Remove a user with their memberships and role assignments."""
        self._unindex_email(self.state.users.pop(user_id))
        self.state.user_roles.pop(user_id, None)
        for org in self.state.organizations.values():
            org.members.pop(user_id, None)

    def now(self) -> float:
        """The current time from the injected clock."""
        return self.clock()

    def timestamp(self) -> str:
        """The current time in Auth0's format."""
        return iso_time(self.clock())

    def next_seq(self) -> int:
        """A number that grows with every insertion; checkpoint cursors are built from it."""
        self.state.seq += 1
        return self.state.seq

    def organization(self, org_id: str) -> Organization:
        """The organization with this id, or 404."""
        org = self.state.organizations.get(org_id)
        if org is None:
            raise not_found("No organization found by that id or name")
        return org

    def organization_by_name(self, name: str) -> Organization:
        """The organization with this name, or 404."""
        org_id = self._org_ids_by_name.get(name)
        if org_id is None:
            raise not_found("No organization found by that id or name")
        return self.state.organizations[org_id]

    def role(self, role_id: str) -> Role:
        """The role with this id, or 404."""
        role = self.state.roles.get(role_id)
        if role is None:
            raise not_found("The role does not exist.")
        return role

    def user(self, user_id: str) -> JsonObject:
        """The user with this id, or 404."""
        user = self.state.users.get(user_id)
        if user is None:
            raise not_found("The user does not exist.", "inexistent_user")
        return user

    def connection(self, connection_id: str) -> JsonObject:
        """The connection with this id, or 404."""
        connection = self.state.connections.get(connection_id)
        if connection is None:
            raise not_found("The connection does not exist.", "inexistent_connection")
        return connection

    def connection_by_name(self, name: str) -> JsonObject | None:
        """The connection with this name, if any."""
        for connection in self.state.connections.values():
            if connection["name"] == name:
                return connection
        return None

    def client(self, client_id: str) -> JsonObject:
        """The application with this client id, or 404."""
        client = self.state.clients.get(client_id)
        if client is None:
            raise not_found("The client does not exist", "inexistent_client")
        return client

    def client_grant(self, grant_id: str) -> JsonObject:
        """The client grant with this id, or 404."""
        grant = self.state.client_grants.get(grant_id)
        if grant is None:
            raise not_found("The client grant does not exist.")
        return grant

    def resource_server(self, id_or_identifier: str) -> JsonObject:
        """The resource server with this id or identifier (audience), or 404."""
        server = self.state.resource_servers.get(id_or_identifier)
        if server is None:
            server = self.resource_server_by_identifier(id_or_identifier)
        if server is None:
            raise not_found("The resource server does not exist.")
        return server

    def resource_server_by_identifier(self, identifier: str) -> JsonObject | None:
        """The resource server whose identifier (audience) is this, if any."""
        for server in self.state.resource_servers.values():
            if server["identifier"] == identifier:
                return server
        return None

    def action(self, action_id: str) -> JsonObject:
        """The action with this id, or 404."""
        action = self.state.actions.get(action_id)
        if action is None:
            raise not_found("The action does not exist.")
        return action
