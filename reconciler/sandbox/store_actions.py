"""Actions, their deployment and their bindings to triggers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .errors import bad_request, conflict, invalid_query
from .records import Binding, JsonObject
from .store_base import StoreBase

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
            "built_at": now,
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
        """Deploy the current draft as a new version."""
        action = self.action(action_id)
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
