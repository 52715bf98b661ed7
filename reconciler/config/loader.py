"""Loading a tenant directory (its desired state and its sandbox's world), reporting every
problem of every file at once."""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, TypeVar

from pydantic import BaseModel

from reconciler.collection import paused_collection
from reconciler.config.app_checks import check_api_access, check_applications
from reconciler.config.bases import EXTENDS, VALUES, base_directory, is_base
from reconciler.config.checks import (
    check_action_secrets,
    check_approved_deletions,
    check_member_count,
    check_role_count,
    check_tenant,
)
from reconciler.config.connection_checks import (
    check_connections,
    check_profiles_named,
    read_certificates,
)
from reconciler.config.empty_keys import (
    APPLICATIONS_KEYS,
    ORGANIZATION_KEYS,
    ROLES_KEYS,
    Keys,
    refused_nulls,
)
from reconciler.config.errors import ConfigError, ConfigErrors
from reconciler.config.layers import layered
from reconciler.config.layout import (
    APPLICATIONS_FILE,
    CONNECTIONS_FILE,
    ORGANIZATIONS_DIR,
    ROLES_FILE,
    SSO_PROFILES_FILE,
    TENANT_FILE,
    WORLD_FILE,
)
from reconciler.config.parse_cache import ParseCache
from reconciler.config.sources import ORGANIZATIONS as ORGS
from reconciler.config.sources import TENANT, FileSources
from reconciler.config.tenant_files import check_file, organization_files, present, resolved
from reconciler.config.tenant_id import TenantId
from reconciler.config.validation import Validated, validate
from reconciler.config.values import FAILED, Interpolation, resolve_values
from reconciler.config.yaml_fast import fast_mapping
from reconciler.config.yaml_source import (
    FastRead,
    YamlDocument,
    YamlSource,
    display_path,
    read_yaml,
)
from reconciler.model.applications import ApplicationsFile
from reconciler.model.connections import ConnectionsFile
from reconciler.model.desired import Desired, KeyPath, Location
from reconciler.model.organization import Organization
from reconciler.model.roles import RolesFile
from reconciler.model.sso_profiles import SsoProfilesFile
from reconciler.model.tenant import Tenant
from reconciler.sandbox.world import World, world_problems

M = TypeVar("M", bound=BaseModel)
EMPTY_KEYS: dict[type[BaseModel], Keys] = {
    Organization: ORGANIZATION_KEYS,
    RolesFile: ROLES_KEYS,
    ApplicationsFile: APPLICATIONS_KEYS,
}
FILES_AT_ONCE = 100
"""Organization files read before they are checked: only a few files' values are held beside
the models, and reading and checking each run in a stretch (file by file costs 4% more CPU)."""
SANDBOX_DOMAIN = "sandbox"
"""The `domain` of a tenant served by its embedded sandbox, whose world is its sandbox.yaml."""


@dataclass(frozen=True)
class SandboxWorld:
    """A tenant's sandbox.yaml as loaded: the world, the file, and a digest of its bytes (to
    tell whether the embedded sandbox's state was seeded from this version)."""

    world: World
    path: Path
    digest: str


@dataclass(frozen=True)
class TenantFiles:
    """Everything a tenant directory holds: which tenant, what its files desire, and its
    sandbox.yaml (None when there is none)."""

    tenant: TenantId
    desired: Desired
    world: SandboxWorld | None
    base: Path | None = None
    """The folder of the base the tenant extends (None when it extends none)."""


def load_tenant_files(directory: Path | str, cache: ParseCache | None = None) -> TenantFiles:
    """Load `tenant.yaml`, the optional `roles.yaml`, `applications.yaml` and
    `connections.yaml` (with the certificate files its connections name), `sso-profiles.yaml`,
    `organizations/*.yaml`, and `sandbox.yaml` (required when the domain is `sandbox`); the
    organization files unchanged since `cache` was saved from it.

    Raise `ConfigErrors` with every problem in every file, ordered by file and position.
    """
    directory = Path(directory)
    with paused_collection(keep=True):
        return _Reader(directory, cache).tenant()


def load_sandbox_world(directory: Path | str) -> SandboxWorld:
    """A tenant's sandbox.yaml alone, checked as `load_tenant_files` checks it."""
    reader = _Reader(Path(directory))
    world = reader.world(reader.directory / WORLD_FILE, required=True)
    if world is None:
        raise ConfigErrors(reader.errors)
    return world


def load_tenant(directory: Path | str) -> Desired:
    """What a tenant's files desire (see `load_tenant_files`)."""
    return load_tenant_files(directory).desired


class _Reader:
    """Reads one tenant directory's files, collecting every problem of every file."""

    def __init__(self, directory: Path, cache: ParseCache | None = None) -> None:
        self.directory = directory
        self.cache = cache
        self.root = directory.resolve()
        self.shown = PurePath(display_path(directory))
        self.errors: list[ConfigError] = []
        self.prefix = os.path.join(directory, "")  # names made by string, 10,000 times
        self.shown_prefix = "" if str(self.shown) == "." else os.path.join(self.shown, "")

    def tenant(self) -> TenantFiles:
        directory, errors = self.directory, self.errors
        tenant_path = directory / TENANT_FILE
        roles_path = directory / ROLES_FILE
        apps_path = directory / APPLICATIONS_FILE
        connections_path = directory / CONNECTIONS_FILE
        profiles_path = directory / SSO_PROFILES_FILE
        world_path = directory / WORLD_FILE
        org_dir = directory / ORGANIZATIONS_DIR
        if is_base(directory):
            message = "is a base that tenants extend, not a tenant: name a tenant extending it"
            raise ConfigErrors([ConfigError(Location(str(self.shown), 1, 1), message, True)])
        org_paths, warnings = organization_files(org_dir)
        if org_dir.is_symlink() and not org_dir.is_dir():
            errors.append(self.folder_error(org_dir))

        tenant_doc = None
        if present(tenant_path):
            tenant_doc = self.read(tenant_path)
        else:
            missing = Location(self.name(tenant_path), 1, 1)
            errors.append(ConfigError(missing, "file not found: every tenant needs one"))
        base = self.base(tenant_doc)
        tenant_doc = self.over_base(base, tenant_doc, TENANT_FILE)
        values, problems = resolve_values(tenant_doc, VALUES) if tenant_doc else ({}, [])
        errors += problems
        filled = Interpolation(values)
        tenant_doc = self.filled(filled, tenant_doc, (TENANT,), values)
        tenant = self.checked(Tenant, tenant_doc)
        own_roles = self.own(roles_path)
        unreadable = own_roles is None and present(roles_path)
        roles_written = self.over_base(base, own_roles, ROLES_FILE)
        apps_doc = self.over_base(base, self.own(apps_path), APPLICATIONS_FILE)
        roles_doc = self.filled(filled, roles_written, ())
        apps_doc = self.filled(filled, apps_doc, ())
        roles = (
            self.checked(RolesFile, roles_doc)
            if roles_written or unreadable
            else Validated(YamlSource(self.name(roles_path)), RolesFile())
        )
        apps = self.checked(ApplicationsFile, apps_doc)
        connections = (
            self.load(ConnectionsFile, connections_path) if present(connections_path) else None
        )
        profiles = self.load(SsoProfilesFile, profiles_path) if present(profiles_path) else None
        inside = not org_paths or org_dir.resolve().is_relative_to(self.root)
        org_files: list[_OrgFile] = [(p, self, inside) for p in org_paths]
        if base is not None:
            org_files, more = base.organizations({p.stem for p in org_paths}, org_files)
            warnings += more
            org_paths = [p for p, _, _ in org_files]
        orgs: list[Validated[Organization]] = []
        fast = self.cache.fast_mapping if self.cache is not None else fast_mapping
        for start in range(0, len(org_files), FILES_AT_ONCE):
            batch = org_files[start : start + FILES_AT_ONCE]
            docs = [(path, reader.read(path, within, fast)) for path, reader, within in batch]
            for path, doc in docs:
                if doc and (org := self.checked(Organization, filled.into(doc, (ORGS, path.stem)))):
                    orgs.append(org)
        if self.cache is not None and (unsaved := self.cache.save()) is not None:
            warnings.append(unsaved)
        errors += check_member_count(orgs)
        errors += check_role_count(roles, orgs)
        needs_world = tenant is not None and tenant.model.domain == SANDBOX_DOMAIN
        world = self.world(world_path, required=needs_world)
        known_roles = roles.model if roles else None
        errors += check_tenant(orgs, tenant.model if tenant else None, known_roles)
        if tenant is not None:
            errors += check_action_secrets(tenant)
            errors += check_approved_deletions(tenant, orgs)
        if apps is not None:
            errors += check_applications(apps)
        errors += check_api_access(orgs, apps.model if apps else None)
        errors += check_connections(orgs, connections)
        certificates, problems = read_certificates(orgs, connections, directory, self.root)
        errors += problems
        if profiles is not None or not present(profiles_path):
            errors += check_profiles_named(orgs, profiles.model if profiles else None)
        errors += filled.errors

        if errors or tenant is None or roles is None:
            files = (tenant_path, roles_path, apps_path, connections_path, profiles_path)
            paths = (*files, *org_paths, world_path, *(base.paths if base is not None else ()))
            rank = {self.shown_as(path): index for index, path in enumerate(paths)}
            errors.sort(
                key=lambda e: (rank.get(e.location.path, -1), e.location.line, e.location.column)
            )
            raise ConfigErrors(errors)

        top = (
            roles.source,
            *(f.source for f in (apps, connections, profiles) if f is not None),
        )
        sources = FileSources(tenant.source, top, {org.model.name: org.source for org in orgs})
        tenant_id = TenantId.of_directory(directory)
        desired = Desired(
            tenant_name=tenant_id.name,
            tenant=tenant.model,
            roles=dict(roles.model.roles),
            organizations={org.model.name: org.model for org in orgs},
            sources=sources,
            warnings=tuple(warnings),
            applications=dict(apps.model.applications) if apps else {},
            connections=dict(connections.model.connections) if connections else {},
            sso_profiles=dict(profiles.model.profiles) if profiles else {},
            files=certificates,
            base=str(base.shown) if base is not None else None,
            value_uses=filled.uses,
        )
        return TenantFiles(tenant_id, desired, world, base.directory if base else None)

    def base(self, tenant: YamlDocument | None) -> "_Reader | None":
        """A reader of the base the tenant extends (None when it extends none)."""
        if tenant is None:
            return None
        directory, problems = base_directory(self.directory, tenant)
        self.errors += problems
        if directory is None:
            return None
        reader = _Reader(directory)
        reader.errors = self.errors
        return reader

    def over_base(
        self, base: "_Reader | None", own: YamlDocument | None, file: str
    ) -> YamlDocument | None:
        """The tenant's file `own` merged onto the base's file of the same name."""
        if base is None:
            return own
        inherited = base.own(base.directory / file)
        if inherited is not None and file == TENANT_FILE and EXTENDS in inherited.data:
            where = inherited.source.key_at((EXTENDS,))
            self.errors.append(ConfigError(where, f"{EXTENDS}: a base cannot extend another"))
        if inherited is None or own is None:
            return own or inherited
        return layered(inherited, own)

    def filled(
        self,
        filled: Interpolation,
        document: YamlDocument | None,
        prefix: KeyPath,
        values: dict[str, Any] | None = None,
    ) -> YamlDocument | None:
        """`document` with the values put in (tenant.yaml: its `values` resolved)."""
        if document is None:
            return None
        skip = frozenset({EXTENDS, VALUES}) if values is not None else frozenset()
        document = filled.into(document, prefix, skip)
        if document is None or (values is not None and FAILED in values.values()):
            return None
        if values is not None and VALUES in document.data:
            document = YamlDocument(document.source, {**document.data, VALUES: values})
        return document

    def organizations(
        self, replaced: set[str], own: list["_OrgFile"]
    ) -> tuple[list["_OrgFile"], list[str]]:
        """The tenant's organization files `own`, and the base's that none of them replaces
        (a file of the same name), sorted by name; and the warnings of the base's folder."""
        folder = self.directory / ORGANIZATIONS_DIR
        paths, warnings = organization_files(folder)
        inside = not paths or folder.resolve().is_relative_to(self.root)
        inherited = [(p, self, inside) for p in paths if p.stem not in replaced]
        return sorted([*own, *inherited], key=lambda entry: entry[0].name), warnings

    @property
    def paths(self) -> tuple[Path, ...]:
        """The base's files, in the order their errors are reported."""
        return (
            self.directory / TENANT_FILE,
            self.directory / ROLES_FILE,
            self.directory / APPLICATIONS_FILE,
        )

    def own(self, path: Path) -> YamlDocument | None:
        """The file at `path` when there is one (None also after its errors)."""
        return self.read(path) if present(path) else None

    def world(self, path: Path, *, required: bool) -> SandboxWorld | None:
        """The tenant's sandbox.yaml, checked (an error when it is `required` and missing)."""
        if not present(path):
            if required:
                missing = Location(self.name(path), 1, 1)
                message = "file not found: a tenant whose domain is sandbox needs one"
                self.errors.append(ConfigError(missing, message, whole_file=True))
            return None
        loaded = self.load(World, path)
        if loaded is None:
            return None
        problems = world_problems(loaded.model)
        self.errors += [loaded.error(where, problem) for where, problem in problems]
        if problems:
            return None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return SandboxWorld(loaded.model, path, digest)

    def name(self, path: Path) -> str:
        """How messages name a file of the tenant."""
        if (text := str(path)).startswith(self.prefix):
            return self.shown_prefix + text[len(self.prefix) :]
        return str(self.shown / path.relative_to(self.directory))

    def shown_as(self, path: Path) -> str:
        """How messages name a file of the tenant or of its base."""
        if path.is_relative_to(self.directory):
            return self.name(path)
        return display_path(path)

    def folder_error(self, folder: Path) -> ConfigError:
        """The error of a folder link that loops or leads to no folder."""
        shown = self.name(folder)
        try:
            resolved(folder, shown)
        except ConfigErrors as loops:
            return loops.errors[0]
        return ConfigError(Location(shown, 1, 1), "is a link to no folder: refused")

    def load(self, model: type[M], path: Path, folder_inside: bool = True) -> Validated[M] | None:
        """One file as a `model`, or None when it has problems (added to `errors`)."""
        return self.checked(model, self.read(path, folder_inside))

    def checked(self, model: type[M], document: YamlDocument | None) -> Validated[M] | None:
        """`check` of a document that may be missing (None)."""
        return self.check(model, document) if document is not None else None

    def read(
        self, path: Path, folder_inside: bool = True, fast_read: FastRead = fast_mapping
    ) -> YamlDocument | None:
        """One file's document, or None when it cannot be read (the errors added)."""
        shown = self.name(path)
        try:
            check_file(path, shown, self.root, folder_inside)
            return read_yaml(path, shown, fast_read)
        except ConfigErrors as problems:
            self.errors += problems.errors
            return None

    def check(self, model: type[M], document: YamlDocument) -> Validated[M] | None:
        """A document as a `model`, or None when it has problems (added to `errors`)."""
        refused = refused_nulls(document, EMPTY_KEYS.get(model, ()))
        self.errors += refused
        try:
            validated = validate(model, document)
        except ConfigErrors as problems:
            self.errors += problems.errors
            return None
        return None if refused else validated


_OrgFile = tuple[Path, _Reader, bool]
"""An organization file, the reader that names it in messages (the tenant's or its base's),
and whether its folder resolves inside that reader's directory."""
