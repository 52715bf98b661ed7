"""The store on its own: ids, seeding, persistence, world files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reconciler.sandbox import ApiError, Sandbox, Store, World, load_world
from reconciler.sandbox.world import world_problems

from .conftest import WORLD

EXAMPLE = Path(__file__).resolve().parents[2] / "tenants" / "example" / "sandbox.yaml"


def test_ids_look_like_auth0_and_are_deterministic(world: World) -> None:
    first, second = Store.from_world(world, seed=3), Store.from_world(world, seed=3)
    assert list(first.state.connections) == list(second.state.connections)
    org = first.create_organization("acme")
    assert re.fullmatch(r"org_[A-Za-z0-9]{16}", org.id)
    assert re.fullmatch(r"rol_[A-Za-z0-9]{16}", first.create_role("r").id)
    assert all(re.fullmatch(r"con_[A-Za-z0-9]{16}", c) for c in first.state.connections)
    user = first.create_user("x@y.io")["user_id"]
    assert re.fullmatch(r"auth0\|[0-9a-f]{24}", user)
    assert (
        Store.from_world(world, seed=4).state.connections.keys() != first.state.connections.keys()
    )


def test_helpers_raise_like_the_api(world: World) -> None:
    store = Store.from_world(world)
    store.create_organization("acme")
    with pytest.raises(ApiError) as error:
        store.create_organization("acme")
    assert error.value.status == 409
    assert error.value.body()["message"] == "An organization with this name already exists."


def test_persistence_round_trip(world: World, tmp_path: Path) -> None:
    state = tmp_path / "state" / "tenant.json"
    sandbox = Sandbox(world, state_file=state)
    org = sandbox.store.create_organization("acme", metadata={"a": "1"})
    alice = sandbox.store.users_by_email("alice@acme.com")[0]["user_id"]
    sandbox.store.add_members(org.id, [alice])
    role = sandbox.store.create_role("admin")
    sandbox.store.add_role_permissions(role.id, [("https://api.pm.example", "projects:read")])
    sandbox.store.assign_member_roles(org.id, alice, [role.id])
    sandbox.save()
    assert not list(state.parent.glob("*.tmp"))
    loaded = Store.load(state)
    assert loaded.organization_by_name("acme").metadata == {"a": "1"}
    assert loaded.member(org.id, alice).roles == [role.id]
    assert loaded.role(role.id).permissions == [("https://api.pm.example", "projects:read")]
    assert loaded.users_by_email("alice@acme.com")[0]["user_id"] == alice
    assert loaded.create_role("next").id == sandbox.store.create_role("next").id


def test_saved_after_each_successful_write(world: World, tmp_path: Path) -> None:
    state = tmp_path / "tenant.json"
    sandbox = Sandbox(world, state_file=state)
    headers = {"authorization": f"Bearer {sandbox.issue_token()}"}
    with sandbox.sync_client(headers=headers) as http:
        http.post("/api/v2/organizations", json={"name": "acme"})
        saved = json.loads(state.read_text())
        assert [o["name"] for o in saved["organizations"].values()] == ["acme"]
        state.unlink()
        http.post("/api/v2/organizations", json={"name": "acme"})
        http.get("/api/v2/organizations")
    assert not state.exists()


def test_from_world_file_prefers_the_state_file(tmp_path: Path) -> None:
    tenant = tmp_path / "tenants" / "demo"
    tenant.mkdir(parents=True)
    (tenant / "sandbox.yaml").write_text(json.dumps(WORLD))
    state = tmp_path / ".sandbox" / "demo.json"
    first = Sandbox.from_world_file(tenant / "sandbox.yaml", state_file=state)
    assert first.tenant_domain == "demo.sandbox.auth0.local"
    assert first.management_client.client_id == "test-reconciler"
    first.store.create_organization("acme")
    first.save()
    second = Sandbox.from_world_file(tenant / "sandbox.yaml", state_file=state)
    assert [o.name for o in second.store.state.organizations.values()] == ["acme"]
    second.reset_state()
    assert Store.load(state).state.organizations == {}


def test_example_world_loads() -> None:
    world = load_world(EXAMPLE)
    store = Store.from_world(world)
    assert store.users_by_email("dana@acme.com")[0]["user_id"] == "google-oauth2|1093"


def test_world_is_strict() -> None:
    world = World.model_validate({"users": [{"email": "a@b.c", "connection": "nope"}]})
    assert world_problems(world) == [(("users", 0, "connection"), "unknown connection 'nope'")]
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        World.model_validate({"connections": [{"name": "x", "strategy": "auth0", "extra": 1}]})


def test_a_thousand_writes_save_the_state_far_fewer_times(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saves = 0
    real_save = Store.save

    def counting_save(self: Store, path: str | Path) -> None:
        nonlocal saves
        saves += 1
        real_save(self, path)

    monkeypatch.setattr(Store, "save", counting_save)
    sandbox = Sandbox(world, state_file=tmp_path / "tenant.json")
    headers = {"authorization": f"Bearer {sandbox.issue_token()}"}
    with sandbox.sync_client(headers=headers) as http:
        for i in range(1000):
            http.post("/api/v2/organizations", json={"name": f"org-{i}"})
    sandbox.flush()
    # Each save rewrites the whole state: saving after every write made 1,000 writes cost
    # O(N^2); now the writes between saves grow with the state (about 20 ln N saves).
    assert saves < 150
    assert len(Store.load(tmp_path / "tenant.json").state.organizations) == 1000
