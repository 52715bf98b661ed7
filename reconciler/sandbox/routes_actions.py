"""``/actions``: actions, deployment, triggers and trigger bindings."""

from __future__ import annotations

from typing import Any

from .errors import invalid_body
from .records import Binding, JsonObject
from .router import Context, Reply, RouteTable
from .store_actions import DEFAULT_RUNTIME, RUNTIMES, TRIGGERS, check_trigger
from .validation import Body

routes = RouteTable()

ACTION_FIELDS = (
    "code",
    "dependencies",
    "modules",
    "name",
    "runtime",
    "secrets",
    "supported_triggers",
)
TRIGGER_FIELDS = (
    "id",
    "version",
    "status",
    "runtimes",
    "default_runtime",
    "compatible_triggers",
    "binding_policy",
)
REF_TYPES = ("binding_id", "action_id", "action_name")
DEPENDENCY_FIELDS = ("name", "version", "registry_url")
MODULE_FIELDS = ("module_id", "module_name", "module_version_id", "module_version_number")


def _action_fields(body: Body) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in ACTION_FIELDS:
        if not body.has(key):
            continue
        if key in ("code", "name", "runtime"):
            fields[key] = body.string(key)
        elif key == "supported_triggers":
            triggers = body.objects(key, TRIGGER_FIELDS, ("id",), min_items=1) or []
            for trigger in triggers:
                trigger.enum("id", TRIGGERS)
            fields[key] = [t.data for t in triggers]
        elif key == "secrets":
            fields[key] = [_secret(item) for item in body.objects(key, None, ("name",)) or []]
        elif key == "dependencies":
            fields[key] = [_strings(item) for item in body.objects(key, DEPENDENCY_FIELDS) or []]
        else:
            fields[key] = [_module(item) for item in body.objects(key, MODULE_FIELDS) or []]
    return fields


def _secret(item: Body) -> JsonObject:
    """A secret's name; its value is checked and dropped (never stored or returned)."""
    item.string("value")
    return {"name": item.string("name", min_len=1)}


def _strings(item: Body) -> JsonObject:
    return {key: item.string(key) for key in item.data}


def _module(item: Body) -> JsonObject:
    return {
        key: item.integer(key) if key == "module_version_number" else item.string(key)
        for key in item.data
    }


def _page(ctx: Context) -> tuple[int, int]:
    return ctx.query.integer("page", 0) or 0, ctx.query.integer("per_page", 1, 100) or 50


@routes.get("/actions/actions", "read:actions", "List actions")
def list_actions(ctx: Context) -> Reply:
    page, per_page = _page(ctx)
    trigger = ctx.query.string("triggerId")
    name = ctx.query.string("actionName")
    deployed = ctx.query.boolean("deployed")
    actions = [
        a
        for a in ctx.store.state.actions.values()
        if (trigger is None or any(t.get("id") == trigger for t in a["supported_triggers"]))
        and (name is None or a["name"] == name)
        and (deployed is None or ("deployed_version" in a) == deployed)
    ]
    chunk = actions[page * per_page : (page + 1) * per_page]
    return Reply(200, {"actions": chunk, "page": page, "per_page": per_page, "total": len(actions)})


@routes.post("/actions/actions", "create:actions", "Create an action")
def create_action(ctx: Context) -> Reply:
    body = Body(ctx.body(), (*ACTION_FIELDS, "deploy"), ("name", "supported_triggers"))
    fields = _action_fields(body)
    action = ctx.store.create_action(
        fields["name"] or "",
        fields["supported_triggers"],
        code=fields.get("code") or "",
        runtime=fields.get("runtime") or DEFAULT_RUNTIME,
        dependencies=fields.get("dependencies") or [],
        secrets=fields.get("secrets") or [],
        modules=fields.get("modules") or [],
        deploy=bool(body.boolean("deploy")),
    )
    return Reply(201, action)


@routes.get("/actions/actions/{id}", "read:actions", "Get an action")
def get_action(ctx: Context) -> Reply:
    return Reply(200, ctx.store.action(ctx.params["id"]))


@routes.patch("/actions/actions/{id}", "update:actions", "Update an action")
def update_action(ctx: Context) -> Reply:
    fields = _action_fields(Body(ctx.body(), ACTION_FIELDS))
    return Reply(200, ctx.store.update_action(ctx.params["id"], fields))


@routes.delete("/actions/actions/{id}", "delete:actions", "Delete an action")
def delete_action(ctx: Context) -> Reply:
    ctx.store.delete_action(ctx.params["id"], bool(ctx.query.boolean("force")))
    return Reply(204)


@routes.post("/actions/actions/{id}/deploy", "create:actions", "Deploy an action")
def deploy_action(ctx: Context) -> Reply:
    version = ctx.store.deploy_action(ctx.params["id"])
    action = ctx.store.action(ctx.params["id"])
    base = ("id", "name", "supported_triggers", "all_changes_deployed", "created_at", "updated_at")
    return Reply(202, {**version, "action": {key: action[key] for key in base}})


@routes.get("/actions/triggers", "read:actions", "List triggers")
def list_triggers(ctx: Context) -> Reply:
    triggers = [
        {
            "id": trigger_id,
            "version": version,
            "status": "CURRENT",
            "runtimes": RUNTIMES,
            "default_runtime": DEFAULT_RUNTIME,
            "compatible_triggers": [],
            "binding_policy": "trigger-bound",
        }
        for trigger_id, version in TRIGGERS.items()
    ]
    return Reply(200, {"triggers": triggers})


def _render_binding(ctx: Context, trigger_id: str, binding: Binding) -> JsonObject:
    return {
        "id": binding.id,
        "trigger_id": trigger_id,
        "action": ctx.store.state.actions[binding.action_id],
        "display_name": binding.display_name,
        "created_at": binding.created_at,
        "updated_at": binding.updated_at,
    }


@routes.get("/actions/triggers/{triggerId}/bindings", "read:actions", "List trigger bindings")
def list_bindings(ctx: Context) -> Reply:
    page, per_page = _page(ctx)
    trigger_id = ctx.params["triggerId"]
    bindings = ctx.store.trigger_bindings(trigger_id)
    chunk = bindings[page * per_page : (page + 1) * per_page]
    return Reply(
        200,
        {
            "bindings": [_render_binding(ctx, trigger_id, b) for b in chunk],
            "page": page,
            "per_page": per_page,
            "total": len(bindings),
        },
    )


@routes.patch("/actions/triggers/{triggerId}/bindings", "update:actions", "Update trigger bindings")
def update_bindings(ctx: Context) -> Reply:
    trigger_id = check_trigger(ctx.params["triggerId"])
    body = Body(ctx.body(), ("bindings",))
    refs: list[tuple[str, str, str | None]] = []
    for item in body.objects("bindings", ("ref", "display_name", "secrets"), ("ref",)) or []:
        ref = item.nested("ref", None)
        assert ref is not None
        ref_type = ref.enum("type", REF_TYPES)
        value = ref.string("value")
        if ref_type is None or value is None:
            raise invalid_body("Missing required property: type, value", ref.path)
        refs.append((ref_type, value, item.string("display_name")))
    bindings = ctx.store.set_trigger_bindings(trigger_id, refs)
    return Reply(200, {"bindings": [_render_binding(ctx, trigger_id, b) for b in bindings]})
