"""The endpoint table's entries for what the tenant holds outside organizations: roles,
connections and users, applications, client grants and APIs, self-service SSO, the
post-login Action and the tenant log."""

from reconciler.engine.endpoint import Endpoint, Need, Paging, Touch, by_id
from reconciler.engine.kinds import Kind, Verb
from reconciler.engine.plan import Settle
from reconciler.engine.rate_limits import RateGroup

_EVERY_ACTION = (Touch(Kind.ACTION, by_id=False),)


class TenantEndpoints:
    """Roles, connections, users, applications, grants, APIs, the Action and the log."""

    # Roles.
    list_roles = Endpoint(
        Verb.GET, "/roles", "read:roles", Need.READ, Paging.OFFSET, group=RateGroup.OTHER
    )
    get_role = Endpoint(Verb.GET, "/roles/{id}", "read:roles", Need.READ, group=RateGroup.OTHER)
    create_role = Endpoint(
        Verb.POST,
        "/roles",
        "create:roles",
        Need.APPLY,
        settle=Settle.FIND_ROLE,
        touches=(Touch(Kind.ROLE, named=True),),
        group=RateGroup.OTHER,
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
        group=RateGroup.OTHER,
    )
    delete_role = Endpoint(
        Verb.DELETE,
        "/roles/{id}",
        "delete:roles",
        Need.APPLY,
        touches=by_id(Kind.ROLE, Kind.PERMISSIONS),
        group=RateGroup.OTHER,
    )
    list_permissions = Endpoint(
        Verb.GET,
        "/roles/{id}/permissions",
        "read:roles",
        Need.READ,
        Paging.OFFSET,
        group=RateGroup.OTHER,
    )
    add_permissions = Endpoint(
        Verb.POST,
        "/roles/{id}/permissions",
        "update:roles",
        Need.APPLY,
        touches=by_id(Kind.PERMISSIONS),
        group=RateGroup.OTHER,
    )
    remove_permissions = Endpoint(
        Verb.DELETE,
        "/roles/{id}/permissions",
        "update:roles",
        Need.APPLY,
        touches=by_id(Kind.PERMISSIONS),
        group=RateGroup.OTHER,
    )

    # Connections (enterprise ones the files declare are written) and users, read to resolve
    # names and emails.
    list_connections = Endpoint(
        Verb.GET,
        "/connections",
        "read:connections",
        Need.READ,
        Paging.CHECKPOINT,
        also_needs=("read:connections_options",),  # options, when the files declare connections
        group=RateGroup.CONNECTIONS_READ,
    )
    get_connection = Endpoint(
        Verb.GET,
        "/connections/{id}",
        "read:connections",
        Need.READ,
        group=RateGroup.CONNECTIONS_READ,
    )
    create_connection = Endpoint(
        Verb.POST,
        "/connections",
        "create:connections",
        Need.APPLY,
        settle=Settle.FIND_TENANT_CONNECTION,
        touches=(Touch(Kind.ENTERPRISE_CONNECTION, named=True),),
        group=RateGroup.OTHER,
    )
    update_connection = Endpoint(
        Verb.PATCH,
        "/connections/{id}",
        "update:connections",
        Need.APPLY,
        touches=by_id(Kind.ENTERPRISE_CONNECTION),
        also_needs=("update:connections_options",),  # options are sent whole
        group=RateGroup.OTHER,
    )
    delete_connection = Endpoint(
        Verb.DELETE,
        "/connections/{id}",
        "delete:connections",
        Need.PRUNE_CONNECTIONS,
        # It disables the connection in every organization, which can also change who is
        # admitted by `assign_membership_on_login`.
        touches=(Touch(Kind.TENANT, by_id=False),),
        group=RateGroup.OTHER,
    )
    list_connection_clients = Endpoint(
        Verb.GET,
        "/connections/{id}/clients",
        "read:connections",
        Need.READ,
        Paging.CHECKPOINT,
        group=RateGroup.OTHER,  # not among the published "Get Connections" calls
    )
    update_connection_clients = Endpoint(
        Verb.PATCH,
        "/connections/{id}/clients",
        "update:connections",
        Need.APPLY,
        touches=by_id(Kind.CONNECTION_CLIENTS),
        group=RateGroup.OTHER,
    )
    users_by_email = Endpoint(
        Verb.GET, "/users-by-email", "read:users", Need.READ, group=RateGroup.OTHER
    )
    search_users = Endpoint(
        Verb.GET, "/users", "read:users", Need.READ, Paging.OFFSET, group=RateGroup.USERS_READ
    )
    get_user = Endpoint(Verb.GET, "/users/{id}", "read:users", Need.READ, group=RateGroup.OTHER)
    user_organizations = Endpoint(
        Verb.GET,
        "/users/{id}/organizations",
        "read:organizations",
        Need.READ,
        Paging.OFFSET,
        group=RateGroup.USER_ORGANIZATIONS_READ,
    )

    # Applications, client grants and APIs.
    list_applications = Endpoint(
        Verb.GET, "/clients", "read:clients", Need.READ, Paging.OFFSET, group=RateGroup.CLIENTS_READ
    )
    get_application = Endpoint(
        Verb.GET, "/clients/{id}", "read:clients", Need.READ, group=RateGroup.CLIENTS_READ
    )
    create_application = Endpoint(
        Verb.POST,
        "/clients",
        "create:clients",
        Need.APPLY,
        settle=Settle.FIND_APPLICATION,
        touches=by_id(Kind.APPLICATION),
        group=RateGroup.OTHER,
    )
    update_application = Endpoint(
        Verb.PATCH,
        "/clients/{id}",
        "update:clients",
        Need.APPLY,
        touches=by_id(Kind.APPLICATION),
        group=RateGroup.OTHER,
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
        group=RateGroup.OTHER,
    )
    list_client_grants = Endpoint(
        Verb.GET,
        "/client-grants",
        "read:client_grants",
        Need.READ,
        Paging.CHECKPOINT,
        group=RateGroup.OTHER,
    )
    create_client_grant = Endpoint(
        Verb.POST,
        "/client-grants",
        "create:client_grants",
        Need.APPLY,
        settle=Settle.FIND_CLIENT_GRANT,
        touches=by_id(Kind.CLIENT_GRANT),
        group=RateGroup.OTHER,
    )
    update_client_grant = Endpoint(
        Verb.PATCH,
        "/client-grants/{id}",
        "update:client_grants",
        Need.APPLY,
        touches=by_id(Kind.CLIENT_GRANT),
        group=RateGroup.OTHER,
    )
    list_apis = Endpoint(
        Verb.GET,
        "/resource-servers",
        "read:resource_servers",
        Need.READ,
        Paging.OFFSET,
        group=RateGroup.OTHER,
    )

    # Self-service SSO: profiles, and the tickets of `reconciler sso-ticket`.
    list_sso_profiles = Endpoint(
        Verb.GET,
        "/self-service-profiles",
        "read:self_service_profiles",
        Need.READ,
        Paging.OFFSET,
        group=RateGroup.OTHER,
    )
    create_sso_profile = Endpoint(
        Verb.POST,
        "/self-service-profiles",
        "create:self_service_profiles",
        Need.APPLY,
        settle=Settle.FIND_SSO_PROFILE,
        touches=(Touch(Kind.SSO_PROFILE, named=True),),
        group=RateGroup.OTHER,
    )
    update_sso_profile = Endpoint(
        Verb.PATCH,
        "/self-service-profiles/{id}",
        "update:self_service_profiles",
        Need.APPLY,
        touches=by_id(Kind.SSO_PROFILE),
        group=RateGroup.OTHER,
    )
    create_sso_ticket = Endpoint(
        Verb.POST,
        "/self-service-profiles/{id}/sso-ticket",
        "create:sso_access_tickets",
        Need.SSO_TICKET,
        # The customer's admin completes it by making a connection linked to organizations.
        touches=(Touch(Kind.ENTERPRISE_CONNECTION, by_id=False),),
        group=RateGroup.OTHER,
    )
    revoke_sso_ticket = Endpoint(
        Verb.POST,
        "/self-service-profiles/{id}/sso-ticket/{ticket_id}/revoke",
        "delete:sso_access_tickets",
        Need.SSO_TICKET,
        touches=by_id(Kind.SSO_PROFILE),
        group=RateGroup.OTHER,
    )

    # The post-login Action.
    list_actions = Endpoint(
        Verb.GET,
        "/actions/actions",
        "read:actions",
        Need.READ,
        Paging.OFFSET,
        group=RateGroup.OTHER,
    )
    get_action = Endpoint(
        Verb.GET, "/actions/actions/{id}", "read:actions", Need.READ, group=RateGroup.OTHER
    )
    """Read by `apply` after a create or update until the Action is built (deploying needs
    that); its scope is that of the reads."""
    create_action = Endpoint(
        Verb.POST,
        "/actions/actions",
        "create:actions",
        Need.APPLY,
        settle=Settle.FIND_ACTION,
        touches=_EVERY_ACTION,
        group=RateGroup.OTHER,
    )
    update_action = Endpoint(
        Verb.PATCH,
        "/actions/actions/{id}",
        "update:actions",
        Need.APPLY,
        touches=_EVERY_ACTION,
        group=RateGroup.OTHER,
    )
    deploy_action = Endpoint(
        Verb.POST,
        "/actions/actions/{id}/deploy",
        "create:actions",
        Need.APPLY,
        touches=_EVERY_ACTION,
        group=RateGroup.OTHER,
    )
    list_bindings = Endpoint(
        Verb.GET,
        "/actions/triggers/{trigger_id}/bindings",
        "read:actions",
        Need.READ,
        Paging.OFFSET,
        group=RateGroup.OTHER,
    )
    bind_actions = Endpoint(
        Verb.PATCH,
        "/actions/triggers/{trigger_id}/bindings",
        "update:actions",
        Need.APPLY,
        touches=_EVERY_ACTION,
        group=RateGroup.OTHER,
    )

    # The tenant log (incremental drift).
    list_logs = Endpoint(
        Verb.GET,
        "/logs",
        "read:logs",
        Need.INCREMENTAL,
        Paging.CHECKPOINT,
        group=RateGroup.LOGS_READ,
    )
    get_log = Endpoint(
        Verb.GET, "/logs/{id}", "read:logs", Need.INCREMENTAL, group=RateGroup.LOGS_READ
    )
