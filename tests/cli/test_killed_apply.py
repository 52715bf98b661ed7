"""An apply killed at a random moment (SIGKILL, as a CI runner losing its machine would) is
finished by the next plain `apply --yes`, every time: never refused as a large change, never
left unconverged."""

import random
import signal
import time
from pathlib import Path

import pytest

from tests.cli.conftest import start

pytestmark = pytest.mark.slow

ORGS, MEMBERS, KILLS = 20, 30, 20


def write_tenant(root: Path) -> Path:
    tenant = root / "tenants" / "big"
    (tenant / "organizations").mkdir(parents=True)
    (tenant / "tenant.yaml").write_text(
        "domain: sandbox\npolicy: {max_change_percent: 30}\n", encoding="utf-8"
    )
    users = "".join(f"  - {{email: user{i}@big.example, connection: db}}\n" for i in range(MEMBERS))
    (tenant / "sandbox.yaml").write_text(
        "connections: [{name: db, strategy: auth0}]\nusers:\n" + users, encoding="utf-8"
    )
    (tenant / "roles.yaml").write_text("roles:\n  member: {description: Member}\n")
    for n in range(ORGS):
        members = "".join(
            f"  - {{email: user{i}@big.example, roles: [member]}}\n" for i in range(MEMBERS)
        )
        (tenant / "organizations" / f"org-{n:02d}.yaml").write_text(
            f"name: org-{n:02d}\nconnections: [{{name: db}}]\nmembers:\n{members}",
            encoding="utf-8",
        )
    return tenant


def test_every_killed_apply_is_finished_by_the_next_one(tmp_path):
    write_tenant(tmp_path)
    chance = random.Random(2026)
    interrupted = 0
    for kill in range(KILLS):
        reset = start(tmp_path, "sandbox", "reset")  # each kill interrupts a cold apply
        assert reset.wait(timeout=60) == 0
        victim = start(tmp_path, "apply", "--yes")
        time.sleep(chance.uniform(0.45, 1.2))
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=60)
        again = start(tmp_path, "apply", "--yes")
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, f"kill {kill}: {err}"
        assert out.splitlines()[-1] in ("Verified: Auth0 matches the files.", "No changes.")
        interrupted += "Applied:" in out and not out.startswith("No changes")
    assert interrupted >= KILLS // 2  # most kills landed in the middle of an apply
