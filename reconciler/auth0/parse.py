"""Auth0's answers parsed into the live model, leniently: what a field lacks or holds of
another type is taken as Auth0 defaults it, and an object without its id is skipped (None)."""

from typing import Any

from reconciler.model.applications import MANAGED_FIELDS
from reconciler.model.live import (
    ActionVersion,
    LiveAction,
    LiveApplication,
    LiveBinding,
    LiveClientGrant,
    LiveConnection,
    LiveDomain,
    LiveEnabledConnection,
    LiveInvitation,
    LiveMember,
    LiveOrganization,
)

ORG_FIELDS = (
    "display_name",
    "branding",
    "metadata",
    "token_quota",
    "third_party_client_access",
    "is_app_entitlement_active",
)
"""What is read of an organization's own fields."""


def organization_fields(org: Any) -> dict[str, Any]:
    """An organization's name and the fields of ORG_FIELDS it has, as plain data."""
    data: dict[str, Any] = {"name": org.name}
    for name in ORG_FIELDS:
        value = getattr(org, name, None)
        if value is None:
            continue
        if hasattr(value, "model_dump"):
            value = value.model_dump(exclude_none=True)
        if name == "metadata":
            value = {k: v for k, v in dict(value).items() if v is not None}
        data[name] = value
    return data


def live_organization(org_id: str, fields: dict[str, Any]) -> LiveOrganization:
    """An organization's own fields, taken as Auth0 returns them."""
    branding = fields.get("branding")
    metadata = fields.get("metadata")
    quota = fields.get("token_quota")
    access = fields.get("third_party_client_access")
    active = fields.get("is_app_entitlement_active")
    display = fields.get("display_name")
    return LiveOrganization(
        id=org_id,
        name=str(fields["name"]),
        display_name=display if isinstance(display, str) else None,
        branding=dict(branding) if isinstance(branding, dict) else None,
        metadata=(
            {str(k): v for k, v in metadata.items() if v is not None}
            if isinstance(metadata, dict)
            else None
        ),
        token_quota=dict(quota) if isinstance(quota, dict) else None,
        third_party_client_access=str(access) if access is not None else None,
        is_app_entitlement_active=active if isinstance(active, bool) else None,
    )


def live_member(item: Any) -> LiveMember:
    """A member with its direct roles; any email, name or role Auth0 holds is accepted."""
    roles = tuple(
        (str(role.id), str(role.name or role.id))
        for role in getattr(item, "roles", None) or []
        if getattr(role, "id", None)
    )
    email = getattr(item, "email", None)
    name = getattr(item, "name", None)
    return LiveMember(
        user_id=str(item.user_id),
        email=str(email) if email else None,
        name=str(name) if name else None,
        roles=roles,
    )


def enabled_connection(item: Any) -> LiveEnabledConnection | None:
    """A connection link of an organization, flags as Auth0 defaults them when missing."""
    connection_id = getattr(item, "connection_id", None)
    if not connection_id:
        return None
    connection = getattr(item, "connection", None)
    name = getattr(connection, "name", None) or connection_id
    return LiveEnabledConnection(
        connection_id=str(connection_id),
        name=str(name),
        assign_membership_on_login=bool(getattr(item, "assign_membership_on_login", False)),
        show_as_button=getattr(item, "show_as_button", None) is not False,
        is_signup_enabled=bool(getattr(item, "is_signup_enabled", False)),
    )


def live_domain(item: Any) -> LiveDomain | None:
    """A discovery domain, or None when Auth0's answer lacks its id or name."""
    domain_id, domain = getattr(item, "id", None), getattr(item, "domain", None)
    if not domain_id or not domain:
        return None
    status = getattr(item, "status", None)
    return LiveDomain(
        str(domain_id),
        str(domain).lower(),
        str(getattr(status, "value", status) or "pending"),
        bool(getattr(item, "use_for_organization_discovery", False)),
        getattr(item, "verification_txt", None),
        getattr(item, "verification_host", None),
    )


def live_application(item: Any) -> LiveApplication | None:
    """An application's managed settings as Auth0 returns them, or None without an id."""
    client_id, name = getattr(item, "client_id", None), getattr(item, "name", None)
    if not client_id or name is None:
        return None
    settings = {}
    for field in MANAGED_FIELDS:
        value = getattr(item, field, None)
        if value is not None:
            settings[field] = list(value) if isinstance(value, list) else value
    return LiveApplication(str(client_id), str(name), settings)


def live_client_grant(item: Any) -> LiveClientGrant | None:
    """A client grant, or None when Auth0's answer lacks its id, application or API."""
    grant_id, client_id = getattr(item, "id", None), getattr(item, "client_id", None)
    audience = getattr(item, "audience", None)
    if not grant_id or not client_id or not audience:
        return None
    usage = getattr(item, "organization_usage", None)
    return LiveClientGrant(
        str(grant_id),
        str(client_id),
        str(audience),
        tuple(str(s) for s in getattr(item, "scope", None) or []),
        str(usage) if usage is not None else None,
    )


def live_action(item: Any) -> LiveAction | None:
    """An Action with its draft and deployed version, or None without an id."""
    action_id = getattr(item, "id", None)
    if not action_id:
        return None
    deployed = getattr(item, "deployed_version", None)
    return LiveAction(
        id=str(action_id),
        name=str(getattr(item, "name", None) or ""),
        draft=action_version(item),
        deployed=action_version(deployed) if deployed is not None else None,
    )


def action_version(item: Any) -> ActionVersion:
    """What an Action (or one of its versions) runs; missing parts read as empty."""
    runtime = getattr(item, "runtime", None)
    return ActionVersion(
        code=str(getattr(item, "code", None) or ""),
        runtime=str(runtime) if runtime else None,
        dependencies=frozenset(
            (str(d.name), str(d.version))
            for d in getattr(item, "dependencies", None) or []
            if getattr(d, "name", None) and getattr(d, "version", None)
        ),
        secret_names=frozenset(
            str(s.name) for s in getattr(item, "secrets", None) or [] if getattr(s, "name", None)
        ),
    )


def live_binding(item: Any) -> LiveBinding | None:
    """A trigger binding, or None without an id."""
    binding_id = getattr(item, "id", None)
    if not binding_id:
        return None
    action = getattr(item, "action", None)
    action_id = getattr(action, "id", None)
    action_name = getattr(action, "name", None)
    display_name = getattr(item, "display_name", None)
    return LiveBinding(
        id=str(binding_id),
        action_id=str(action_id) if action_id else None,
        action_name=str(action_name) if action_name else None,
        display_name=str(display_name) if display_name else None,
    )


def live_invitation(item: Any) -> LiveInvitation | None:
    """A pending invitation with the role ids it grants, or None without an id or email."""
    invitee = getattr(item, "invitee", None)
    email = getattr(invitee, "email", None)
    invitation_id = getattr(item, "id", None)
    if not invitation_id or not email:
        return None
    roles = getattr(item, "roles", None) or []
    return LiveInvitation(str(invitation_id), str(email).lower(), tuple(sorted(map(str, roles))))


def live_connection(item: Any) -> LiveConnection | None:
    """A connection of the tenant, or None without an id or name."""
    if not item.id or not item.name:
        return None
    return LiveConnection(item.id, item.name, item.strategy or "")


def permission_pairs(items: list[Any]) -> frozenset[tuple[str, str]]:
    """The (API identifier, permission name) pairs of a role's permissions."""
    return frozenset(
        (p.resource_server_identifier, p.permission_name)
        for p in items
        if p.resource_server_identifier and p.permission_name
    )


def api_scopes(items: list[Any]) -> dict[str, frozenset[str]]:
    """API identifier -> the scopes it defines."""
    return {
        server.identifier: frozenset(item.value for item in server.scopes or [] if item.value)
        for server in items
        if server.identifier
    }


def organization_applications(items: list[Any]) -> dict[str, bool]:
    """Client id -> whether its organization's members may use it."""
    return {
        str(item.client_id): bool(getattr(item, "use_for_member_access", False))
        for item in items
        if getattr(item, "client_id", None)
    }
