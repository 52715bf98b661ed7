"""Keys written with no value where that would silently hand a part of Auth0 back: `members:`
with nothing after it loads as null, which means "unmanaged", not "none". Such keys are
refused with a hint, so removing the last list item can never turn management off."""

from reconciler.config.errors import ConfigError
from reconciler.config.validation import format_path
from reconciler.config.yaml_source import YamlDocument
from reconciler.model.desired import KeyPath

ANY_KEY = "*"
ANY_INDEX = -1
Keys = tuple[tuple[KeyPath, str], ...]
ORGANIZATION_KEYS: Keys = (
    (("members",), "[]"),
    (("roles",), "{}"),
    (("connections",), "[]"),
    (("metadata",), "{} with metadata_mode: exact"),
    (("routing", "email_domains"), "[]"),
    (("roles", ANY_KEY, "permissions"), "{}"),
    (("members", ANY_INDEX, "roles"), "[]"),
    (("applications",), "[]"),
    (("api_access",), "[]"),
)
"""Key paths of an organization file whose null would mean "unmanaged", with the empty value
that means "none"."""
ROLES_KEYS: Keys = ((("roles", ANY_KEY, "permissions"), "{}"),)
APPLICATIONS_KEYS: Keys = tuple(
    (("applications", ANY_KEY, name), "[]")
    for name in ("grant_types", "callbacks", "allowed_logout_urls")
)


def refused_nulls(document: YamlDocument, keys: Keys) -> list[ConfigError]:
    """An error for every key of `keys` that the document writes with no value."""
    errors = []
    for path in sorted(document.marks, key=lambda p: document.marks[p].value.line):
        empty = next((value for pattern, value in keys if _matches(pattern, path)), None)
        if empty is None or _value(document, path) is not None:
            continue
        errors.append(
            ConfigError(
                document.key_at(path),
                f"{format_path(path)}: no value: write {empty} to remove all, or delete the key "
                "to leave them unmanaged",
            )
        )
    return errors


def _matches(pattern: KeyPath, path: KeyPath) -> bool:
    if len(pattern) != len(path):
        return False
    return all(
        (p == ANY_KEY and isinstance(k, str)) or (p == ANY_INDEX and isinstance(k, int)) or p == k
        for p, k in zip(pattern, path, strict=True)
    )


def _value(document: YamlDocument, path: KeyPath) -> object:
    value: object = document.data
    for part in path:
        if isinstance(value, dict):
            value = value.get(part, ...)
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            return ...
    return value
