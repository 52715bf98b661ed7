"""``/actions``: actions, deployment, triggers and trigger bindings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import bad_request, conflict, invalid_body, invalid_query
from ..records import Binding, JsonObject
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase
from ..validation import Body

TRIGGERS: dict[str, str] = {
    "post-login": "v3",
    "credentials-exchange": "v2",
    "pre-user-registration": "v2",
    "post-user-registration": "v2",
    "post-change-password": "v2",
    "send-phone-message": "v2",
}
RUNTIMES = ["node18", "node22"]
DEFAULT_RUNTIME = "node22"
_VERSION_FIELDS = ("code", "runtime", "dependencies", "secrets", "supported_triggers", "modules")


BUILD_READS = "_build_reads"
"""Kept in an action under build: the reads left before it is built (never returned)."""
BINDING_ACTION_FIELDS = ("id", "name", "supported_triggers", "created_at", "updated_at")


def public(action: JsonObject) -> JsonObject:
    """An action as Auth0 answers it: no bookkeeping, `modules` only when it has some, and
    once deployed its `current_version` (a summary of the deployed version)."""
    shown = {k: v for k, v in action.items() if k not in (BUILD_READS, "deployed_version")}
    if not shown.get("modules"):
        shown.pop("modules", None)
    deployed = action.get("deployed_version")
    if deployed is not None:
        shown["current_version"] = current_version(deployed)
        shown["deployed_version"] = public_version(deployed)
    return shown


def public_version(version: JsonObject) -> JsonObject:
    """A version as Auth0 shows it inside its action: without `action_id`, `modules` only
    when it has some."""
    shown = {k: v for k, v in version.items() if k != "action_id"}
    if not shown.get("modules"):
        shown.pop("modules", None)
    return shown


def current_version(version: JsonObject) -> JsonObject:
    """The summary of the deployed version that Auth0 returns as `current_version`."""
    summary = {k: version[k] for k in ("id", "number", "code", "runtime", "created_at")}
    return {
        **summary,
        "status": "BUILT",
        "build_time": version["built_at"],
        "updated_at": version["updated_at"],
    }


def binding_action(action: JsonObject) -> JsonObject:
    """The action a binding embeds: its identity and versions, not its draft. Auth0's
    recordings show `all_changes_deployed` false there whatever the action's own value."""
    embedded: JsonObject = {k: action[k] for k in BINDING_ACTION_FIELDS}
    embedded["all_changes_deployed"] = False
    deployed = action.get("deployed_version")
    if deployed is not None:
        embedded["current_version"] = current_version(deployed)
        embedded["deployed_version"] = public_version(deployed)
    return embedded


def check_trigger(trigger_id: str) -> str:
    """The trigger id if the sandbox knows it, else 400."""
    if trigger_id not in TRIGGERS:
        raise invalid_query(f"No enum match for: {trigger_id}", "triggerId")
    return trigger_id


class ActionOps(StoreBase):
    """Operations on actions and trigger bindings."""

    def create_action(
        self,
        name: str,
        supported_triggers: Sequence[JsonObject],
        *,
        code: str = "",
        runtime: str = DEFAULT_RUNTIME,
        dependencies: Sequence[JsonObject] = (),
        secrets: Sequence[JsonObject] = (),
        modules: Sequence[JsonObject] = (),
        deploy: bool = False,
    ) -> JsonObject:
        """Create an action (built at once); ``deploy=True`` also deploys it. Secrets are
        kept by name only: their values are never stored or returned."""
        self._unique_name(name)
        now = self.timestamp()
        action: JsonObject = {
            "id": self.ids.uuid(),
            "name": name,
            "supported_triggers": [dict(t) for t in supported_triggers],
            "code": code,
            "runtime": runtime,
            "dependencies": [dict(d) for d in dependencies],
            "secrets": [{"name": s.get("name"), "updated_at": now} for s in secrets],
            "modules": [dict(m) for m in modules],
            "status": "built",
            "all_changes_deployed": False,
            "created_at": now,
            "updated_at": now,
        }
        self.state.actions[action["id"]] = action
        if deploy:
            self.deploy_action(action["id"])
        return action

    def update_action(self, action_id: str, changes: Mapping[str, Any]) -> JsonObject:
        """Change an action's draft; it then has undeployed changes. Secrets sent replace
        the action's secrets (kept by name only)."""
        action = self.action(action_id)
        if "name" in changes and changes["name"] != action["name"]:
            self._unique_name(changes["name"])
        now = self.timestamp()
        for key, value in changes.items():
            if key == "secrets":
                action[key] = [{"name": s.get("name"), "updated_at": now} for s in value]
            else:
                action[key] = value
        action["all_changes_deployed"] = False
        action["updated_at"] = now
        return action

    def start_build(self, action_id: str, reads: int) -> None:
        """Build the draft asynchronously, as Auth0 does: ``pending`` now, ``building`` for
        ``reads - 1`` reads of the action, then built (at once when ``reads`` is 0)."""
        action = self.action(action_id)
        if reads > 0:
            action["status"] = "pending"
            action[BUILD_READS] = reads
            action.pop("errors", None)

    def read_action(self, action_id: str, build_error: str | None = None) -> JsonObject:
        """The action as a read sees it: one more read of a build in progress, which ends
        ``failed`` with ``build_error`` when one is set, else ``built``."""
        action = self.action(action_id)
        left = action.get(BUILD_READS)
        if isinstance(left, int):
            if left > 1:
                action["status"] = "building"
                action[BUILD_READS] = left - 1
            else:
                del action[BUILD_READS]
                action["status"] = "failed" if build_error else "built"
                if build_error:
                    action["errors"] = [{"id": "build_failed", "msg": build_error}]
        return public(action)

    def _unique_name(self, name: str) -> None:
        if any(a["name"] == name for a in self.state.actions.values()):
            raise conflict("An action with this name already exists.")

    def delete_action(self, action_id: str, force: bool = False) -> None:
        """Delete an action; a bound one only with ``force`` (its bindings go too)."""
        self.action(action_id)
        bound = any(b.action_id == action_id for bs in self.state.bindings.values() for b in bs)
        if bound and not force:
            raise bad_request("The action is bound to a trigger; delete it with force=true.")
        for trigger_id, bindings in self.state.bindings.items():
            self.state.bindings[trigger_id] = [b for b in bindings if b.action_id != action_id]
        del self.state.actions[action_id]

    def deploy_action(self, action_id: str) -> JsonObject:
        """Deploy the current draft as a new version (returned as stored); 400 unless it is
        built."""
        action = self.action(action_id)
        if action["status"] != "built":
            raise bad_request("A draft must be in the 'built' state before it can be deployed.")
        now = self.timestamp()
        previous = action.get("deployed_version")
        version: JsonObject = {
            "id": self.ids.uuid(),
            "action_id": action_id,
            "number": (previous["number"] + 1) if previous else 1,
            "deployed": True,
            "status": "built",
            "created_at": now,
            "updated_at": now,
            "built_at": now,
        }
        version.update({k: action[k] for k in _VERSION_FIELDS if k in action})
        action["deployed_version"] = version
        action["all_changes_deployed"] = True
        return version

    def trigger_bindings(self, trigger_id: str) -> list[Binding]:
        """Bindings of a trigger in execution order."""
        return self.state.bindings.get(check_trigger(trigger_id), [])

    def set_trigger_bindings(
        self, trigger_id: str, refs: Sequence[tuple[str, str, str | None]]
    ) -> list[Binding]:
        """Replace a trigger's bindings. Each ref is ``(type, value, display_name)`` with
        type ``action_id``, ``action_name`` or ``binding_id``."""
        current = {b.id: b for b in self.trigger_bindings(trigger_id)}
        now = self.timestamp()
        bindings: list[Binding] = []
        for ref_type, value, display_name in refs:
            if ref_type == "binding_id":
                if value not in current:
                    raise bad_request(f"The binding {value} does not exist.")
                kept = current[value]
                bindings.append(
                    Binding(
                        kept.id,
                        kept.action_id,
                        display_name or kept.display_name,
                        kept.created_at,
                        now,
                    )
                )
                continue
            action = self._bindable(trigger_id, ref_type, value)
            bindings.append(
                Binding(self.ids.uuid(), action["id"], display_name or action["name"], now, now)
            )
        self.state.bindings[trigger_id] = bindings
        return bindings

    def _bindable(self, trigger_id: str, ref_type: str, value: str) -> JsonObject:
        if ref_type == "action_id":
            action = self.state.actions.get(value)
        else:
            action = next((a for a in self.state.actions.values() if a["name"] == value), None)
        if action is None:
            raise bad_request(f"The action {value} does not exist.")
        if all(t.get("id") != trigger_id for t in action["supported_triggers"]):
            raise bad_request(f"The action {value} does not support the trigger {trigger_id}.")
        if "deployed_version" not in action:
            raise bad_request(f"The action {value} must be deployed before it is bound.")
        return action


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
    chunk = [public(a) for a in actions[page * per_page : (page + 1) * per_page]]
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
    ctx.store.start_build(action["id"], ctx.settings.action_build_reads)
    return Reply(201, public(action))


@routes.get("/actions/actions/{id}", "read:actions", "Get an action")
def get_action(ctx: Context) -> Reply:
    return Reply(200, ctx.store.read_action(ctx.params["id"], ctx.settings.action_build_error))


@routes.patch("/actions/actions/{id}", "update:actions", "Update an action")
def update_action(ctx: Context) -> Reply:
    fields = _action_fields(Body(ctx.body(), ACTION_FIELDS))
    action = ctx.store.update_action(ctx.params["id"], fields)
    ctx.store.start_build(action["id"], ctx.settings.action_build_reads)
    return Reply(200, public(action))


@routes.delete("/actions/actions/{id}", "delete:actions", "Delete an action")
def delete_action(ctx: Context) -> Reply:
    ctx.store.delete_action(ctx.params["id"], bool(ctx.query.boolean("force")))
    return Reply(204)


@routes.post("/actions/actions/{id}/deploy", "create:actions", "Deploy an action")
def deploy_action(ctx: Context) -> Reply:
    """200 with the new version as Auth0 answers it while the deployment is under way: not
    yet `deployed`, no `built_at`, and its action not yet with all changes deployed."""
    version = ctx.store.deploy_action(ctx.params["id"])
    action = ctx.store.action(ctx.params["id"])
    shown = {k: v for k, v in public_version(version).items() if k != "built_at"}
    embedded = {**{k: action[k] for k in BINDING_ACTION_FIELDS}, "all_changes_deployed": False}
    return Reply(200, {**shown, "deployed": False, "action": embedded})


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
        "action": binding_action(ctx.store.state.actions[binding.action_id]),
        "display_name": binding.display_name,
        "created_at": binding.created_at,
        "updated_at": binding.updated_at,
    }


@routes.get("/actions/triggers/{triggerId}/bindings", "read:actions", "List trigger bindings")
def list_bindings(ctx: Context) -> Reply:
    """A page of bindings as Auth0's recordings show them: `page` left out when it is 0,
    `total` only on a page that holds bindings."""
    page, per_page = _page(ctx)
    trigger_id = ctx.params["triggerId"]
    bindings = ctx.store.trigger_bindings(trigger_id)
    chunk = bindings[page * per_page : (page + 1) * per_page]
    answer: JsonObject = {"bindings": [_render_binding(ctx, trigger_id, b) for b in chunk]}
    if page:
        answer["page"] = page
    answer["per_page"] = per_page
    if chunk:
        answer["total"] = len(bindings)
    return Reply(200, answer)


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
