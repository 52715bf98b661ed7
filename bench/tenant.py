"""A generated tenant for the benchmark: files in a directory and the sandbox world they run on."""

from dataclasses import dataclass
from pathlib import Path

API = "https://api.bench.example"
ROLES = 5
CONNECTIONS = 12
"""Connections of the world; each organization enables two of them."""
CLIENT_ID, CLIENT_SECRET = "bench-reconciler", "bench-only-secret"


@dataclass(frozen=True)
class Shape:
    """How big the generated tenant is."""

    orgs: int
    members: int
    users: int

    @property
    def members_with_roles(self) -> int:
        """A third of each organization's members hold a role."""
        return self.members // 3


def user_id(index: int) -> str:
    """The id of a generated database user."""
    return f"auth0|bench{index:06d}"


def write_tenant(directory: Path, shape: Shape, limits: str | None = None) -> Path:
    """Write tenant.yaml (with `limits`: the subscription whose limits the tenant has),
    roles.yaml, sandbox.yaml and one file per organization."""
    directory.mkdir(parents=True, exist_ok=True)
    rate_limit = "" if limits is None else f"rate_limit: {{limits: {limits}}}\n"
    (directory / "tenant.yaml").write_text(
        f"domain: sandbox\npolicy: {{max_change_percent: 100}}\n{rate_limit}", encoding="utf-8"
    )
    roles = "".join(
        f"  role-{r}:\n    description: Role {r}\n    permissions:\n      {API}: [p{r}]\n"
        for r in range(ROLES)
    )
    (directory / "roles.yaml").write_text(f"roles:\n{roles}", encoding="utf-8")
    connections = "".join(f"  - {{name: conn-{c}, strategy: auth0}}\n" for c in range(CONNECTIONS))
    scopes = ", ".join(f"p{r}" for r in range(ROLES))
    users = "".join(
        f"  - {{user_id: '{user_id(u)}', email: user{u}@bench.example, connection: conn-0}}\n"
        for u in range(shape.users)
    )
    (directory / "sandbox.yaml").write_text(
        f"management_client: {{client_id: {CLIENT_ID}, client_secret: {CLIENT_SECRET}}}\n"
        f"connections:\n{connections}"
        f"resource_servers:\n  - {{name: Bench API, identifier: '{API}', scopes: [{scopes}]}}\n"
        f"users:\n{users}",
        encoding="utf-8",
    )
    folder = directory / "organizations"
    folder.mkdir(exist_ok=True)
    for n in range(shape.orgs):
        write_org(folder, n, shape, f"Org {n}")
    return directory


def write_org(folder: Path, n: int, shape: Shape, display_name: str) -> None:
    """One organization file: two connections, one discovery domain, members, some with roles."""
    name = org_name(n)
    members = []
    for m in range(shape.members):
        uid = user_id((n * 7 + m) % shape.users)
        role = f", roles: [role-{m % ROLES}]" if m < shape.members_with_roles else ""
        members.append(f"  - {{user_id: '{uid}'{role}}}\n")
    (folder / f"{name}.yaml").write_text(
        f"name: {name}\ndisplay_name: {display_name}\n"
        f"connections: [{{name: conn-0}}, {{name: conn-{1 + n % (CONNECTIONS - 1)}}}]\n"
        f"routing: {{email_domains: [{name}.bench.example]}}\n"
        f"members:\n{''.join(members)}",
        encoding="utf-8",
    )


def org_name(n: int) -> str:
    """The name of the n-th generated organization."""
    return f"org-{n:05d}"
