"""Applications of applications.yaml that Auth0 holds more than once, as two applies that
raced each other leave them: what refers to each copy, which copy stays, and the plan that
deletes the others.

Auth0 keeps no creator and no creation time on an application, and the copies carry the
same settings, so what tells them apart is what refers to each: client grants, organizations
that use it, connections enabled for it. A copy nothing refers to can go without taking
anything with it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import OpKey
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import Action, Phase, Plan
from reconciler.model.desired import Desired
from reconciler.model.live import Snapshot

REPAIR = "reconciler repair-applications"


@dataclass(frozen=True)
class AppCopy:
    """One of several applications of a name, and what refers to it in Auth0."""

    client_id: str
    client_grants: int = 0
    organizations: tuple[str, ...] = ()
    connections: tuple[str, ...] = ()

    @property
    def referenced(self) -> bool:
        """Whether anything refers to it (deleting it would take that along)."""
        return bool(self.client_grants or self.organizations or self.connections)

    def references(self) -> str:
        """What refers to it, as the report says it."""
        if not self.referenced:
            return "no references"
        parts = []
        if self.client_grants:
            plural = "s" if self.client_grants != 1 else ""
            parts.append(f"{self.client_grants} client grant{plural}")
        if self.organizations:
            parts.append(f"organizations {', '.join(self.organizations)}")
        if self.connections:
            parts.append(f"connections {', '.join(self.connections)}")
        return f"referenced: {'; '.join(parts)}"


@dataclass(frozen=True)
class DuplicateName:
    """A name of applications.yaml and its copies in Auth0, by client id."""

    name: str
    copies: tuple[AppCopy, ...]

    def kept(self, keep: frozenset[str]) -> AppCopy | None:
        """The copy that stays: the only one referenced (`keep` may name it), or, when none
        is, the one `keep` names; None when that cannot be told."""
        referenced = [c for c in self.copies if c.referenced]
        named = [c for c in self.copies if c.client_id in keep]
        if len(referenced) == 1 and named in ([], referenced):
            return referenced[0]
        if not referenced and len(named) == 1:
            return named[0]
        return None

    def doomed(self, keep: frozenset[str]) -> tuple[AppCopy, ...]:
        """The copies to delete: every unreferenced one but the kept one (none when no copy
        can be kept)."""
        kept = self.kept(keep)
        if kept is None:
            return ()
        return tuple(c for c in self.copies if c is not kept and not c.referenced)

    def describe(self) -> str:
        """One line: how many copies, each with what refers to it."""
        copies = "; ".join(f"{c.client_id} ({c.references()})" for c in self.copies)
        return (
            f"{len(self.copies)} applications in Auth0 are named {self.name!r}, which "
            f"applications.yaml manages by name: {copies}"
        )

    def blocked(self, keep: frozenset[str]) -> str | None:
        """Why no copy can be kept (None: one can)."""
        if self.kept(keep) is not None:
            return None
        referenced = [c.client_id for c in self.copies if c.referenced]
        if len(referenced) > 1:
            return (
                f"{self.name!r}: {len(referenced)} of its copies are referenced, so which one "
                "to keep is for you to decide: move what refers to the others to one copy, "
                "then repair again"
            )
        if referenced:
            return (
                f"{self.name!r}: --keep names another copy than {referenced[0]}, the one "
                "that is referenced"
            )
        ids = ", ".join(c.client_id for c in self.copies)
        return (
            f"{self.name!r}: nothing refers to any copy; name the one your application uses "
            f"with --keep (one of {ids})"
        )


def duplicated(desired: Desired, live: Snapshot) -> dict[str, tuple[str, ...]]:
    """The names of applications.yaml that several live applications carry -> their client
    ids, sorted."""
    found = {}
    for name in sorted(desired.applications):
        ids = sorted(app.client_id for app in live.applications_named(name))
        if len(ids) > 1:
            found[name] = tuple(ids)
    return found


def repair_plan(duplicates: Sequence[DuplicateName], keep: frozenset[str]) -> Plan:
    """One `DELETE /clients/{id}` per copy to delete (see `DuplicateName.doomed`)."""
    builder = PlanBuilder()
    for duplicate in duplicates:
        for copy in duplicate.doomed(keep):
            key = builder.call(
                ENDPOINTS.delete_application,
                OpKey(None, Kind.APPLICATION, f"{duplicate.name} {copy.client_id}", Step.DELETE),
                Phase.APPLICATIONS,
                copy.client_id,
            )
            builder.row(
                None,
                Action.DELETE,
                Kind.APPLICATION,
                duplicate.name,
                note=f"{copy.client_id}, a copy with no references",
                operations=(key,),
            )
    return builder.build()


class DuplicateApplications(Exception):
    """Auth0 holds names of applications.yaml more than once: the plan cannot be made until
    the copies are repaired."""

    def __init__(self, duplicates: tuple[DuplicateName, ...], tenant: str) -> None:
        self.duplicates = duplicates
        self.tenant = tenant
        super().__init__("; ".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per name, then what repairs them."""
        lines = [duplicate.describe() for duplicate in self.duplicates]
        doomed = [c.client_id for d in self.duplicates for c in d.doomed(frozenset())]
        command = f"{REPAIR} --tenant {self.tenant}"
        if doomed:
            lines.append(
                f"`{command}` deletes {', '.join(doomed)} (the copies nothing refers to) "
                "after confirmation"
            )
        blocked = [d.blocked(frozenset()) for d in self.duplicates]
        lines.extend(f"{reason}; see `{command}`" for reason in blocked if reason)
        return lines
