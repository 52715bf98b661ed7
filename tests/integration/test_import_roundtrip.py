"""Import round trip on generated sandbox worlds: import what Auth0 has, load the files back,
plan, and nothing is left to do."""

import asyncio
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.config.loader import load_tenant
from reconciler.config.writer import import_files, write_files
from reconciler.core.importer import import_organizations
from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model.desired import Desired
from reconciler.sandbox import OrgConnection, Sandbox
from tests.integration.tenants import API, CONNECTIONS, world

USERS = 6
TENANT_YAML = {
    "domain": "sandbox",
    "policy": {"max_change_percent": 100},
    "invitations": {"client_id": "gen-app", "inviter_name": "Gen"},
}
PERMISSIONS = [(API, "read"), (API, "write")]
ROLE_NAMES = ["admin", "member", "auditor"]


@dataclass
class OrgSpec:
    """One generated organization."""

    display_name: str | None
    metadata: dict[str, str]
    connections: list[tuple[int, bool, bool, bool]]
    domains: list[tuple[str, str]]
    own_roles: dict[str, list[int]]
    members: dict[int, list[str]]
    invitations: dict[str, list[str]] = field(default_factory=dict)


flags = st.tuples(st.booleans(), st.booleans(), st.booleans())
org_specs = st.builds(
    OrgSpec,
    display_name=st.one_of(st.none(), st.text("Ab c-1é", min_size=1, max_size=12)),
    metadata=st.dictionaries(
        st.sampled_from(["tier", "region", "owner", "yes", "1"]),
        st.text("ab: #1'\"", max_size=8),
        max_size=3,
    ),
    connections=st.lists(
        st.tuples(st.integers(0, len(CONNECTIONS) - 1), *[st.booleans()] * 3),
        max_size=3,
        unique_by=lambda c: c[0],
    ),
    domains=st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["verified", "pending"])),
        max_size=2,
        unique_by=lambda d: d[0],
    ),
    own_roles=st.dictionaries(
        st.sampled_from(["owner", "billing", "admin"]),
        st.lists(st.integers(0, 1), unique=True),
        max_size=2,
    ),
    members=st.dictionaries(
        st.integers(0, USERS - 1),
        st.lists(st.sampled_from(["admin", "member", "owner", "billing"]), unique=True),
        max_size=4,
    ),
    invitations=st.dictionaries(
        st.sampled_from(["new1@invited.example", "new2@invited.example"]),
        st.lists(st.sampled_from(["member", "owner"]), unique=True),
        max_size=2,
    ),
)


def seed(sandbox: Sandbox, orgs: list[OrgSpec], extra_role: bool) -> None:
    """Put the generated organizations, with their parts, into the sandbox."""
    store = sandbox.store
    users = sorted(store.state.users)
    tenant_roles = {}
    for index, name in enumerate(ROLE_NAMES[: 3 if extra_role else 2]):
        role = store.create_role(name, f"Role {name}" if index else None)
        store.add_role_permissions(role.id, PERMISSIONS[: index + 1])
        tenant_roles[name] = role.id
    for number, spec in enumerate(orgs):
        name = f"org-{number}"
        org = store.create_organization(name, spec.display_name, metadata=spec.metadata or None)
        for conn, assign, button, signup in spec.connections:
            found = store.connection_by_name(CONNECTIONS[conn]["name"])
            assert found is not None
            signup_allowed = signup and assign and found["strategy"] == "auth0"
            store.link_connection(
                org.id, OrgConnection(found["id"], assign, button, bool(signup_allowed))
            )
        for prefix, status in spec.domains:
            store.add_discovery_domain(org.id, f"{prefix}.{name}.example", status, True)
        own = {}
        for role_name, perms in spec.own_roles.items():
            role = store.create_role(role_name, None, type="organization", owner_id=org.id)
            store.add_role_permissions(role.id, [PERMISSIONS[p] for p in perms])
            own[role_name] = role.id

        known = {**tenant_roles, **own}

        if spec.members:
            store.add_members(org.id, [users[i] for i in spec.members])
        for user, names in spec.members.items():
            ids = [known[n] for n in names if n in known]
            if ids:
                store.assign_member_roles(org.id, users[user], ids)
        for email, names in spec.invitations.items():
            store.create_invitation(
                org.id,
                inviter_name="Gen",
                invitee_email=email,
                client_id="gen-app",
                roles=[known[n] for n in names if n in known],
            )


async def import_then_plan(sandbox: Sandbox, directory: Path) -> tuple[Desired, int]:
    """Import everything into `directory`, load it back, and count the planned operations."""
    desired = load_tenant(directory)
    async with connect(desired, sandbox=sandbox) as session:
        imported = await import_organizations(session, desired, (), every=True)
    write_files(import_files(directory, {}, imported.organizations, imported.roles, force=False))
    loaded = load_tenant(directory)
    async with connect(loaded, sandbox=sandbox) as session:
        result = await Reconciler(session, loaded).plan()
    assert result.plan.unmanaged_organizations == ()
    return loaded, len(result.plan.operations)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(orgs=st.lists(org_specs, min_size=1, max_size=3), extra_role=st.booleans())
def test_imported_files_plan_no_changes(orgs: list[OrgSpec], extra_role: bool) -> None:
    sandbox = Sandbox(world(USERS), seed=1)
    seed(sandbox, orgs, extra_role)
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder) / "generated"
        directory.mkdir()
        (directory / "tenant.yaml").write_text(yaml.safe_dump(TENANT_YAML))
        (directory / "sandbox.yaml").write_text("{}\n")
        loaded, operations = asyncio.run(import_then_plan(sandbox, directory))
    assert operations == 0
    assert sorted(loaded.organizations) == [f"org-{i}" for i in range(len(orgs))]
    assert sorted(loaded.roles) == sorted(ROLE_NAMES[: 3 if extra_role else 2])


def test_an_imported_file_reads_like_a_hand_written_one(tmp_path: Path) -> None:
    sandbox = Sandbox(world(USERS), seed=1)
    spec = OrgSpec(
        display_name="Acme",
        metadata={"tier": "gold"},
        connections=[(2, True, True, False)],
        domains=[("a", "verified")],
        own_roles={"owner": [0]},
        members={0: ["owner", "member"], 1: []},
        invitations={"new1@invited.example": ["member"]},
    )
    seed(sandbox, [spec], extra_role=False)
    directory = tmp_path / "generated"
    directory.mkdir()
    (directory / "tenant.yaml").write_text(yaml.safe_dump(TENANT_YAML))
    (directory / "sandbox.yaml").write_text("{}\n")
    asyncio.run(import_then_plan(sandbox, directory))
    store = sandbox.store
    first, second = (store.user(u)["email"] for u in sorted(store.state.users)[:2])
    members = sorted(
        [f"  - email: {first}\n    roles: [member, owner]\n", f"  - email: {second}\n"]
    )
    text = (directory / "organizations" / "org-0.yaml").read_text()
    assert text.splitlines()[0].startswith("# yaml-language-server: $schema=")
    assert text.split("\n", 2)[2] == (
        "name: org-0\n"
        "display_name: Acme\n"
        "metadata: {tier: gold}\n"
        "connections:\n"
        "  - name: corp-ad\n"
        "    assign_membership_on_login: true\n"
        "routing:\n"
        "  email_domains: [a.org-0.example]\n"
        "roles:\n"
        "  owner:\n"
        "    permissions:\n"
        "      https://api.generated.example: [read]\n"
        "members:\n"
        f"{members[0]}{members[1]}"
        "  - email: new1@invited.example\n"
        "    roles: [member]\n"
        "    invite: true\n"
    )
