"""Loading a tenant directory into a `Desired`, reporting every problem of every file at once."""

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from reconciler.config.app_checks import check_api_access, check_applications
from reconciler.config.checks import check_tenant
from reconciler.config.empty_keys import (
    APPLICATIONS_KEYS,
    ORGANIZATION_KEYS,
    ROLES_KEYS,
    Keys,
    refused_nulls,
)
from reconciler.config.errors import ConfigError, ConfigErrors
from reconciler.config.tenant_files import MAX_MEMBERS, check_file, organization_files
from reconciler.config.tenants import tenant_name
from reconciler.config.validation import Validated, validate
from reconciler.config.yaml_source import YamlDocument, display_path, read_yaml
from reconciler.model.applications import ApplicationsFile
from reconciler.model.desired import Desired, KeyPath, Location
from reconciler.model.organization import Organization
from reconciler.model.roles import RolesFile
from reconciler.model.tenant import Tenant
from reconciler.sandbox.world import World, world_problems

M = TypeVar("M", bound=BaseModel)
EMPTY_KEYS: dict[type[BaseModel], Keys] = {
    Organization: ORGANIZATION_KEYS,
    RolesFile: ROLES_KEYS,
    ApplicationsFile: APPLICATIONS_KEYS,
}

TENANT_FILE = "tenant.yaml"
WORLD_FILE = "sandbox.yaml"
ROLES_FILE = "roles.yaml"
APPLICATIONS_FILE = "applications.yaml"
ORGANIZATIONS_DIR = "organizations"


def load_tenant(directory: Path | str) -> Desired:
    """Load `tenant.yaml`, the optional `roles.yaml` and `applications.yaml`, and
    `organizations/*.yaml` of a tenant.

    Raise `ConfigErrors` with every problem in every file, ordered by file and position.
    """
    directory = Path(directory)
    errors: list[ConfigError] = []
    tenant_path = directory / TENANT_FILE
    roles_path = directory / ROLES_FILE
    apps_path = directory / APPLICATIONS_FILE
    org_paths, warnings = organization_files(directory / ORGANIZATIONS_DIR)

    if tenant_path.exists():
        tenant = _load(Tenant, tenant_path, errors, directory)
    else:
        tenant = None
        missing = Location(display_path(tenant_path), 1, 1)
        errors.append(ConfigError(missing, "file not found: every tenant needs one"))
    roles = (
        _load(RolesFile, roles_path, errors, directory)
        if roles_path.exists()
        else Validated(YamlDocument(display_path(roles_path), {}, {}), RolesFile())
    )
    apps = _load(ApplicationsFile, apps_path, errors, directory) if apps_path.exists() else None
    orgs = [
        org for org in (_load(Organization, path, errors, directory) for path in org_paths) if org
    ]
    members = 0
    for org in orgs:
        members += len(org.model.members or [])
        if members > MAX_MEMBERS:
            errors.append(
                org.error(
                    ("members",),
                    f"the tenant's files list more than {MAX_MEMBERS:,} members in all: refused",
                )
            )
            break
    world_path = directory / WORLD_FILE
    world = _load(World, world_path, errors, directory) if world_path.exists() else None
    if world is not None:
        errors += [world.error(path, problem) for path, problem in world_problems(world.model)]
    errors += check_tenant(orgs, tenant.model if tenant else None, roles.model if roles else None)
    if apps is not None:
        errors += check_applications(apps)
    errors += check_api_access(orgs, apps.model if apps else None)

    if errors or tenant is None or roles is None:
        paths = (tenant_path, roles_path, apps_path, *org_paths, world_path)
        order = [display_path(path) for path in paths]
        rank = {path: index for index, path in enumerate(order)}
        errors.sort(
            key=lambda e: (rank.get(e.location.path, -1), e.location.line, e.location.column)
        )
        raise ConfigErrors(errors)

    sources: dict[KeyPath, Location] = {}
    _add_sources(sources, ("tenant",), tenant.document)
    _add_sources(sources, (), roles.document)
    if apps is not None:
        _add_sources(sources, (), apps.document)
    for org in orgs:
        _add_sources(sources, ("organizations", org.model.name), org.document)
    return Desired(
        tenant_name=tenant_name(directory),
        tenant=tenant.model,
        roles=dict(roles.model.roles),
        organizations={org.model.name: org.model for org in orgs},
        sources=sources,
        warnings=tuple(warnings),
        applications=dict(apps.model.applications) if apps else {},
    )


def _load(
    model: type[M], path: Path, errors: list[ConfigError], tenant_dir: Path
) -> Validated[M] | None:
    try:
        check_file(path, tenant_dir)
        document = read_yaml(path)
    except ConfigErrors as problems:
        errors += problems.errors
        return None
    refused = refused_nulls(document, EMPTY_KEYS.get(model, ()))
    errors += refused
    try:
        validated = validate(model, document)
    except ConfigErrors as problems:
        errors += problems.errors
        return None
    return None if refused else validated


def _add_sources(sources: dict[KeyPath, Location], prefix: KeyPath, document: YamlDocument) -> None:
    for path, marks in document.marks.items():
        if prefix + path:
            sources[prefix + path] = marks.source
