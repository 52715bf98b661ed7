"""The drift checkpoint file: versioned JSON that round-trips, sealed with a checksum so that
an edit by hand is told, read strictly; and digests that tell which file changed."""

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reconciler.drift.checkpoint import (
    Checkpoint,
    CheckpointUnusable,
    Digests,
    checksum,
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
    assert json.loads(path.read_text())["version"] == 3
    assert [p.name for p in path.parent.iterdir()] == ["drift.json"]


def test_the_checksum_is_the_sha256_of_the_rest_as_canonical_json(tmp_path: Path):
    path = tmp_path / "drift.json"
    write_checkpoint(path, CHECKPOINT)
    document = json.loads(path.read_text())
    sealed = document.pop("checksum")
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    assert sealed == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
    assert checksum(document) == sealed


def test_a_checkpoint_laid_out_anew_is_still_as_it_was_written(tmp_path: Path):
    path = tmp_path / "drift.json"
    write_checkpoint(path, CHECKPOINT)
    document = json.loads(path.read_text())
    path.write_text(json.dumps(dict(reversed(document.items())), indent=4), encoding="utf-8")
    assert read_checkpoint(path) == CHECKPOINT


EDITS = {
    "log id": lambda d: d["log"].update(id="90020250101000000000000000000000000000009"),
    "drifted organizations": lambda d: d["drift"].update(organizations=[]),
    "drifted roles": lambda d: d["drift"].update(roles=[]),
    "last full read": lambda d: d.update(full_scan_at=1_700_000_000.0),
    "organization map": lambda d: d["organizations"].pop("org_2"),
    "tenant": lambda d: d.update(tenant="other"),
    "target": lambda d: d.update(target="https://other.eu.auth0.com"),
    "a key added": lambda d: d.update(note="hello"),
    "no checksum": lambda d: d.pop("checksum"),
    "checksum of another": lambda d: d.update(checksum=checksum({"version": 3})),
}


@pytest.mark.parametrize("edit", EDITS)
def test_a_checkpoint_edited_by_hand_is_not_used(tmp_path: Path, edit: str):
    path = tmp_path / "drift.json"
    write_checkpoint(path, CHECKPOINT)
    document = json.loads(path.read_text())
    EDITS[edit](document)
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CheckpointUnusable) as caught:
        read_checkpoint(path)
    assert str(caught.value) == (
        f"{path} is not as it was written (its checksum does not match its content)"
    )


def sealed(document: dict[str, Any]) -> str:
    """A checkpoint document sealed with its checksum, as JSON."""
    return json.dumps({**document, "checksum": checksum(document)})


def written(change: Callable[[dict[str, Any]], object]) -> str:
    """A small valid checkpoint document with `change` made, sealed again."""
    document: dict[str, Any] = {
        "version": 3,
        "tenant": "acme",
        "target": "t",
        "log": {"id": "9002", "read_at": 2.0},
        "full_scan_at": 1.0,
        "organizations": {},
        "roles": {},
        "files": {"tenant": "t", "roles": {}, "organizations": {}},
        "drift": {"organizations": [], "roles": []},
        "live": None,
    }
    change(document)
    return sealed(document)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no checkpoint in {path} yet"),
        ("[1, 2", "{path} cannot be read (Expecting"),
        ("[" * 100_000 + "]" * 100_000, "{path} cannot be read (JSON nested too deeply)"),
        (
            '{"version": 3, "log": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "{path} cannot be read (JSON nested too deeply)",
        ),
        ('{"version": 3, "full_scan_at": NaN}', "{path} cannot be read (NaN is not a finite"),
        ('{"version": 3, "x": -Infinity}', "{path} cannot be read (-Infinity is not a finite"),
        ('{"version": 3, "x": 1e999}', "{path} cannot be read (1e999 is not a finite number)"),
        ('{"version": 1}', "{path} is not a checkpoint of version 3"),
        ("[2]", "{path} is not a checkpoint of version 3"),
        (sealed({"version": 3, "tenant": "acme"}), "{path} is not a valid checkpoint (no 'log')"),
        (
            written(lambda d: d["organizations"].update(org_1=7)),
            "{path} is not a valid checkpoint (expected a string, got 7)",
        ),
        (
            written(lambda d: d["drift"].update(organizations="acme-corp")),
            "{path} is not a valid checkpoint (expected a list, got 'acme-corp')",
        ),
        (
            written(lambda d: d["log"].update(read_at="2")),
            "{path} is not a valid checkpoint (expected a time, got '2')",
        ),
        (
            written(lambda d: d["log"].update(read_at=True)),
            "{path} is not a valid checkpoint (expected a time, got True)",
        ),
        (
            written(lambda d: d.update(full_scan_at=10**400)),
            "{path} is not a valid checkpoint (expected a time, got 1000000000000000000000",
        ),
        (
            written(lambda d: d.update(full_scan_at=3.0)),
            "{path} is not a valid checkpoint (the last full read is dated after the log read)",
        ),
        (
            written(lambda d: d.update(files=[])),
            "{path} is not a valid checkpoint (expected an object, got [])",
        ),
    ],
)
def test_an_unusable_checkpoint_says_why(tmp_path: Path, content: str | None, reason: str):
    path = tmp_path / "drift.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CheckpointUnusable) as caught:
        read_checkpoint(path)
    assert str(caught.value).startswith(reason.format(path=path)), caught.value
    assert "\n" not in str(caught.value)


def test_digests_change_with_the_file_that_changed_only():
    before = digests_of(desired({"name": "a"}, {"name": "b"}, roles={"admin": {}}))
    after = digests_of(
        desired({"name": "a", "display_name": "A"}, {"name": "b"}, roles={"admin": {}})
    )
    assert after.organizations["a"] != before.organizations["a"]
    assert after.organizations["b"] == before.organizations["b"]
    assert after.roles == before.roles
    assert after.tenant == before.tenant
