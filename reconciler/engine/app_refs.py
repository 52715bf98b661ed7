"""How the plan addresses applications and client grants: a live id, or a reference to the id
that an earlier operation of the plan creates."""

from dataclasses import dataclass, field

from reconciler.engine.identity import ObjectKey, OpKey, Ref
from reconciler.engine.plan import PathPart
from reconciler.model.live import Snapshot


@dataclass(frozen=True)
class AppId:
    """An application's client id (or the reference to it) and what is known of its type."""

    id: PathPart
    created_by: OpKey | None = None
    app_type: str | None = None


@dataclass(frozen=True)
class GrantId:
    """A client grant's id (or the reference to it) and the operation that must succeed before
    an organization may use it: its create, or the update that lets organizations use it."""

    id: PathPart
    written_by: OpKey | None = None


@dataclass
class Applications:
    """The applications of applications.yaml as the plan addresses them, and the client grants
    that API access needs; organizations resolve names through it."""

    snapshot: Snapshot
    planned: dict[str, AppId] = field(default_factory=dict)
    """Applications of applications.yaml that resolved (created, changed or as they are)."""
    declared: frozenset[str] = frozenset()
    """Every name applications.yaml declares (resolved or not)."""
    grants: dict[tuple[str, str], GrantId] = field(default_factory=dict)
    """(application name, API) -> the grant API access uses."""

    def resolve(self, name: str) -> AppId | str | None:
        """The application of this name, or why there is none to use (None: applications.yaml
        declares it and its problem is reported there)."""
        if name in self.declared:
            return self.planned.get(name)
        found = self.snapshot.applications_named(name)
        if len(found) == 1:
            return AppId(found[0].client_id, app_type=found[0].app_type)
        if found:
            return ambiguous(name, [app.client_id for app in found])
        return (
            f"unknown application {name!r}: no application of that name in applications.yaml "
            "or in Auth0"
        )

    def name_of(self, client_id: str) -> str:
        """The name of a live application, or its client id when it is not known."""
        app = (self.snapshot.applications or {}).get(client_id)
        return app.name if app is not None else client_id


def ambiguous(name: str, client_ids: list[str]) -> str:
    """The message for a name that several live applications carry."""
    return (
        f"{len(client_ids)} applications in Auth0 are named {name!r} "
        f"({', '.join(sorted(client_ids))}): the files match applications by name, so rename "
        "all but one"
    )


def created_app(name: str, key: OpKey, app_type: str | None) -> AppId:
    """An application that the plan creates."""
    return AppId(Ref(ObjectKey.application(name)), key, app_type)
