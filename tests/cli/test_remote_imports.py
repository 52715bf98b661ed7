"""A command against a remote target never loads the emulator of the sandbox or its server: a
plan over HTTP, in a process of its own, ends without them in `sys.modules`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reconciler.sandbox import serving
from tests.cli.conftest import embedded_sandbox

pytestmark = pytest.mark.http

CHILD = """
import json, sys
from reconciler.cli import main
try:
    main(sys.argv[2:], prog_name="reconciler")
except SystemExit as exit:
    code = exit.code
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""
EMULATOR = (
    "reconciler.sandbox.sandbox",
    "reconciler.sandbox.app",
    "reconciler.sandbox.store",
    "reconciler.sandbox.server",
    "reconciler.sandbox.areas",
)


def test_a_plan_against_a_served_sandbox_loads_no_emulator_server_or_diff_library(
    project: Path, tmp_path: Path
) -> None:
    sandbox = embedded_sandbox(project)
    env = {k: v for k, v in os.environ.items() if k not in ("AUTH0_TOKEN", "AUTH0_DOMAIN")}
    env["AUTH0_CLIENT_ID"] = sandbox.management_client.client_id
    env["AUTH0_CLIENT_SECRET"] = sandbox.management_client.client_secret
    report = tmp_path / "modules.json"
    with serving(sandbox) as base_url:
        subprocess.run(
            [sys.executable, "-c", CHILD, str(report), "plan", "--domain", base_url],
            cwd=project,
            env=env,
            check=True,
            capture_output=True,
        )
    result = json.loads(report.read_text(encoding="utf-8"))
    modules = set(result["modules"])
    assert result["code"] == 0
    assert [c.path for c in sandbox.api_calls()][:1] == ["/api/v2/organizations"]
    assert "reconciler.auth0.session" in modules
    loaded = sorted(
        name
        for name in modules
        if name.split(".")[0] in ("uvicorn", "deepdiff", "starlette") or name.startswith(EMULATOR)
    )
    assert loaded == []
