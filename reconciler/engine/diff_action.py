"""The post-login Action: written only when what it runs differs from what is deployed, then
deployed, then bound to the post-login trigger after the actions already bound there.

What it runs is its code, runtime, npm dependencies and the names of its secrets. The secrets'
values are never compared (Auth0 does not return them): every create or update carries them as
`SecretRef`s, read from the environment when the request is sent.
"""

import hashlib
from typing import Any

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey, Ref, SecretRef
from reconciler.engine.kinds import Kind
from reconciler.engine.plan import JSON, Action, FieldChange, PathPart, Phase
from reconciler.model.desired import Desired
from reconciler.model.live import ActionVersion, LiveAction, LiveBinding, LivePostLogin
from reconciler.routing import ActionDefinition, action_definition, routing_table
from reconciler.routing.action import TRIGGER, split_code

TRIGGER_ID = TRIGGER["id"]


def managed_action(desired: Desired) -> ActionDefinition | None:
    """The Action the files manage: tenant.yaml's `action` (which needs `claims`) when some
    organization has routing rules. None otherwise: then nothing about Actions is read."""
    if desired.tenant.action is None or desired.tenant.claims is None:
        return None
    if not routing_table(desired).has_rules:
        return None
    return action_definition(desired)


def wanted_version(definition: ActionDefinition) -> ActionVersion:
    """What the files say the Action runs."""
    return ActionVersion(
        code=definition.code,
        runtime=definition.runtime,
        dependencies=frozenset(definition.dependencies),
        secret_names=frozenset(definition.secret_names),
    )


def runs_as_wanted(live: ActionVersion, want: ActionVersion) -> bool:
    """Whether a version runs what the files describe. Secrets it has beyond the files' names
    are left alone, so the check holds whether Auth0 replaces or merges secrets on update."""
    return (
        live.code == want.code
        and live.runtime == want.runtime
        and live.dependencies == want.dependencies
        and want.secret_names <= live.secret_names
    )


def diff_action(builder: PlanBuilder, desired: Desired, post_login: LivePostLogin | None) -> None:
    """Create or update, deploy and bind the post-login Action, each only when needed."""
    definition = managed_action(desired)
    if definition is None or post_login is None:
        return
    want = wanted_version(definition)
    live = post_login.action
    action_id: PathPart
    if live is None:
        deploy: OpKey | None = _create(builder, definition)
        action_id = Ref(ObjectKey.action(definition.name))
    else:
        deploy = _update(builder, definition, want, live)
        action_id = live.id
    if live is None or not any(_is_ours(binding, live) for binding in post_login.bindings):
        _bind(builder, definition.name, post_login.bindings, action_id, deploy)


def _create(builder: PlanBuilder, definition: ActionDefinition) -> OpKey:
    name = definition.name
    action = ObjectKey.action(name)
    builder.touch(action)
    create = builder.call(
        ENDPOINTS.create_action,
        OpKey(None, Kind.ACTION, name, "create"),
        Phase.ACTIONS,
        body={**definition.body(), "secrets": _secrets(definition)},
        creates=action,
    )
    deploy = _deploy(builder, name, Ref(action), create)
    table = split_code(definition.code)
    routed = [org.get("name") for org in _organizations(table[1])] if table else []
    fields = (
        FieldChange("runtime", None, definition.runtime),
        FieldChange("dependencies", None, _packages(frozenset(definition.dependencies))),
        FieldChange("secrets", None, sorted(definition.secret_names)),
        FieldChange("routes", None, routed),
    )
    builder.row(None, Action.CREATE, Kind.ACTION, name, fields, operations=(create, deploy))
    return deploy


def _update(
    builder: PlanBuilder, definition: ActionDefinition, want: ActionVersion, live: LiveAction
) -> OpKey | None:
    """Update (when the draft differs) and deploy an Action whose deployed version differs."""
    if live.deployed is not None and runs_as_wanted(live.deployed, want):
        return None
    name = definition.name
    builder.touch(ObjectKey.action(name))
    update = None
    note = None if live.deployed is not None else "never deployed"
    if not runs_as_wanted(live.draft, want):
        update = builder.call(
            ENDPOINTS.update_action,
            OpKey(None, Kind.ACTION, name, "update"),
            Phase.ACTIONS,
            live.id,
            body=_update_body(definition, want, live.draft),
        )
    elif live.deployed is not None:
        note = "the draft holds these changes already: deployed only"
    deploy = _deploy(builder, name, live.id, update)
    fields = _changes(live.deployed or live.draft, want)
    builder.row(None, Action.UPDATE, Kind.ACTION, name, fields, note, operations=(update, deploy))
    return deploy


def _deploy(builder: PlanBuilder, name: str, action_id: PathPart, after: OpKey | None) -> OpKey:
    return builder.call(
        ENDPOINTS.deploy_action,
        OpKey(None, Kind.ACTION, name, "deploy"),
        Phase.ACTIONS,
        action_id,
        depends_on=(after,),
    )


def _update_body(
    definition: ActionDefinition, want: ActionVersion, draft: ActionVersion
) -> dict[str, JSON]:
    """The draft's fields that differ, and the secrets (whose values are always sent)."""
    body = definition.body()
    changed: dict[str, JSON] = {}
    if draft.code != want.code:
        changed["code"] = body["code"]
    if draft.runtime != want.runtime:
        changed["runtime"] = body["runtime"]
    if draft.dependencies != want.dependencies:
        changed["dependencies"] = body["dependencies"]
    return {**changed, "secrets": _secrets(definition)}


def _secrets(definition: ActionDefinition) -> list[JSON]:
    return [{"name": name, "value": SecretRef(name)} for name in definition.secret_names]


def _bind(
    builder: PlanBuilder,
    name: str,
    bindings: tuple[LiveBinding, ...],
    action_id: PathPart,
    deployed_by: OpKey | None,
) -> None:
    """Append the Action to the post-login trigger; every other binding keeps its place."""
    builder.touch(ObjectKey.trigger(TRIGGER_ID))
    kept: list[JSON] = [{"ref": {"type": "binding_id", "value": b.id}} for b in bindings]
    ours = {"ref": {"type": "action_id", "value": action_id}, "display_name": name}
    key = builder.call(
        ENDPOINTS.bind_actions,
        OpKey(None, Kind.BINDING, name, "bind"),
        Phase.ACTIONS,
        TRIGGER_ID,
        body={"bindings": [*kept, ours]},
        depends_on=(deployed_by,),
    )
    order = [b.action_name or b.display_name or b.id for b in bindings] + [name]
    builder.row(
        None,
        Action.CREATE,
        Kind.BINDING,
        name,
        (FieldChange("order", None, order),),
        operations=(key,),
    )


def _is_ours(binding: LiveBinding, action: LiveAction) -> bool:
    if binding.action_id is not None:
        return binding.action_id == action.id
    return binding.action_name == action.name


def _changes(before: ActionVersion, want: ActionVersion) -> tuple[FieldChange, ...]:
    """What changes in what the Action runs, as people review it."""
    fields: list[FieldChange] = []
    if before.runtime != want.runtime:
        fields.append(FieldChange("runtime", before.runtime, want.runtime))
    if before.dependencies != want.dependencies:
        fields.append(
            FieldChange(
                "dependencies", _packages(before.dependencies), _packages(want.dependencies)
            )
        )
    if not want.secret_names <= before.secret_names:
        fields.append(
            FieldChange("secrets", sorted(before.secret_names), sorted(want.secret_names))
        )
    if before.code != want.code:
        fields.extend(_code_changes(before.code, want.code))
    return tuple(fields)


def _code_changes(before: str, after: str) -> list[FieldChange]:
    """Changes of the routing table, entry by entry, and of the fixed template (by digest);
    the digest of the whole code when the deployed code holds no routing table."""
    old, new = split_code(before), split_code(after)
    if old is None or new is None:
        return [FieldChange("code", _digest(before), _digest(after))]
    fields = []
    if old[0] != new[0]:
        fields.append(FieldChange("template", _digest(old[0]), _digest(new[0])))
    fields.extend(_leaf_changes("routes", _settings(old[1]), _settings(new[1])))
    fields.extend(_leaf_changes("routes", _by_name(old[1]), _by_name(new[1])))
    return fields or [FieldChange("code", _digest(before), _digest(after))]


def _settings(table: dict[str, Any]) -> dict[str, Any]:
    """The routing table's own settings: the claims' namespace, the secrets' names."""
    return {k: v for k, v in table.items() if k != "organizations"}


def _by_name(table: dict[str, Any]) -> dict[str, Any]:
    """The routing table's organizations keyed by name, so that each change names one."""
    return {
        str(org["name"]): {k: v for k, v in org.items() if k != "name"}
        for org in _organizations(table)
    }


def _organizations(table: dict[str, Any]) -> list[dict[str, Any]]:
    found = table.get("organizations")
    items = found if isinstance(found, list) else []
    return [org for org in items if isinstance(org, dict) and isinstance(org.get("name"), str)]


def _leaf_changes(prefix: str, before: Any, after: Any) -> list[FieldChange]:
    """One change per differing leaf; objects are walked into, other values compared whole."""
    if before == after:
        return []
    if isinstance(before, dict | None) and isinstance(after, dict | None):
        old, new = before or {}, after or {}
        return [
            change
            for key in sorted(old.keys() | new.keys())
            for change in _leaf_changes(f"{prefix}.{key}", old.get(key), new.get(key))
        ]
    return [FieldChange(prefix, before, after)]


def _packages(dependencies: frozenset[tuple[str, str]]) -> list[str]:
    return [f"{name}@{version}" for name, version in sorted(dependencies)]


def _digest(code: str) -> str:
    return "sha256:" + hashlib.sha256(code.encode()).hexdigest()[:12]
