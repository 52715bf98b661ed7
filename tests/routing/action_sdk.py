"""Run the generated post-login Action with the real `auth0` npm package against the sandbox
served over TLS (`post_login_sdk.test.js`, Node's test runner).

Usage: python -m tests.routing.action_sdk NODE_MODULES  (the folder holding the pinned `auth0`
package, installed by `make test-action`). The sandbox holds the routing test tenant's
organizations as they are once applied; the Action's application has exactly the scopes the
docs/routing.md lists. Exits with Node's exit code.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from reconciler.routing.action import ACTION_SCOPES
from reconciler.sandbox import Sandbox, World
from reconciler.sandbox.server import serving
from tests.routing.generate_action import main as generate

HERE = Path(__file__).parent
TEST_FILE = HERE / "post_login_sdk.test.js"
CLIENT = {"client_id": "routing-client", "client_secret": "sdk-test-secret"}
USERS = [
    ("auth0|alice", "alice@acme.com", "Username-Password-Authentication"),
    ("auth0|erin", "erin@acme.com", "Username-Password-Authentication"),
    ("auth0|mallory", "mallory@acme.com", "Username-Password-Authentication"),
    ("waad|zoe", "zoe@contoso.example", "acme-azure-ad"),
]


def seeded_sandbox() -> tuple[Sandbox, dict[str, str]]:
    """The sandbox after an apply of the routing tenant, plus Zoe, whom Auth0 has just added to
    acme-corp through its auto-membership connection; returns it with the organizations' ids."""
    world = World.model_validate(
        {
            "management_client": {**CLIENT, "scopes": list(ACTION_SCOPES)},
            "connections": [
                {"name": "Username-Password-Authentication", "strategy": "auth0"},
                {"name": "acme-azure-ad", "strategy": "waad"},
            ],
            "users": [
                {"user_id": user_id, "email": email, "connection": connection}
                for user_id, email, connection in USERS
            ],
        }
    )
    sandbox = Sandbox(world)
    store = sandbox.store
    roles = {name: store.create_role(name).id for name in ("member", "admin", "viewer")}
    acme = store.create_organization("acme-corp")
    beta = store.create_organization("beta-llc")
    acme_admin = store.create_role("admin", type="organization", owner_id=acme.id).id
    store.add_members(acme.id, ["auth0|alice", "waad|zoe"])
    store.assign_member_roles(acme.id, "auth0|alice", [acme_admin])
    store.add_members(beta.id, ["auth0|alice"])
    store.assign_member_roles(beta.id, "auth0|alice", [roles["member"]])
    return sandbox, {"acme-corp": acme.id, "beta-llc": beta.id}


def main(node_modules: str) -> int:
    """Serve the seeded sandbox, run the Node test against it, return Node's exit code."""
    sandbox, org_ids = seeded_sandbox()
    with tempfile.TemporaryDirectory() as folder:
        action = generate(folder)
        with serving(sandbox, tls_dir=Path(folder) / "tls") as base:
            env = {
                **os.environ,
                "NODE_PATH": str(Path(node_modules).resolve()),
                "NODE_EXTRA_CA_CERTS": str(Path(folder) / "tls" / "ca.pem"),
                "ROUTING_ACTION_FILE": str(action),
                "SANDBOX_URL": base,
                "SANDBOX_CONTROL_TOKEN": sandbox.issue_token(),
                "SANDBOX_ORG_IDS": json.dumps(org_ids),
                "ROUTING_DOMAIN": urlsplit(base).netloc,
                "ROUTING_CLIENT_ID": CLIENT["client_id"],
                "ROUTING_CLIENT_SECRET": CLIENT["client_secret"],
            }
            command = ["node", "--test", str(TEST_FILE)]
            return subprocess.run(command, env=env, check=False).returncode


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.routing.action_sdk NODE_MODULES")
    sys.exit(main(sys.argv[1]))
