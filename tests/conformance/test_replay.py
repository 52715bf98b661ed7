"""Every distilled fixture of recorded Auth0 traffic, replayed against the sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconciler.sandbox import Sandbox, SandboxSettings, World
from tests.conformance.replay import Replay, load

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.json"))
WORLD: dict[str, Any] = {
    "management_client": {"client_id": "conformance", "client_secret": "s", "scopes": "all"},
    "connections": [{"name": "Username-Password-Authentication", "strategy": "auth0"}],
}
AUTH0_BEHAVIOUR: dict[str, Any] = {}
"""Settings that make the sandbox behave as Auth0 where its default does not yet."""
KNOWN_DEVIATIONS: dict[str, tuple[str, ...]] = {}
"""Response paths (regular expressions) left unchecked, by fixture; tests/conformance/README.md
says why for each."""


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_sandbox_answers_as_auth0_recorded(fixture: Path) -> None:
    sandbox = Sandbox(
        World.model_validate(WORLD), settings=SandboxSettings.model_validate(AUTH0_BEHAVIOUR)
    )
    replay = Replay(fixture.stem, KNOWN_DEVIATIONS.get(fixture.stem, ()))
    with sandbox.sync_client(
        headers={"authorization": f"Bearer {sandbox.issue_token()}"}
    ) as client:
        for index, step in enumerate(load(fixture)["steps"]):
            if not replay.step(client, index, step):
                break
    assert replay.problems == []
