"""``/logs``: the tenant log of operations, by checkpoint or by search."""

from __future__ import annotations

from ..errors import invalid_query, not_found
from ..pagination import offset_page, read_offset
from ..records import JsonObject
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase
from ..validation import select_fields

LOG_RETENTION = 1000
LOG_SORTS = ("date:1", "date:-1")
LOG_SEARCH_FIELDS = ("type", "client_id", "user_id")


class LogOps(StoreBase):
    """The tenant log."""

    def add_log(self, entry: JsonObject) -> JsonObject:
        """Append a log event (``_id`` and ``log_id``, 56 digits as Auth0's, and ``date`` are
        filled in); the oldest beyond the retention are dropped."""
        self.state.log_seq += 1
        log_id = f"90020{self.state.log_seq:051d}"
        event: JsonObject = {"_id": log_id, "log_id": log_id, "date": self.timestamp()}
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


routes = RouteTable()


@routes.get("/logs", "read:logs read:logs_users", "Search log events")
def list_logs(ctx: Context) -> Reply:
    """Checkpoint mode (`from`, `take`) answers a bare array of the events after `from` and,
    as Auth0 documents, ignores every other parameter, the search included. Search mode pages
    by offset and filters with `q` (the SDK sends it as `search`): `field:value` clauses of
    `type`, `client_id` or `user_id`, joined by spaces or `AND`, values exact (quotes
    optional)."""
    logs = ctx.store.state.logs
    after = ctx.query.string("from")
    if after is not None:
        take = ctx.query.integer("take", 1, 100) or 50
        return Reply(200, [e for e in logs if e["log_id"] > after][:take])
    names, include = ctx.query.fields()
    paging = read_offset(ctx.query)
    clauses = _log_query(ctx.query.string("q") or ctx.query.string("search") or "")
    ordered = [e for e in logs if all(e.get(f) == v for f, v in clauses.items())]
    if ctx.query.enum("sort", LOG_SORTS) != "date:1":
        ordered.reverse()
    return Reply(
        200,
        offset_page(
            ordered, paging, "logs", lambda e: select_fields(e, names, include), with_length=True
        ),
    )


def _log_query(search: str) -> dict[str, str]:
    """`type:sapi AND client_id:"abc"` -> {"type": "sapi", "client_id": "abc"}; 400 for
    anything else."""
    clauses: dict[str, str] = {}
    for term in search.split():
        if term == "AND":
            continue
        field, _, wanted = term.partition(":")
        if field not in LOG_SEARCH_FIELDS or not wanted.strip('"'):
            raise invalid_query(f"Unsupported search clause: {term}", "q")
        clauses[field] = wanted.strip('"')
    return clauses


@routes.get("/logs/{id}", "read:logs read:logs_users", "Get a log event")
def get_log(ctx: Context) -> Reply:
    return Reply(200, ctx.store.log_event(ctx.params["id"]))
