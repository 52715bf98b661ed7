"""Connections, applications, client grants, resource servers and the log of operations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .errors import conflict, not_found
from .records import JsonObject
from .store_base import StoreBase

LOG_RETENTION = 1000
_PUBLIC_APP_TYPES = frozenset({"spa", "native"})


class CatalogOps(StoreBase):
    """Operations on the tenant's catalog: what organizations refer to."""

    # -- connections --------------------------------------------------------------------

    def create_connection(self, name: str, strategy: str, **fields: Any) -> JsonObject:
        """Create a connection; names are unique."""
        if self.connection_by_name(name) is not None:
            raise conflict("A connection with the same name already exists", "connection_conflict")
        connection: JsonObject = {
            "id": self.ids.prefixed("con_"),
            "name": name,
            "strategy": strategy,
            "options": {},
            "enabled_clients": [],
            "is_domain_connection": False,
            "realms": [name],
        }
        connection.update({k: v for k, v in fields.items() if v is not None})
        self.state.connections[connection["id"]] = connection
        return connection

    def update_connection(self, connection_id: str, changes: Mapping[str, Any]) -> JsonObject:
        """Apply a PATCH (``options`` is replaced as a whole, as Auth0 does)."""
        connection = self.connection(connection_id)
        for key, value in changes.items():
            if value is None:
                connection.pop(key, None)
            else:
                connection[key] = value
        return connection

    def delete_connection(self, connection_id: str) -> None:
        """Delete a connection, its users and its links to organizations."""
        connection = self.connection(connection_id)
        del self.state.connections[connection_id]
        for org in self.state.organizations.values():
            org.connections.pop(connection_id, None)
        doomed = [
            u["user_id"]
            for u in self.state.users.values()
            if u["identities"][0]["connection"] == connection["name"]
        ]
        for user_id in doomed:
            self._forget_user(user_id)

    # -- clients ------------------------------------------------------------------------

    def create_client(
        self, name: str, app_type: str = "regular_web", client_id: str | None = None, **fields: Any
    ) -> JsonObject:
        """Create an application; ``client_id`` is generated when omitted."""
        client_id = client_id or self.ids.alnum(32)
        if client_id in self.state.clients:
            raise conflict("A client with this client_id already exists.")
        public = app_type in _PUBLIC_APP_TYPES
        client: JsonObject = {
            "client_id": client_id,
            "tenant": self.state.tenant_domain.split(".")[0],
            "name": name,
            "app_type": app_type,
            "client_secret": self.ids.alnum(64),
            "is_first_party": True,
            "global": False,
            "oidc_conformant": False,
            "callbacks": [],
            "allowed_origins": [],
            "web_origins": [],
            "allowed_logout_urls": [],
            "grant_types": (
                ["authorization_code", "implicit", "refresh_token"]
                if public
                else ["client_credentials"]
                if app_type == "non_interactive"
                else ["authorization_code", "implicit", "refresh_token", "client_credentials"]
            ),
            "token_endpoint_auth_method": "none" if public else "client_secret_post",
            "jwt_configuration": {"alg": "RS256", "lifetime_in_seconds": 36000},
            "organization_usage": "deny",
            "organization_require_behavior": "no_prompt",
        }
        client.update({k: v for k, v in fields.items() if v is not None})
        self.state.clients[client_id] = client
        return client

    def update_client(self, client_id: str, changes: Mapping[str, Any]) -> JsonObject:
        """Apply a PATCH to an application."""
        client = self.client(client_id)
        for key, value in changes.items():
            if value is None:
                client.pop(key, None)
            else:
                client[key] = value
        return client

    def delete_client(self, client_id: str) -> None:
        """Delete an application, its client grants and its organization associations."""
        self.client(client_id)
        del self.state.clients[client_id]
        for org in self.state.organizations.values():
            org.clients.pop(client_id, None)
        for grant in [g for g in self.state.client_grants.values() if g["client_id"] == client_id]:
            self.delete_client_grant(grant["id"])

    # -- client grants ------------------------------------------------------------------

    def create_client_grant(
        self, client_id: str, audience: str, scope: Sequence[str] = (), **fields: Any
    ) -> JsonObject:
        """Grant an application access to an API; one grant per (client, audience)."""
        if client_id not in self.state.clients:
            raise not_found("The client does not exist", "inexistent_client")
        if self.resource_server_by_identifier(audience) is None:
            raise not_found("The resource server does not exist.")
        for other in self.state.client_grants.values():
            if other["client_id"] == client_id and other["audience"] == audience:
                raise conflict("A client grant for this client and audience already exists.")
        grant: JsonObject = {
            "id": self.ids.prefixed("cgr_"),
            "client_id": client_id,
            "audience": audience,
            "scope": list(scope),
            "is_system": False,
        }
        grant.update({k: v for k, v in fields.items() if v is not None})
        self.state.client_grants[grant["id"]] = grant
        return grant

    def update_client_grant(self, grant_id: str, changes: Mapping[str, Any]) -> JsonObject:
        """Change scopes or organization settings of a grant."""
        grant = self.client_grant(grant_id)
        for key, value in changes.items():
            if value is None:
                grant.pop(key, None)
            else:
                grant[key] = value
        return grant

    def delete_client_grant(self, grant_id: str) -> None:
        """Delete a grant and its associations with organizations."""
        self.client_grant(grant_id)
        del self.state.client_grants[grant_id]
        for org in self.state.organizations.values():
            if grant_id in org.client_grants:
                org.client_grants.remove(grant_id)

    # -- resource servers ---------------------------------------------------------------

    def create_resource_server(
        self,
        name: str,
        identifier: str,
        scopes: Sequence[str | JsonObject] = (),
        **fields: Any,
    ) -> JsonObject:
        """Create an API with its permissions (names, or ``{value, description}`` objects);
        identifiers are unique."""
        if self.resource_server_by_identifier(identifier) is not None:
            raise conflict("A resource server with the same identifier already exists.")
        server: JsonObject = {
            "id": self.ids.hex(24),
            "name": name,
            "identifier": identifier,
            "scopes": [{"value": s, "description": s} if isinstance(s, str) else s for s in scopes],
            "signing_alg": "RS256",
            "token_lifetime": 86400,
            "token_lifetime_for_web": 7200,
            "allow_offline_access": False,
            "skip_consent_for_verifiable_first_party_clients": True,
            "enforce_policies": False,
            "token_dialect": "access_token",
            "is_system": False,
        }
        server.update({k: v for k, v in fields.items() if v is not None})
        self.state.resource_servers[server["id"]] = server
        return server

    def update_resource_server(self, server_id: str, changes: Mapping[str, Any]) -> JsonObject:
        """Apply a PATCH to an API (``scopes`` replaced as a whole)."""
        server = self.resource_server(server_id)
        for key, value in changes.items():
            if value is None:
                server.pop(key, None)
            else:
                server[key] = value
        return server

    def delete_resource_server(self, server_id: str) -> None:
        """Delete an API, its client grants and role permissions on it."""
        server = self.resource_server(server_id)
        del self.state.resource_servers[server["id"]]
        identifier = server["identifier"]
        for grant in [g for g in self.state.client_grants.values() if g["audience"] == identifier]:
            self.delete_client_grant(grant["id"])
        for role in self.state.roles.values():
            role.permissions[:] = [p for p in role.permissions if p[0] != identifier]

    # -- logs ---------------------------------------------------------------------------

    def add_log(self, entry: JsonObject) -> JsonObject:
        """Append a log event (``log_id`` and ``date`` are filled in); the oldest beyond
        the retention are dropped."""
        self.state.log_seq += 1
        event: JsonObject = {"log_id": f"90020{self.state.log_seq:020d}", "date": self.timestamp()}
        event.update(entry)
        self.state.logs.append(event)
        if len(self.state.logs) > LOG_RETENTION:
            del self.state.logs[: len(self.state.logs) - LOG_RETENTION]
        return event

    def log_event(self, log_id: str) -> JsonObject:
        """One log event, or 404."""
        for event in self.state.logs:
            if event["log_id"] == log_id:
                return event
        raise not_found("The log event does not exist.")
