"""Checks of applications.yaml and of the organizations' API access: the combinations Auth0
refuses, settings that would have no effect, and one client grant asked for two ways."""

from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from reconciler.config.errors import ConfigError, quoted
from reconciler.config.validation import Validated
from reconciler.model.applications import Application, ApplicationsFile
from reconciler.model.desired import KeyPath
from reconciler.model.organization import Organization

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})
PUBLIC_APP_TYPES = frozenset({"spa", "native"})
MACHINE_TO_MACHINE = "non_interactive"
ORG_LOGIN = frozenset({"allow", "require"})


def check_applications(apps: Validated[ApplicationsFile]) -> list[ConfigError]:
    """Every problem of the applications file that its model alone cannot see."""
    errors: list[ConfigError] = []
    for name, app in apps.model.applications.items():
        errors += [apps.error(("applications", name, *path), m) for path, m in _problems(app)]
    return errors


def _problems(app: Application) -> Iterator[tuple[KeyPath, str]]:
    native = app.app_type == "native"
    for field in ("callbacks", "allowed_logout_urls"):
        for index, url in enumerate(getattr(app, field) or []):
            problem = redirect_url_problem(url, custom_scheme=native)
            if problem:
                yield (field, index), problem
    if app.initiate_login_uri is not None:
        problem = login_uri_problem(app.initiate_login_uri)
        if problem:
            yield ("initiate_login_uri",), problem
    behavior = app.organization_require_behavior
    if app.app_type == MACHINE_TO_MACHINE and app.organization_usage in ORG_LOGIN:
        yield (
            ("organization_usage",),
            "a machine-to-machine application (non_interactive) has no user login to take "
            "part in: give it API access with api_access in an organization file",
        )
    elif behavior is not None and app.organization_usage not in ORG_LOGIN:
        yield (
            ("organization_require_behavior",),
            'takes effect only when organization_usage is "allow" or "require": set it too',
        )
    elif behavior == "post_login_prompt" and app.oidc_conformant is not True:
        yield (
            ("organization_require_behavior",),
            '"post_login_prompt" needs oidc_conformant: true (Auth0 refuses it otherwise)',
        )
    if app.app_type in PUBLIC_APP_TYPES:
        for index, grant in enumerate(app.grant_types or []):
            if grant == "client_credentials":
                yield (
                    ("grant_types", index),
                    f"a {app.app_type} application cannot keep a secret, so it cannot use "
                    "client_credentials",
                )


def redirect_url_problem(url: str, *, custom_scheme: bool) -> str | None:
    """Why Auth0 would refuse `url` as a callback or logout URL (None: it is fine): https,
    http only for localhost, and a custom scheme only for native applications."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc:
        return None
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return None
    if custom_scheme and parts.scheme not in ("", "http", "https"):
        return None
    allowed = "an https:// URL (http:// only for localhost"
    allowed += ", or a custom scheme" if custom_scheme else ""
    return f"must be {allowed}) (got {quoted(url)})"


def login_uri_problem(url: str) -> str | None:
    """Why Auth0 would refuse `url` as the application login URI (None: it is fine)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc and parts.hostname not in LOCAL_HOSTS:
        return None
    return f"must be an https:// URL that is not localhost (got {quoted(url)})"


def check_api_access(
    orgs: Sequence[Validated[Organization]], apps: ApplicationsFile | None
) -> list[ConfigError]:
    """A client grant serves every organization it is associated with, so each (application,
    API) pair is listed once per organization and with the same scopes everywhere; API access
    is for machine-to-machine applications."""
    errors: list[ConfigError] = []
    first: dict[tuple[str, str], tuple[list[str], Validated[Organization], KeyPath]] = {}
    for org in orgs:
        seen: dict[tuple[str, str], KeyPath] = {}
        for index, entry in enumerate(org.model.api_access or []):
            path: KeyPath = ("api_access", index)
            pair = (entry.application, entry.api)
            if pair in seen:
                line = org.source.value_at(seen[pair]).line
                message = f"{quoted(entry.application)} and {entry.api} are already listed at "
                errors.append(org.error(path, message + f"line {line}"))
                continue
            seen[pair] = path
            scopes, other, at = first.setdefault(pair, (entry.scopes, org, path))
            if set(scopes) != set(entry.scopes):
                errors.append(
                    org.error(
                        (*path, "scopes"),
                        f"one client grant serves every organization, and "
                        f"{quoted(other.model.name)} lists other scopes for it at "
                        f"{other.source.value_at(at)}: list the same scopes",
                    )
                )
            app = apps.applications.get(entry.application) if apps else None
            if app is not None and app.app_type not in (None, MACHINE_TO_MACHINE):
                errors.append(
                    org.error(
                        (*path, "application"),
                        f"API access is for machine-to-machine applications (app_type "
                        f"non_interactive); {quoted(entry.application)} is {app.app_type}",
                    )
                )
    return errors
