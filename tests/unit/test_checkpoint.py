"""The drift checkpoint file: versioned JSON that round-trips, and digests that tell which
file changed."""

import json
from pathlib import Path

import pytest

from reconciler.core.checkpoint import (
    Checkpoint,
    CheckpointUnusable,
    Digests,
    digests_of,
    read_checkpoint,
    write_checkpoint,
)
from tests.unit.states import desired

CHECKPOINT = Checkpoint(
    tenant="acme",
    target="the tenant at https://acme.eu.auth0.com",
    log_id="90020250101000000000000000000000000000001",
    read_at=1_700_000_000.5,
    full_scan_at=1_699_000_000.0,
    organizations={"org_1": "acme-corp", "org_2": "by-hand"},
    roles={"rol_1": ("admin", None), "rol_2": ("lead", "acme-corp")},
    digests=Digests("t", {"admin": "r"}, {"acme-corp": "o"}),
    drifted_organizations=frozenset({"acme-corp"}),
    drifted_roles=frozenset({"admin"}),
)


def test_a_checkpoint_round_trips_through_its_file(tmp_path: Path):
    path = tmp_path / "deep" / "drift.json"
    write_checkpoint(path, CHECKPOINT)
    assert read_checkpoint(path) == CHECKPOINT
    assert json.loads(path.read_text())["version"] == 1
    assert [p.name for p in path.parent.iterdir()] == ["drift.json"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no checkpoint in {path} yet"),
        ("[1, 2", "{path} cannot be read (Expecting"),
        ('{"version": 2}', "{path} is not a checkpoint of version 1"),
        ('{"version": 1, "tenant": "acme"}', "{path} is not a valid checkpoint (no 'log')"),
    ],
)
def test_an_unusable_checkpoint_says_why(tmp_path: Path, content: str | None, reason: str):
    path = tmp_path / "drift.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CheckpointUnusable) as caught:
        read_checkpoint(path)
    assert str(caught.value).startswith(reason.format(path=path)), caught.value


def test_a_value_of_the_wrong_type_makes_it_unusable(tmp_path: Path):
    path = tmp_path / "drift.json"
    write_checkpoint(path, CHECKPOINT)
    document = json.loads(path.read_text())
    document["organizations"]["org_1"] = 7
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CheckpointUnusable, match="expected a string, got 7"):
        read_checkpoint(path)


def test_digests_change_with_the_file_that_changed_only():
    before = digests_of(desired({"name": "a"}, {"name": "b"}, roles={"admin": {}}))
    after = digests_of(
        desired({"name": "a", "display_name": "A"}, {"name": "b"}, roles={"admin": {}})
    )
    assert after.organizations["a"] != before.organizations["a"]
    assert after.organizations["b"] == before.organizations["b"]
    assert after.roles == before.roles
    assert after.tenant == before.tenant
