"""Actions, their deployment and the post-login trigger's bindings through the official SDK.

Every response is checked against the OpenAPI document (tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest
from auth0.management import Auth0
from auth0.management.core.api_error import ApiError
from auth0.management.errors import BadRequestError, NotFoundError

from reconciler.sandbox import Sandbox, SandboxSettings, World
from tests.sandbox.conftest import sdk

POST_LOGIN = [{"id": "post-login", "version": "v3"}]


def built(api: Auth0, action_id: str) -> Any:
    """The action once a read finds it built (Auth0 builds asynchronously)."""
    for _ in range(10):
        action = api.actions.get(action_id)
        if action.status not in ("pending", "building"):
            return action
    raise AssertionError("never built")


def create(api: Auth0, name: str, **fields: Any) -> Any:
    """A new action, once built."""
    action = api.actions.create(
        name=name,
        supported_triggers=POST_LOGIN,
        code=fields.pop("code", "exports.onExecutePostLogin = async () => {};"),
        **fields,
    )
    return built(api, action.id)


def update(api: Auth0, action_id: str, **fields: Any) -> Any:
    """The action changed, once built."""
    api.actions.update(action_id, **fields)
    return built(api, action_id)


def test_an_action_is_created_as_a_draft_and_deployed_as_a_version(api: Auth0) -> None:
    action = create(
        api,
        "org-routing",
        runtime="node22",
        dependencies=[{"name": "auth0", "version": "7.1.0"}],
        secrets=[{"name": "DOMAIN", "value": "tenant.example"}],
    )
    assert action.all_changes_deployed is False
    assert action.deployed_version is None
    assert [s.name for s in action.secrets or []] == ["DOMAIN"]
    version = api.actions.deploy(action.id)
    assert version.number == 1 and version.action is not None
    assert version.action.id == action.id
    found = api.actions.get(action.id)
    assert found.all_changes_deployed is True
    assert found.deployed_version is not None
    assert found.deployed_version.code == action.code
    assert [d.version for d in found.deployed_version.dependencies or []] == ["7.1.0"]


def test_secret_values_are_never_returned_or_kept(api: Auth0, sandbox: Sandbox) -> None:
    action = create(api, "a", secrets=[{"name": "TOKEN", "value": "very-secret"}])
    api.actions.deploy(action.id)
    update(api, action.id, secrets=[{"name": "TOKEN", "value": "rotated-secret"}])
    secrets = api.actions.get(action.id).secrets or []
    assert [s.model_dump(exclude_none=True).keys() for s in secrets] == [{"name", "updated_at"}]
    assert "very-secret" not in repr(sandbox.store.state)
    assert "rotated-secret" not in repr(sandbox.store.state)


def test_an_update_changes_the_draft_until_it_is_deployed(api: Auth0) -> None:
    action = create(api, "a", code="v1")
    api.actions.deploy(action.id)
    updated = update(api, action.id, code="v2")
    assert updated.code == "v2" and updated.all_changes_deployed is False
    assert updated.deployed_version is not None and updated.deployed_version.code == "v1"
    assert api.actions.deploy(action.id).number == 2
    assert api.actions.get(action.id).deployed_version.code == "v2"


def test_names_are_unique(api: Auth0) -> None:
    create(api, "a")
    other = create(api, "b")
    with pytest.raises(ApiError) as error:
        create(api, "a")
    assert error.value.status_code == 409
    with pytest.raises(ApiError) as error:
        api.actions.update(other.id, name="a")
    assert error.value.status_code == 409


def test_list_by_name_and_deployed(api: Auth0) -> None:
    first = create(api, "first")
    create(api, "second")
    api.actions.deploy(first.id)
    assert [a.name for a in api.actions.list(action_name="second", per_page=100)] == ["second"]
    assert [a.name for a in api.actions.list(deployed=True, per_page=100)] == ["first"]
    assert [a.name for a in api.actions.list(trigger_id="post-login", per_page=100)] == [
        "first",
        "second",
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"secrets": [{"value": "no name"}]},
        {"secrets": [{"name": 7, "value": "x"}]},
        {"secrets": [{"name": "A", "value": 7}]},
        {"dependencies": [{"name": "auth0", "version": "7.1.0", "extra": True}]},
        {"dependencies": [{"name": 1}]},
        {"dependencies": ["auth0@7.1.0"]},
        {"modules": [{"module_id": 1}]},
    ],
)
def test_malformed_parts_of_an_action_are_400(sandbox: Sandbox, fields: Any) -> None:
    body = {"name": "bad", "supported_triggers": POST_LOGIN, **fields}
    headers = {"authorization": f"Bearer {sandbox.issue_token()}"}
    with sandbox.sync_client(headers=headers) as http:
        created = http.post("/api/v2/actions/actions", json=body)
        action = http.post(
            "/api/v2/actions/actions", json={"name": "good", "supported_triggers": POST_LOGIN}
        )
        updated = http.patch(f"/api/v2/actions/actions/{action.json()['id']}", json=fields)
    for response in (created, updated):
        assert response.status_code == 400
        assert response.json()["errorCode"] == "invalid_body"


def test_a_missing_action_is_404(api: Auth0) -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(NotFoundError):
        api.actions.get(missing)
    with pytest.raises(ApiError) as error:
        api.actions.deploy(missing)
    assert error.value.status_code == 404


def bind(api: Auth0, *refs: tuple[str, str]) -> list[Any]:
    result = api.actions.triggers.bindings.update_many(
        "post-login", bindings=[{"ref": {"type": t, "value": v}} for t, v in refs]
    )
    return list(result.bindings or [])


def test_bindings_keep_their_ids_when_referred_to_by_binding_id(api: Auth0) -> None:
    first, second, third = (create(api, name) for name in ("first", "second", "third"))
    for action in (first, second, third):
        api.actions.deploy(action.id)
    before = bind(api, ("action_id", first.id), ("action_name", "second"))
    after = bind(api, *(("binding_id", b.id) for b in before), ("action_id", third.id))
    assert [b.id for b in after[:2]] == [b.id for b in before]
    assert [b.action.name for b in after] == ["first", "second", "third"]
    listed = list(api.actions.triggers.bindings.list("post-login", per_page=100))
    assert [b.display_name for b in listed] == ["first", "second", "third"]
    assert "post-login" in [t.id for t in api.actions.triggers.list().triggers or []]


def test_only_deployed_actions_of_the_trigger_can_be_bound(api: Auth0) -> None:
    draft = create(api, "draft")
    with pytest.raises(BadRequestError):
        bind(api, ("action_id", draft.id))
    with pytest.raises(BadRequestError):
        bind(api, ("binding_id", "unknown"))


def test_a_written_action_builds_over_reads_and_is_deployable_only_once_built(
    world: World,
) -> None:
    sandbox = Sandbox(world, settings=SandboxSettings(action_build_reads=3))
    with sandbox.sync_client() as http:
        api = sdk(sandbox, http)
        action = api.actions.create(name="a", supported_triggers=POST_LOGIN, code="v1")
        assert action.status == "pending"
        with pytest.raises(BadRequestError):
            api.actions.deploy(action.id)
        reads = [api.actions.get(action.id).status for _ in range(3)]
        assert reads == ["building", "building", "built"]
        version = api.actions.deploy(action.id)
        assert api.actions.update(action.id, code="v2").status == "pending"
        assert [api.actions.get(action.id).status for _ in range(3)][-1] == "built"
    assert version.deployed is False and version.action is not None
    assert version.action.all_changes_deployed is False


def test_a_failed_build_says_why_and_cannot_be_deployed(world: World) -> None:
    sandbox = Sandbox(
        world, settings=SandboxSettings(action_build_reads=1, action_build_error="no such module")
    )
    token = {"authorization": f"Bearer {sandbox.issue_token()}"}
    with sandbox.sync_client(headers=token) as http:
        api = sdk(sandbox, http)
        action = api.actions.create(name="a", supported_triggers=POST_LOGIN, code="v1")
        failed = http.get(f"/api/v2/actions/actions/{action.id}").json()
        assert failed["status"] == "failed"
        assert [e["msg"] for e in failed["errors"]] == ["no such module"]
        with pytest.raises(BadRequestError):
            api.actions.deploy(action.id)


def test_a_deploy_answers_200_and_the_action_shows_its_current_version(
    sandbox: Sandbox, api: Auth0
) -> None:
    action = create(api, "a", code="v1")
    token = {"authorization": f"Bearer {sandbox.issue_token()}"}
    with sandbox.sync_client(headers=token) as http:
        answer = http.post(f"/api/v2/actions/actions/{action.id}/deploy")
        found = http.get(f"/api/v2/actions/actions/{action.id}").json()
    assert answer.status_code == 200
    assert "action_id" not in answer.json() and "built_at" not in answer.json()
    assert found["current_version"]["id"] == found["deployed_version"]["id"]
    assert found["current_version"]["status"] == "BUILT"
    assert {"modules", "built_at"}.isdisjoint(found)
    assert "action_id" not in found["deployed_version"]
