"""``/resource-servers``: APIs and their permissions."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from ..errors import conflict, invalid_body
from ..pagination import offset_page, read_offset
from ..records import JsonObject
from ..router import Context, Reply, RouteTable
from ..validation import NAME_WITHOUT_BRACKETS, Body
from .client_grants import ClientGrantOps

RESOURCE_SERVER_FIELDS = (
    "allow_offline_access",
    "allow_online_access",
    "authorization_details",
    "authorization_policy",
    "consent_policy",
    "enforce_policies",
    "name",
    "proof_of_possession",
    "scopes",
    "signing_alg",
    "signing_secret",
    "skip_consent_for_verifiable_first_party_clients",
    "subject_type_authorization",
    "token_dialect",
    "token_encryption",
    "token_lifetime",
    "token_lifetime_for_web",
)
DEFAULT_SUBJECT_TYPE_AUTHORIZATION: JsonObject = {
    "user": {"policy": "allow_all"},
    "client": {"policy": "require_client_grant"},
}


class ResourceServerOps(ClientGrantOps):
    """Operations on APIs; deleting one deletes its client grants."""

    def create_resource_server(
        self,
        name: str | None,
        identifier: str,
        scopes: Sequence[str | JsonObject] | None = None,
        **fields: Any,
    ) -> JsonObject:
        """Create an API with its permissions (names, or ``{value, description}`` objects);
        identifiers are unique. As in Auth0, a name or permissions not given are left out."""
        if self.resource_server_by_identifier(identifier) is not None:
            raise conflict("A resource server with the same identifier already exists.")
        server: JsonObject = {"id": self.ids.hex(24), "identifier": identifier}
        if name is not None:
            server["name"] = name
        if scopes is not None:
            server["scopes"] = [
                {"value": s, "description": s} if isinstance(s, str) else s for s in scopes
            ]
        server |= {
            "signing_alg": "RS256",
            "token_lifetime": 86400,
            "token_lifetime_for_web": 7200,
            "allow_offline_access": False,
            "skip_consent_for_verifiable_first_party_clients": False,
            "subject_type_authorization": copy.deepcopy(DEFAULT_SUBJECT_TYPE_AUTHORIZATION),
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


routes = RouteTable()


def _resource_server_fields(body: Body) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in RESOURCE_SERVER_FIELDS:
        if not body.has(key):
            continue
        if key == "name":
            fields[key] = body.string(key, max_len=200, pattern=NAME_WITHOUT_BRACKETS)
        elif key == "scopes":
            scopes = body.objects(key, ("value", "description"), ("value",)) or []
            fields[key] = [
                {"value": s.string("value", min_len=1, max_len=280)}
                | ({"description": s.string("description")} if s.has("description") else {})
                for s in scopes
            ]
        elif key == "token_encryption":
            fields[key] = _stored_encryption(body.object(key, nullable=True))
        elif key in ("token_lifetime", "token_lifetime_for_web"):
            fields[key] = body.integer(key, minimum=0, maximum=2592000)
        else:
            fields[key] = body.data[key]
    return fields


def _stored_encryption(settings: JsonObject | None) -> JsonObject | None:
    """Token encryption as Auth0 keeps it: the key's certificate replaced by the RFC 7638
    thumbprint of its public key."""
    key = (settings or {}).get("encryption_key")
    if settings is None or not isinstance(key, dict) or "pem" not in key:
        return settings
    try:
        public = x509.load_pem_x509_certificate(str(key["pem"]).encode()).public_key()
    except ValueError:
        raise invalid_body("The encryption key is not a PEM certificate.") from None
    if not isinstance(public, rsa.RSAPublicKey):
        raise invalid_body("The encryption key must be an RSA key.")
    numbers = public.public_numbers()
    jwk = json.dumps(
        {"e": _b64url_int(numbers.e), "kty": "RSA", "n": _b64url_int(numbers.n)},
        separators=(",", ":"),
    )
    stored = {k: v for k, v in key.items() if k != "pem"}
    stored["thumbprint_sha256"] = _b64url(hashlib.sha256(jwk.encode()).digest())
    return {**settings, "encryption_key": stored}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64url_int(value: int) -> str:
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@routes.get("/resource-servers", "read:resource_servers", "List resource servers")
def list_resource_servers(ctx: Context) -> Reply:
    paging = read_offset(ctx.query)
    identifiers = set(ctx.query.strings("identifiers"))
    servers = [
        s
        for s in ctx.store.state.resource_servers.values()
        if not identifiers or s["identifier"] in identifiers
    ]
    return Reply(200, offset_page(servers, paging, "resource_servers", lambda s: s))


@routes.post("/resource-servers", "create:resource_servers", "Create a resource server")
def create_resource_server(ctx: Context) -> Reply:
    body = Body(ctx.body(), ("identifier", *RESOURCE_SERVER_FIELDS), ("identifier",))
    identifier = body.string("identifier", min_len=1, max_len=600) or ""
    fields = _resource_server_fields(body)
    name = fields.pop("name", None)
    scopes = fields.pop("scopes", None)
    return Reply(201, ctx.store.create_resource_server(name, identifier, scopes, **fields))


@routes.get("/resource-servers/{id}", "read:resource_servers", "Get a resource server", greedy=True)
def get_resource_server(ctx: Context) -> Reply:
    return Reply(200, ctx.store.resource_server(ctx.params["id"]))


@routes.patch(
    "/resource-servers/{id}", "update:resource_servers", "Update a resource server", greedy=True
)
def update_resource_server(ctx: Context) -> Reply:
    fields = _resource_server_fields(Body(ctx.body(), RESOURCE_SERVER_FIELDS))
    return Reply(200, ctx.store.update_resource_server(ctx.params["id"], fields))


@routes.delete(
    "/resource-servers/{id}", "delete:resource_servers", "Delete a resource server", greedy=True
)
def delete_resource_server(ctx: Context) -> Reply:
    ctx.store.delete_resource_server(ctx.params["id"])
    return Reply(204)
