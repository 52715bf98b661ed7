"""JSON Schemas of the tenant's files, generated from the models for editors and CI."""

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from reconciler.model.applications import ApplicationsFile
from reconciler.model.connections import ConnectionsFile
from reconciler.model.organization import Organization
from reconciler.model.roles import RolesFile
from reconciler.model.sso_profiles import SsoProfilesFile
from reconciler.model.tenant import Tenant
from reconciler.sandbox.world import World

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "tenant.schema.json": (Tenant, "tenants/<tenant>/tenant.yaml"),
    "roles.schema.json": (RolesFile, "tenants/<tenant>/roles.yaml"),
    "applications.schema.json": (ApplicationsFile, "tenants/<tenant>/applications.yaml"),
    "connections.schema.json": (ConnectionsFile, "tenants/<tenant>/connections.yaml"),
    "sso-profiles.schema.json": (SsoProfilesFile, "tenants/<tenant>/sso-profiles.yaml"),
    "organization.schema.json": (Organization, "tenants/<tenant>/organizations/<name>.yaml"),
    "sandbox.schema.json": (World, "tenants/<tenant>/sandbox.yaml (the embedded sandbox's world)"),
}
"""File name -> (model, title) of each generated schema."""


def render_schemas() -> dict[str, str]:
    """File name -> text of each schema: 2-space indented JSON with a trailing newline."""
    rendered = {}
    for name, (model, title) in SCHEMAS.items():
        generated: dict[str, Any] = model.model_json_schema()
        generated.pop("title", None)
        document = {"$schema": JSON_SCHEMA_DIALECT, "title": title, **generated}
        rendered[name] = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return rendered


def write_schemas(directory: Path) -> list[Path]:
    """Write the schemas into `directory`; return the files whose content changed."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written


def stale_schemas(directory: Path) -> list[Path]:
    """The schema files in `directory` that are missing or differ from the models."""
    return [
        directory / name
        for name, text in render_schemas().items()
        if not (directory / name).is_file()
        or (directory / name).read_text(encoding="utf-8") != text
    ]
