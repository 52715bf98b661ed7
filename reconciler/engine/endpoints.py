"""Every Management API endpoint the reconciler calls: what it reads and what it writes.

Each entry says its method and path template (relative to `/api/v2`), the scope a token needs
for it, how its lists are paged, how the executor settles a write whose outcome it does not
know, and which kinds of objects a logged write to it changes. Plans build their operations
from these entries (`PlanBuilder.call`), incremental drift maps logged writes to kinds through
them (`touched_by`), the reader names its reads by them, and the scopes the docs list are
rendered from them (`reconciler.engine.scopes_doc`).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from reconciler.engine.kinds import Kind, Verb
from reconciler.engine.plan import PathPart, Settle


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
    """`drift --incremental`, reading the tenant log."""
    APPLY = "apply"
    PRUNE = "prune"
    """`apply` with `policy.prune_organizations` on."""
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
    name: str = field(default="", compare=False)
    """Its attribute name in `ENDPOINTS`."""

    def __set_name__(self, owner: type, name: str) -> None:
        object.__setattr__(self, "name", name)

    @property
    def segments(self) -> tuple[str | None, ...]:
        """The template's segments, None for each parameter."""
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


def _org(*kinds: Kind) -> tuple[Touch, ...]:
    return tuple(Touch(kind) for kind in kinds)


_EVERY_ACTION = (Touch(Kind.ACTION, by_id=False),)

ORGANIZATION_PARTS = (
    Kind.ORGANIZATION,
    Kind.MEMBERS,
    Kind.MEMBER_ROLES,
    Kind.CONNECTIONS,
    Kind.DISCOVERY_DOMAINS,
    Kind.INVITATIONS,
    Kind.API_ACCESS,
    Kind.ORGANIZATION_APPLICATIONS,
)
"""Everything of one organization (its org-owned roles go with it when it is deleted)."""


class Endpoints:
    """The table: one attribute per endpoint."""

    # Organizations and what hangs below them.
    list_organizations = Endpoint(
        Verb.GET, "/organizations", "read:organizations", Need.READ, Paging.CHECKPOINT
    )
    organization_by_name = Endpoint(
        Verb.GET, "/organizations/name/{name}", "read:organizations", Need.READ
    )
    get_organization = Endpoint(Verb.GET, "/organizations/{id}", "read:organizations", Need.READ)
    create_organization = Endpoint(
        Verb.POST,
        "/organizations",
        "create:organizations",
        Need.APPLY,
        settle=Settle.FIND_ORGANIZATION,
        touches=(Touch(Kind.ORGANIZATION, named=True),),
    )
    update_organization = Endpoint(
        Verb.PATCH,
        "/organizations/{id}",
        "update:organizations",
        Need.APPLY,
        touches=(Touch(Kind.ORGANIZATION, named=True),),
    )
    delete_organization = Endpoint(
        Verb.DELETE,
        "/organizations/{id}",
        "delete:organizations",
        Need.PRUNE,
        touches=_org(*ORGANIZATION_PARTS),
    )
    list_members = Endpoint(
        Verb.GET,
        "/organizations/{id}/members",
        "read:organization_members",
        Need.READ,
        Paging.CHECKPOINT,
        also_needs=("read:organization_member_roles",),  # roles inline
    )
    add_members = Endpoint(
        Verb.POST,
        "/organizations/{id}/members",
        "create:organization_members",
        Need.APPLY,
        touches=_org(Kind.MEMBERS),
    )
    remove_members = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/members",
        "delete:organization_members",
        Need.APPLY,
        touches=_org(Kind.MEMBERS),
    )
    add_member_roles = Endpoint(
        Verb.POST,
        "/organizations/{id}/members/{user_id}/roles",
        "create:organization_member_roles",
        Need.APPLY,
        touches=_org(Kind.MEMBER_ROLES),
    )
    remove_member_roles = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/members/{user_id}/roles",
        "delete:organization_member_roles",
        Need.APPLY,
        touches=_org(Kind.MEMBER_ROLES),
    )
    list_enabled_connections = Endpoint(
        Verb.GET,
        "/organizations/{id}/enabled_connections",
        "read:organization_connections",
        Need.READ,
        Paging.OFFSET,
    )
    get_enabled_connection = Endpoint(
        Verb.GET,
        "/organizations/{id}/enabled_connections/{connection_id}",
        "read:organization_connections",
        Need.READ,
    )
    enable_connection = Endpoint(
        Verb.POST,
        "/organizations/{id}/enabled_connections",
        "create:organization_connections",
        Need.APPLY,
        settle=Settle.FIND_CONNECTION,
        touches=_org(Kind.CONNECTIONS),
    )
    update_enabled_connection = Endpoint(
        Verb.PATCH,
        "/organizations/{id}/enabled_connections/{connection_id}",
        "update:organization_connections",
        Need.APPLY,
        touches=_org(Kind.CONNECTIONS),
    )
    disable_connection = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/enabled_connections/{connection_id}",
        "delete:organization_connections",
        Need.APPLY,
        touches=_org(Kind.CONNECTIONS),
    )
    list_discovery_domains = Endpoint(
        Verb.GET,
        "/organizations/{id}/discovery-domains",
        "read:organization_discovery_domains",
        Need.READ,
        Paging.CHECKPOINT,
    )
    discovery_domain_by_name = Endpoint(
        Verb.GET,
        "/organizations/{id}/discovery-domains/name/{domain}",
        "read:organization_discovery_domains",
        Need.READ,
    )
    add_discovery_domain = Endpoint(
        Verb.POST,
        "/organizations/{id}/discovery-domains",
        "create:organization_discovery_domains",
        Need.APPLY,
        settle=Settle.FIND_DOMAIN,
        touches=_org(Kind.DISCOVERY_DOMAINS),
    )
    update_discovery_domain = Endpoint(
        Verb.PATCH,
        "/organizations/{id}/discovery-domains/{domain_id}",
        "update:organization_discovery_domains",
        Need.APPLY,
        touches=_org(Kind.DISCOVERY_DOMAINS),
    )
    remove_discovery_domain = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/discovery-domains/{domain_id}",
        "delete:organization_discovery_domains",
        Need.APPLY,
        touches=_org(Kind.DISCOVERY_DOMAINS),
    )
    list_invitations = Endpoint(
        Verb.GET,
        "/organizations/{id}/invitations",
        "read:organization_invitations",
        Need.READ,
        Paging.OFFSET,
    )
    send_invitation = Endpoint(
        Verb.POST,
        "/organizations/{id}/invitations",
        "create:organization_invitations",
        Need.APPLY,
        settle=Settle.FIND_INVITATION,
        touches=_org(Kind.INVITATIONS),
    )
    revoke_invitation = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/invitations/{invitation_id}",
        "delete:organization_invitations",
        Need.APPLY,
        touches=_org(Kind.INVITATIONS),
    )
    list_organization_grants = Endpoint(
        Verb.GET,
        "/organizations/{id}/client-grants",
        "read:organization_client_grants",
        Need.READ,
        Paging.OFFSET,
    )
    add_organization_grant = Endpoint(
        Verb.POST,
        "/organizations/{id}/client-grants",
        "create:organization_client_grants",
        Need.APPLY,
        settle=Settle.FIND_ORGANIZATION_GRANT,
        touches=_org(Kind.API_ACCESS),
    )
    remove_organization_grant = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/client-grants/{grant_id}",
        "delete:organization_client_grants",
        Need.APPLY,
        touches=_org(Kind.API_ACCESS),
    )
    list_organization_applications = Endpoint(
        Verb.GET,
        "/organizations/{id}/clients",
        "read:organization_clients",
        Need.READ,
        Paging.CHECKPOINT,
    )
    add_organization_applications = Endpoint(
        Verb.POST,
        "/organizations/{id}/clients",
        "create:organization_clients",
        Need.APPLY,
        settle=Settle.FIND_ORGANIZATION_APPLICATIONS,
        touches=_org(Kind.ORGANIZATION_APPLICATIONS),
    )
    update_organization_application = Endpoint(
        Verb.PATCH,
        "/organizations/{id}/clients/{client_id}",
        "update:organization_clients",
        Need.APPLY,
        touches=_org(Kind.ORGANIZATION_APPLICATIONS),
    )
    remove_organization_applications = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/clients",
        "delete:organization_clients",
        Need.APPLY,
        touches=_org(Kind.ORGANIZATION_APPLICATIONS),
    )

    # Roles.
    list_roles = Endpoint(Verb.GET, "/roles", "read:roles", Need.READ, Paging.OFFSET)
    get_role = Endpoint(Verb.GET, "/roles/{id}", "read:roles", Need.READ)
    create_role = Endpoint(
        Verb.POST,
        "/roles",
        "create:roles",
        Need.APPLY,
        settle=Settle.FIND_ROLE,
        touches=(Touch(Kind.ROLE, named=True),),
    )
    update_role = Endpoint(
        Verb.PATCH,
        "/roles/{id}",
        "update:roles",
        Need.APPLY,
        touches=(
            Touch(Kind.ROLE, named=True, only_with=frozenset({"name"})),
            Touch(Kind.ROLE_DESCRIPTION, only_with=frozenset({"description"})),
        ),
    )
    delete_role = Endpoint(
        Verb.DELETE,
        "/roles/{id}",
        "delete:roles",
        Need.APPLY,
        touches=_org(Kind.ROLE, Kind.PERMISSIONS),
    )
    list_permissions = Endpoint(
        Verb.GET, "/roles/{id}/permissions", "read:roles", Need.READ, Paging.OFFSET
    )
    add_permissions = Endpoint(
        Verb.POST,
        "/roles/{id}/permissions",
        "update:roles",
        Need.APPLY,
        touches=_org(Kind.PERMISSIONS),
    )
    remove_permissions = Endpoint(
        Verb.DELETE,
        "/roles/{id}/permissions",
        "update:roles",
        Need.APPLY,
        touches=_org(Kind.PERMISSIONS),
    )

    # Connections and users, read to resolve names and emails.
    list_connections = Endpoint(
        Verb.GET, "/connections", "read:connections", Need.READ, Paging.CHECKPOINT
    )
    get_connection = Endpoint(Verb.GET, "/connections/{id}", "read:connections", Need.READ)
    users_by_email = Endpoint(Verb.GET, "/users-by-email", "read:users", Need.READ)
    get_user = Endpoint(Verb.GET, "/users/{id}", "read:users", Need.READ)
    user_organizations = Endpoint(
        Verb.GET, "/users/{id}/organizations", "read:organizations", Need.READ, Paging.OFFSET
    )

    # Applications, client grants and APIs.
    list_applications = Endpoint(Verb.GET, "/clients", "read:clients", Need.READ, Paging.OFFSET)
    get_application = Endpoint(Verb.GET, "/clients/{id}", "read:clients", Need.READ)
    create_application = Endpoint(
        Verb.POST,
        "/clients",
        "create:clients",
        Need.APPLY,
        settle=Settle.FIND_APPLICATION,
        touches=_org(Kind.APPLICATION),
    )
    update_application = Endpoint(
        Verb.PATCH, "/clients/{id}", "update:clients", Need.APPLY, touches=_org(Kind.APPLICATION)
    )
    delete_application = Endpoint(
        Verb.DELETE,
        "/clients/{id}",
        "delete:clients",
        Need.REPAIR,
        touches=(
            Touch(Kind.APPLICATION),
            # Its client grants and its organizations' links to it go with it.
            Touch(Kind.API_ACCESS, by_id=False),
            Touch(Kind.ORGANIZATION_APPLICATIONS, by_id=False),
        ),
    )
    list_client_grants = Endpoint(
        Verb.GET, "/client-grants", "read:client_grants", Need.READ, Paging.CHECKPOINT
    )
    create_client_grant = Endpoint(
        Verb.POST,
        "/client-grants",
        "create:client_grants",
        Need.APPLY,
        settle=Settle.FIND_CLIENT_GRANT,
        touches=_org(Kind.CLIENT_GRANT),
    )
    update_client_grant = Endpoint(
        Verb.PATCH,
        "/client-grants/{id}",
        "update:client_grants",
        Need.APPLY,
        touches=_org(Kind.CLIENT_GRANT),
    )
    list_apis = Endpoint(
        Verb.GET, "/resource-servers", "read:resource_servers", Need.READ, Paging.OFFSET
    )

    # The post-login Action.
    list_actions = Endpoint(Verb.GET, "/actions/actions", "read:actions", Need.READ, Paging.OFFSET)
    create_action = Endpoint(
        Verb.POST,
        "/actions/actions",
        "create:actions",
        Need.APPLY,
        settle=Settle.FIND_ACTION,
        touches=_EVERY_ACTION,
    )
    update_action = Endpoint(
        Verb.PATCH, "/actions/actions/{id}", "update:actions", Need.APPLY, touches=_EVERY_ACTION
    )
    deploy_action = Endpoint(
        Verb.POST,
        "/actions/actions/{id}/deploy",
        "create:actions",
        Need.APPLY,
        touches=_EVERY_ACTION,
    )
    list_bindings = Endpoint(
        Verb.GET,
        "/actions/triggers/{trigger_id}/bindings",
        "read:actions",
        Need.READ,
        Paging.OFFSET,
    )
    bind_actions = Endpoint(
        Verb.PATCH,
        "/actions/triggers/{trigger_id}/bindings",
        "update:actions",
        Need.APPLY,
        touches=_EVERY_ACTION,
    )

    # The tenant log (incremental drift).
    list_logs = Endpoint(Verb.GET, "/logs", "read:logs", Need.INCREMENTAL, Paging.CHECKPOINT)
    get_log = Endpoint(Verb.GET, "/logs/{id}", "read:logs", Need.INCREMENTAL)

    def __iter__(self) -> Iterator[Endpoint]:
        return iter(e for e in vars(Endpoints).values() if isinstance(e, Endpoint))

    @property
    def writes(self) -> tuple[Endpoint, ...]:
        """The entries that change the tenant."""
        return tuple(e for e in self if e.verb.writes)

    def write_at(self, verb: Verb, segments: list[str]) -> tuple[Endpoint, tuple[str, ...]] | None:
        """The write entry whose template a decoded path matches, with the path's parameters;
        literal segments win over parameters."""
        found = [
            (e, params)
            for e in self.writes
            if e.verb is verb and (params := e.match(segments)) is not None
        ]
        if not found:
            return None
        return min(found, key=lambda hit: hit[0].arity)


ENDPOINTS = Endpoints()
