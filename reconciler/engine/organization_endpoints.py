"""The endpoint table's entries for organizations and what hangs below them."""

from reconciler.engine.endpoint import Endpoint, Need, Paging, Touch, by_id
from reconciler.engine.kinds import Kind, Verb
from reconciler.engine.plan import Settle
from reconciler.engine.rate_limits import RateGroup

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


class OrganizationEndpoints:
    """Organizations, their members and roles, connections, discovery domains, invitations,
    API access and applications."""

    list_organizations = Endpoint(
        Verb.GET,
        "/organizations",
        "read:organizations",
        Need.READ,
        Paging.CHECKPOINT,
        group=RateGroup.ORGANIZATIONS_READ,
    )
    organization_by_name = Endpoint(
        Verb.GET,
        "/organizations/name/{name}",
        "read:organizations",
        Need.READ,
        group=RateGroup.ORGANIZATION_BY_NAME_READ,
    )
    get_organization = Endpoint(
        Verb.GET,
        "/organizations/{id}",
        "read:organizations",
        Need.READ,
        group=RateGroup.ORGANIZATION_BY_ID_READ,
    )
    create_organization = Endpoint(
        Verb.POST,
        "/organizations",
        "create:organizations",
        Need.APPLY,
        settle=Settle.FIND_ORGANIZATION,
        touches=(Touch(Kind.ORGANIZATION, named=True),),
        group=RateGroup.ORGANIZATIONS_WRITE,
        also_needs=("create:organization_connections",),
        also_needs_with=frozenset({"enabled_connections"}),  # connections inline
    )
    update_organization = Endpoint(
        Verb.PATCH,
        "/organizations/{id}",
        "update:organizations",
        Need.APPLY,
        touches=(Touch(Kind.ORGANIZATION, named=True),),
        group=RateGroup.ORGANIZATIONS_WRITE,
    )
    delete_organization = Endpoint(
        Verb.DELETE,
        "/organizations/{id}",
        "delete:organizations",
        Need.PRUNE,
        touches=by_id(*ORGANIZATION_PARTS),
        group=RateGroup.ORGANIZATIONS_WRITE,
    )
    list_members = Endpoint(
        Verb.GET,
        "/organizations/{id}/members",
        "read:organization_members",
        Need.READ,
        Paging.CHECKPOINT,
        also_needs=("read:organization_member_roles",),  # roles inline,
        group=RateGroup.MEMBERS_READ,
    )
    add_members = Endpoint(
        Verb.POST,
        "/organizations/{id}/members",
        "create:organization_members",
        Need.APPLY,
        touches=by_id(Kind.MEMBERS),
        group=RateGroup.MEMBERS_WRITE,
    )
    remove_members = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/members",
        "delete:organization_members",
        Need.APPLY,
        touches=by_id(Kind.MEMBERS),
        group=RateGroup.MEMBERS_WRITE,
    )
    add_member_roles = Endpoint(
        Verb.POST,
        "/organizations/{id}/members/{user_id}/roles",
        "create:organization_member_roles",
        Need.APPLY,
        touches=by_id(Kind.MEMBER_ROLES),
        group=RateGroup.MEMBER_ROLES_WRITE,
    )
    remove_member_roles = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/members/{user_id}/roles",
        "delete:organization_member_roles",
        Need.APPLY,
        touches=by_id(Kind.MEMBER_ROLES),
        group=RateGroup.MEMBER_ROLES_WRITE,
    )
    list_enabled_connections = Endpoint(
        Verb.GET,
        "/organizations/{id}/enabled_connections",
        "read:organization_connections",
        Need.READ,
        Paging.OFFSET,
        group=RateGroup.ORGANIZATION_CONNECTIONS_READ,
    )
    get_enabled_connection = Endpoint(
        Verb.GET,
        "/organizations/{id}/enabled_connections/{connection_id}",
        "read:organization_connections",
        Need.READ,
        group=RateGroup.ORGANIZATION_CONNECTIONS_READ,
    )
    enable_connection = Endpoint(
        Verb.POST,
        "/organizations/{id}/enabled_connections",
        "create:organization_connections",
        Need.APPLY,
        settle=Settle.FIND_CONNECTION,
        touches=by_id(Kind.CONNECTIONS),
        group=RateGroup.ORGANIZATION_CONNECTIONS_WRITE,
    )
    update_enabled_connection = Endpoint(
        Verb.PATCH,
        "/organizations/{id}/enabled_connections/{connection_id}",
        "update:organization_connections",
        Need.APPLY,
        touches=by_id(Kind.CONNECTIONS),
        group=RateGroup.ORGANIZATION_CONNECTIONS_WRITE,
    )
    disable_connection = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/enabled_connections/{connection_id}",
        "delete:organization_connections",
        Need.APPLY,
        touches=by_id(Kind.CONNECTIONS),
        group=RateGroup.ORGANIZATION_CONNECTIONS_WRITE,
    )
    list_discovery_domains = Endpoint(
        Verb.GET,
        "/organizations/{id}/discovery-domains",
        "read:organization_discovery_domains",
        Need.READ,
        Paging.CHECKPOINT,
        group=RateGroup.OTHER,
    )
    discovery_domain_by_name = Endpoint(
        Verb.GET,
        "/organizations/{id}/discovery-domains/name/{domain}",
        "read:organization_discovery_domains",
        Need.READ,
        group=RateGroup.OTHER,
    )
    add_discovery_domain = Endpoint(
        Verb.POST,
        "/organizations/{id}/discovery-domains",
        "create:organization_discovery_domains",
        Need.APPLY,
        settle=Settle.FIND_DOMAIN,
        touches=by_id(Kind.DISCOVERY_DOMAINS),
        group=RateGroup.OTHER,
    )
    update_discovery_domain = Endpoint(
        Verb.PATCH,
        "/organizations/{id}/discovery-domains/{domain_id}",
        "update:organization_discovery_domains",
        Need.APPLY,
        touches=by_id(Kind.DISCOVERY_DOMAINS),
        group=RateGroup.OTHER,
    )
    remove_discovery_domain = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/discovery-domains/{domain_id}",
        "delete:organization_discovery_domains",
        Need.APPLY,
        touches=by_id(Kind.DISCOVERY_DOMAINS),
        group=RateGroup.OTHER,
    )
    list_invitations = Endpoint(
        Verb.GET,
        "/organizations/{id}/invitations",
        "read:organization_invitations",
        Need.READ,
        Paging.OFFSET,
        group=RateGroup.INVITATIONS_READ,
    )
    send_invitation = Endpoint(
        Verb.POST,
        "/organizations/{id}/invitations",
        "create:organization_invitations",
        Need.APPLY,
        settle=Settle.FIND_INVITATION,
        touches=by_id(Kind.INVITATIONS),
        group=RateGroup.INVITATIONS_WRITE,
    )
    revoke_invitation = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/invitations/{invitation_id}",
        "delete:organization_invitations",
        Need.APPLY,
        touches=by_id(Kind.INVITATIONS),
        group=RateGroup.OTHER,
    )
    list_organization_grants = Endpoint(
        Verb.GET,
        "/organizations/{id}/client-grants",
        "read:organization_client_grants",
        Need.READ,
        Paging.OFFSET,
        group=RateGroup.ORGANIZATION_GRANTS_READ,
    )
    add_organization_grant = Endpoint(
        Verb.POST,
        "/organizations/{id}/client-grants",
        "create:organization_client_grants",
        Need.APPLY,
        settle=Settle.FIND_ORGANIZATION_GRANT,
        touches=by_id(Kind.API_ACCESS),
        group=RateGroup.ORGANIZATION_GRANTS_WRITE,
    )
    remove_organization_grant = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/client-grants/{grant_id}",
        "delete:organization_client_grants",
        Need.APPLY,
        touches=by_id(Kind.API_ACCESS),
        group=RateGroup.OTHER,
    )
    list_organization_applications = Endpoint(
        Verb.GET,
        "/organizations/{id}/clients",
        "read:organization_clients",
        Need.READ,
        Paging.CHECKPOINT,
        group=RateGroup.OTHER,
    )
    add_organization_applications = Endpoint(
        Verb.POST,
        "/organizations/{id}/clients",
        "create:organization_clients",
        Need.APPLY,
        settle=Settle.FIND_ORGANIZATION_APPLICATIONS,
        touches=by_id(Kind.ORGANIZATION_APPLICATIONS),
        group=RateGroup.OTHER,
    )
    update_organization_application = Endpoint(
        Verb.PATCH,
        "/organizations/{id}/clients/{client_id}",
        "update:organization_clients",
        Need.APPLY,
        touches=by_id(Kind.ORGANIZATION_APPLICATIONS),
        group=RateGroup.OTHER,
    )
    remove_organization_applications = Endpoint(
        Verb.DELETE,
        "/organizations/{id}/clients",
        "delete:organization_clients",
        Need.APPLY,
        touches=by_id(Kind.ORGANIZATION_APPLICATIONS),
        group=RateGroup.OTHER,
    )
