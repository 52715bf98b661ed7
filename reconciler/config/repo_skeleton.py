"""The skeleton of a config repository that `reconciler init` writes: one tenant on the
embedded sandbox with one organization, the schemas, a `.gitignore` and the workflows, the
reconciler's own action named by the commit it is pinned to."""

from importlib.resources import files
from pathlib import Path, PurePosixPath

from reconciler.config.layout import (
    ORGANIZATIONS_DIR,
    ROLES_FILE,
    SCHEMAS_DIR,
    TENANT_FILE,
    TENANTS_DIR,
    WORLD_FILE,
)
from reconciler.config.writer import WriteRefused

ACTION_PLACEHOLDER = "OWNER/auth0-org-reconciler@COMMIT"
"""What the written workflows use until `--action` names the pinned action."""
WORKFLOWS = ("plan.yml", "apply.yml", "drift.yml")
ORGANIZATION = "first-customer"
_OWN_ACTION = """\
      # The reconciler with its runtime dependencies only (action.yml at the repository's root;
      # a config repository of its own names it as OWNER/auth0-org-reconciler@<commit>).
      - uses: ./
"""
_TEMPLATES = files("reconciler.config").joinpath("skeleton")
_SCHEMAS = files("reconciler").joinpath("schemas")


def skeleton(tenant: str, action: str = ACTION_PLACEHOLDER) -> dict[PurePosixPath, str]:
    """Path in the repository -> text of every file of the skeleton."""
    base = PurePosixPath(str(TENANTS_DIR), tenant)
    written = {
        PurePosixPath(".gitignore"): _template("gitignore"),
        base / TENANT_FILE: _template("tenant.yaml"),
        base / ROLES_FILE: _template("roles.yaml"),
        base / WORLD_FILE: _template("sandbox.yaml"),
        base / ORGANIZATIONS_DIR / f"{ORGANIZATION}.yaml": _template("organization.yaml"),
    }
    for name in WORKFLOWS:
        written[PurePosixPath(".github", "workflows", name)] = workflow(name, action)
    for schema in sorted(_SCHEMAS.iterdir(), key=lambda entry: entry.name):
        if schema.name.endswith(".schema.json"):
            written[PurePosixPath(str(SCHEMAS_DIR), schema.name)] = schema.read_text("utf-8")
    return written


def workflow(name: str, action: str) -> str:
    """The shipped workflow `name` for a config repository: the reconciler installed by
    `action` (owner/name@commit) instead of the repository's own action."""
    text = _template(f"workflows/{name}")
    if _OWN_ACTION not in text:
        raise ValueError(f"workflow {name}: no step installs the reconciler")
    step = (
        "      # The reconciler with its runtime dependencies only, pinned to a commit of its\n"
        "      # repository.\n"
        f"      - uses: {action}\n"
    )
    return text.replace(_OWN_ACTION, step)


def write_skeleton(directory: Path, tenant: str, action: str = ACTION_PLACEHOLDER) -> list[Path]:
    """Write the skeleton into `directory` (made when missing); WriteRefused, writing
    nothing, when any of its files exists already. The files written, in order."""
    planned = {directory / path: text for path, text in skeleton(tenant, action).items()}
    existing = [str(path) for path in planned if path.exists() or path.is_symlink()]
    if existing:
        raise WriteRefused(f"{', '.join(existing)}: exists; init writes only files that do not")
    for path, text in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return list(planned)


def _template(name: str) -> str:
    return _TEMPLATES.joinpath(name).read_text("utf-8")
