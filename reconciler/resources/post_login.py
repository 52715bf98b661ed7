"""The post-login Action: written only when what it runs differs from what is deployed, then
deployed, then bound to the post-login trigger after the actions already bound there.

What it runs is its code, runtime, npm dependencies and the names of its secrets. The secrets'
values are never compared (Auth0 does not return them): every create or update carries them as
`SecretRef`s, read from the environment when the request is sent. Read only when the files
manage it: the Action by name (one request) and the post-login bindings (one page of 100).
"""

import asyncio
from dataclasses import asdict
from typing import Any

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey, Ref, SecretRef
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import JSON, Action, FieldChange, PathPart, Phase
from reconciler.engine.planfile import ABSENT, digest_of
from reconciler.model.desired import Desired
from reconciler.model.live import (
    ActionVersion,
    LiveAction,
    LiveBinding,
    LivePostLogin,
    Snapshot,
)
from reconciler.resources.action_changes import packages, routed_names, version_changes
from reconciler.resources.reads import PAGE, Reads
from reconciler.resources.resource import Planning, Reading, Resource, Stage
from reconciler.resources.scope import Scope, managed_action
from reconciler.routing import ActionDefinition
from reconciler.routing.action import TRIGGER

TRIGGER_ID = TRIGGER["id"]
POST_LOGIN = "post-login"


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
    builder.fingerprint(action)
    create = builder.call(
        ENDPOINTS.create_action,
        OpKey(None, Kind.ACTION, name, Step.CREATE),
        Phase.ACTIONS,
        body={**definition.body(), "secrets": _secrets(definition)},
        creates=action,
    )
    deploy = _deploy(builder, name, Ref(action), create)
    routed = routed_names(definition.code)
    fields = (
        FieldChange("runtime", None, definition.runtime),
        FieldChange("dependencies", None, packages(frozenset(definition.dependencies))),
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
    builder.fingerprint(ObjectKey.action(name))
    update = None
    note = None if live.deployed is not None else "never deployed"
    if not live.draft_built:
        # A draft whose build failed (or never finished) is written again: that builds it
        # anew, and the apply waits for the build before it deploys.
        note = "the draft is not built: written again"
    if not runs_as_wanted(live.draft, want) or not live.draft_built:
        update = builder.call(
            ENDPOINTS.update_action,
            OpKey(None, Kind.ACTION, name, Step.UPDATE),
            Phase.ACTIONS,
            live.id,
            body=_update_body(definition, want, live.draft, rebuild=not live.draft_built),
        )
    elif live.deployed is not None:
        note = "the draft holds these changes already: deployed only"
    deploy = _deploy(builder, name, live.id, update)
    fields = version_changes(live.deployed or live.draft, want)
    builder.row(None, Action.UPDATE, Kind.ACTION, name, fields, note, operations=(update, deploy))
    return deploy


def _deploy(builder: PlanBuilder, name: str, action_id: PathPart, after: OpKey | None) -> OpKey:
    return builder.call(
        ENDPOINTS.deploy_action,
        OpKey(None, Kind.ACTION, name, Step.DEPLOY),
        Phase.ACTIONS,
        action_id,
        depends_on=(after,),
    )


def _update_body(
    definition: ActionDefinition, want: ActionVersion, draft: ActionVersion, rebuild: bool
) -> dict[str, JSON]:
    """The draft's fields that differ (all of them for a `rebuild`), and the secrets (whose
    values are always sent)."""
    body = definition.body()
    changed: dict[str, JSON] = {}
    if rebuild or draft.code != want.code:
        changed["code"] = body["code"]
    if rebuild or draft.runtime != want.runtime:
        changed["runtime"] = body["runtime"]
    if rebuild or draft.dependencies != want.dependencies:
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
    builder.fingerprint(ObjectKey.trigger(TRIGGER_ID))
    kept: list[JSON] = [{"ref": {"type": "binding_id", "value": b.id}} for b in bindings]
    ours = {"ref": {"type": "action_id", "value": action_id}, "display_name": name}
    key = builder.call(
        ENDPOINTS.bind_actions,
        OpKey(None, Kind.BINDING, name, Step.BIND),
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


def live_action(item: Any) -> LiveAction | None:
    """An Action with its draft and deployed version, or None without an id."""
    action_id = getattr(item, "id", None)
    if not action_id:
        return None
    deployed = getattr(item, "deployed_version", None)
    status = getattr(item, "status", None)
    return LiveAction(
        id=str(action_id),
        name=str(getattr(item, "name", None) or ""),
        draft=action_version(item),
        deployed=action_version(deployed) if deployed is not None else None,
        draft_built=not status or str(status).lower() == "built",
    )


def action_version(item: Any) -> ActionVersion:
    """What an Action (or one of its versions) runs; missing parts read as empty."""
    runtime = getattr(item, "runtime", None)
    return ActionVersion(
        code=str(getattr(item, "code", None) or ""),
        runtime=str(runtime) if runtime else None,
        dependencies=frozenset(
            (str(d.name), str(d.version))
            for d in getattr(item, "dependencies", None) or []
            if getattr(d, "name", None) and getattr(d, "version", None)
        ),
        secret_names=frozenset(
            str(s.name) for s in getattr(item, "secrets", None) or [] if getattr(s, "name", None)
        ),
    )


def live_binding(item: Any) -> LiveBinding | None:
    """A trigger binding, or None without an id."""
    binding_id = getattr(item, "id", None)
    if not binding_id:
        return None
    action = getattr(item, "action", None)
    action_id = getattr(action, "id", None)
    action_name = getattr(action, "name", None)
    display_name = getattr(item, "display_name", None)
    return LiveBinding(
        id=str(binding_id),
        action_id=str(action_id) if action_id else None,
        action_name=str(action_name) if action_name else None,
        display_name=str(display_name) if display_name else None,
    )


async def read_post_login(api: Reads, name: str) -> LivePostLogin:
    """The Action of this name and the post-login trigger's bindings."""
    actions, bindings = await asyncio.gather(
        api.pages(
            ENDPOINTS.list_actions,
            lambda page: api.client.actions.list(action_name=name, page=page, per_page=PAGE),
        ),
        api.pages(
            ENDPOINTS.list_bindings,
            lambda page: api.client.actions.triggers.bindings.list(
                POST_LOGIN, page=page, per_page=PAGE
            ),
            POST_LOGIN,
        ),
    )
    found = (live_action(item) for item in actions if getattr(item, "name", None) == name)
    return LivePostLogin(
        action=next((action for action in found if action is not None), None),
        bindings=tuple(b for b in map(live_binding, bindings) if b is not None),
    )


def digest_action(post_login: LivePostLogin | None, name: str) -> str:
    """A digest of the Action as read (its draft and deployed version)."""
    action = post_login.action if post_login is not None else None
    if action is None or action.name != name:
        return ABSENT
    versions = (action.draft, action.deployed)
    return digest_of({"id": action.id, "versions": [_version(v) for v in versions]})


def _version(version: ActionVersion | None) -> object:
    if version is None:
        return None
    return {
        "code": version.code,
        "runtime": version.runtime,
        "dependencies": sorted(version.dependencies),
        "secrets": sorted(version.secret_names),
    }


def digest_bindings(post_login: LivePostLogin | None) -> str:
    """A digest of the post-login trigger's bindings, in order."""
    if post_login is None:
        return ABSENT
    return digest_of([asdict(binding) for binding in post_login.bindings])


class PostLogin(Resource):
    """The post-login Action and its binding."""

    name = "the post-login Action"
    row_kinds = (Kind.ACTION, Kind.BINDING)
    row_rank = 2
    fingerprinted = (Kind.ACTION, Kind.TRIGGER)

    def tenant_lists(self, scope: Scope) -> frozenset[Endpoint]:
        """The Action by name and the post-login bindings, when the files manage the Action."""
        if scope.action is None:
            return frozenset()
        return frozenset({ENDPOINTS.list_actions, ENDPOINTS.list_bindings})

    async def read(self, stage: Stage, reading: Reading) -> None:
        """The Action and the bindings, with the organizations' listing."""
        if stage is Stage.TENANT and reading.scope.action is not None:
            reading.snapshot.post_login = await read_post_login(reading.api, reading.scope.action)

    def plan_after(self, planning: Planning) -> None:
        """The Action routes to every organization: planned once they all are."""
        diff_action(planning.builder, planning.desired, planning.live.post_login)

    def digest(self, key: ObjectKey, live: Snapshot) -> str:
        """The Action as read, or the trigger's bindings."""
        if key.kind is Kind.ACTION:
            return digest_action(live.post_login, key.name)
        return digest_bindings(live.post_login)


POST_LOGIN_ACTION = PostLogin()
