"""One Management API endpoint: its method, path template, scope, paging, rate-limit group,
settling and the kinds of objects a logged write to it changes; how it builds and matches
request paths.

The table of every endpoint the reconciler calls is `reconciler.engine.endpoints.ENDPOINTS`.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from reconciler.engine.kinds import Kind, Verb
from reconciler.engine.plan import PathPart, Settle, path_text
from reconciler.engine.rate_limits import RateGroup


class Paging(StrEnum):
    """How a list endpoint is paged."""

    NONE = "none"
    """One object, or one answer."""
    OFFSET = "page/per_page"
    """Numbered pages (`page`, `per_page`), the total used to skip an empty last page."""
    CHECKPOINT = "from/take"
    """Pages after a checkpoint (`from`, `take`), until a short page or no `next`."""


class Need(StrEnum):
    """Which command needs an endpoint's scope (rows of the docs' scopes table)."""

    READ = "read"
    """`plan`, `drift`, `import`, and `apply` before it writes."""
    INCREMENTAL = "incremental"
    """`drift --incremental` and `--from-snapshot`, reading the tenant log."""
    APPLY = "apply"
    PRUNE = "prune"
    """`apply` with `policy.prune_organizations` on."""
    PRUNE_CONNECTIONS = "prune connections"
    """`apply` with `policy.prune_connections` on."""
    SSO_TICKET = "sso ticket"
    """`reconciler sso-ticket` and `revoke-sso-ticket`."""
    REPAIR = "repair"
    """`reconciler repair-applications`."""


@dataclass(frozen=True)
class Touch:
    """One kind of object a logged write to an endpoint changes."""

    kind: Kind
    by_id: bool = True
    """The object is the one the path's first parameter names (an organization for its
    parts); False: every object of the kind may have changed."""
    named: bool = False
    """The request body's `name` is the object's (new) name; a create's `owner_id` its owner."""
    only_with: frozenset[str] = frozenset()
    """When given, a body that has none of these fields does not change this kind."""


@dataclass(frozen=True)
class Endpoint:
    """One Management API operation the reconciler calls."""

    verb: Verb
    template: str
    """The path below `/api/v2`, parameters in braces: `/organizations/{id}/members`."""
    scope: str
    """The scope a token needs to call it."""
    need: Need
    paging: Paging = Paging.NONE
    settle: Settle = Settle.REPEAT
    """For a write: how an unknown outcome is settled (send again, or look for the object)."""
    touches: tuple[Touch, ...] = ()
    """For a write: what its tenant-log event says may have changed."""
    also_needs: tuple[str, ...] = ()
    """Scopes the request needs besides `scope` for the fields the reconciler asks for."""
    group: RateGroup = field(kw_only=True)
    """The endpoint group whose rate-limit bucket its requests take from."""
    also_needs_with: frozenset[str] = frozenset()
    """For a write: `also_needs` applies only to a body with one of these fields (none: always)."""
    name: str = field(default="", compare=False)
    """Its attribute name in `ENDPOINTS`."""

    def scopes_for(self, body: object) -> tuple[str, ...]:
        """The scopes a request with `body` needs: `scope`, and `also_needs` when they apply."""
        applies = not self.also_needs_with or (
            isinstance(body, dict) and not self.also_needs_with.isdisjoint(body)
        )
        return (self.scope, *self.also_needs) if applies else (self.scope,)

    def __set_name__(self, owner: type, name: str) -> None:
        object.__setattr__(self, "name", name)

    @cached_property
    def segments(self) -> tuple[str | None, ...]:
        """The template's segments, None for each parameter (worked out once: every request
        is looked up in the table by them)."""
        return tuple(
            None if part.startswith("{") else part for part in self.template.strip("/").split("/")
        )

    @property
    def arity(self) -> int:
        """The number of path parameters."""
        return self.segments.count(None)

    def path(self, *params: PathPart) -> tuple[PathPart, ...]:
        """The segments of a request, the parameters filled in order."""
        if len(params) != self.arity:
            raise ValueError(f"{self}: {self.arity} path parameters, {len(params)} given")
        values = iter(params)
        return tuple(next(values) if part is None else part for part in self.segments)

    def url_path(self, *params: object) -> str:
        """The request's path, its parameters percent-encoded: `/organizations/org_1/members`."""
        return path_text(self.path(*(str(p) for p in params)))

    def call(self, *params: str) -> str:
        """The request as errors name it: `GET /organizations/org_1/members`."""
        return f"{self.verb} /" + "/".join(str(p) for p in self.path(*params))

    def match(self, segments: list[str]) -> tuple[str, ...] | None:
        """The parameters of a decoded path this endpoint's template matches, or None."""
        mine = self.segments
        if len(mine) != len(segments) or any(
            lit is not None and lit != seg for lit, seg in zip(mine, segments, strict=True)
        ):
            return None
        return tuple(seg for lit, seg in zip(mine, segments, strict=True) if lit is None)

    def __str__(self) -> str:
        return f"{self.verb} {self.template}"


def by_id(*kinds: Kind) -> tuple[Touch, ...]:
    """What a write changes of these kinds: the objects the path's first parameter names."""
    return tuple(Touch(kind) for kind in kinds)
