"""``/connections/{id}/clients``: the applications a connection is enabled for, listed by
checkpoint and changed in batches of at most 50."""

from __future__ import annotations

from typing import Any

from ..errors import invalid_body, not_found
from ..pagination import checkpoint_page, ranked, read_checkpoint
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase
from ..validation import Body, json_type

MAX_CLIENTS_PER_PATCH = 50


class ConnectionClientOps(StoreBase):
    """Enabling and disabling a connection for applications."""

    def set_connection_clients(self, connection_id: str, statuses: dict[str, bool]) -> None:
        """Enable (True) or disable (False) the connection for each client id; 404 for an
        application that does not exist."""
        connection = self.connection(connection_id)
        for client_id in statuses:
            if client_id not in self.state.clients:
                raise not_found(f"The client {client_id} does not exist.", "inexistent_client")
        enabled = [c for c in connection.get("enabled_clients", []) if statuses.get(c, True)]
        enabled += [c for c, on in statuses.items() if on and c not in enabled]
        connection["enabled_clients"] = enabled


routes = RouteTable()


def _statuses(body: Any) -> dict[str, bool]:
    if not isinstance(body, list):
        raise invalid_body(f"Expected type array but found type {json_type(body)}")
    if not body:
        raise invalid_body("Array is too short (0), minimum 1")
    if len(body) > MAX_CLIENTS_PER_PATCH:
        raise invalid_body(f"Array is too long ({len(body)}), maximum {MAX_CLIENTS_PER_PATCH}")
    statuses: dict[str, bool] = {}
    for index, raw in enumerate(body):
        item = Body(raw, ("client_id", "status"), ("client_id", "status"), f"[{index}]")
        statuses[item.string("client_id", min_len=1) or ""] = bool(item.boolean("status"))
    return statuses


@routes.get("/connections/{id}/clients", "read:connections", "Get enabled clients")
def list_connection_clients(ctx: Context) -> Reply:
    enabled = ctx.store.connection(ctx.params["id"]).get("enabled_clients", [])
    page = checkpoint_page(
        ranked(list(enabled)),
        read_checkpoint(ctx.query),
        "clients",
        lambda item: {"client_id": item[1]},
        lambda item: item[0],
    )
    return Reply(200, page)


@routes.patch("/connections/{id}/clients", "update:connections", "Update enabled clients")
def update_connection_clients(ctx: Context) -> Reply:
    ctx.store.set_connection_clients(ctx.params["id"], _statuses(ctx.body()))
    return Reply(204)
