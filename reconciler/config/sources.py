"""Where each value of a loaded tenant is written, looked up in its file when first asked."""

from collections.abc import Mapping

from reconciler.config.yaml_source import YamlSource
from reconciler.model.desired import KeyPath, Location

ORGANIZATIONS = "organizations"
TENANT = "tenant"


class FileSources:
    """The `Desired.sources` of loaded files: `("tenant", ...)` paths are in tenant.yaml,
    `("organizations", name, ...)` in that organization's file, others (`roles`,
    `applications`) in the files at the tenant's top whose keys they are."""

    def __init__(
        self,
        tenant: YamlSource,
        top: tuple[YamlSource, ...],
        organizations: Mapping[str, YamlSource],
    ) -> None:
        self._tenant = tenant
        self._top = top
        self._organizations = organizations

    def get(self, path: KeyPath, /) -> Location | None:
        """Where `path` is written, or None when no file writes it."""
        if path[:1] == (TENANT,):
            return _source(self._tenant, path[1:])
        if path[:1] == (ORGANIZATIONS,) and len(path) > 1:
            document = self._organizations.get(str(path[1]))
            return _source(document, path[2:]) if document is not None else None
        if not path:
            return None
        return next(
            (found for d in self._top if (found := _source(d, path)) is not None),
            None,
        )


def _source(source: YamlSource, path: KeyPath) -> Location | None:
    marks = source.marks.get(path)
    return marks.source if marks is not None else None
