"""Keys written with no value where that would silently hand a part of Auth0 back: `members:`
with nothing after it loads as null, which means "unmanaged", not "none". Such keys are
refused with a hint, so removing the last list item can never turn management off."""

from collections.abc import Iterator

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
    if not document.nulls:
        return []
    return [
        ConfigError(
            document.source.key_at(path),
            f"{format_path(path)}: no value: write {empty} to remove all, or delete the key "
            "to leave them unmanaged",
        )
        for pattern, empty in keys
        for path in _nulls(document.data, pattern, ())
    ]


def _nulls(value: object, pattern: KeyPath, path: KeyPath) -> Iterator[KeyPath]:
    """The paths matching `pattern` under `value` (at `path`) whose value is null."""
    head, rest = pattern[0], pattern[1:]
    if isinstance(value, dict) and head != ANY_INDEX:
        keys = [k for k in value if isinstance(k, str)] if head == ANY_KEY else [head]
        for key in keys:
            if key not in value:
                continue
            if not rest:
                if value[key] is None:
                    yield (*path, key)
            else:
                yield from _nulls(value[key], rest, (*path, key))
    elif isinstance(value, list) and head == ANY_INDEX:
        for index, item in enumerate(value):
            if not rest:
                if item is None:
                    yield (*path, index)
            elif isinstance(item, dict | list):
                yield from _nulls(item, rest, (*path, index))
