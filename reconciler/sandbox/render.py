"""JSON representations shared by several routes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .records import JsonObject, Organization, OrgClient, OrgConnection, Role

if TYPE_CHECKING:
    from .store import Store

ORG_GRANT_FIELDS = (
    "id",
    "client_id",
    "audience",
    "scope",
    "organization_usage",
    "allow_any_organization",
    "subject_type",
)


def render_org(org: Organization) -> JsonObject:
    """An organization as lists and look-ups return it (unset fields left out)."""
    body: JsonObject = {"id": org.id, "name": org.name}
    if org.display_name is not None:
        body["display_name"] = org.display_name
    if org.branding is not None:
        body["branding"] = org.branding
    if org.metadata is not None:
        body["metadata"] = org.metadata
    if org.token_quota is not None:
        body["token_quota"] = org.token_quota
    if org.third_party_client_access is not None:
        body["third_party_client_access"] = org.third_party_client_access
    if org.is_app_entitlement_active is not None:
        body["is_app_entitlement_active"] = org.is_app_entitlement_active
    return body


def render_link(store: Store, link: OrgConnection, full: bool = False) -> JsonObject:
    """An enabled connection; ``full``: as the newer ``connections`` view shows it, with
    ``is_enabled`` and the access level (``none`` unless set), and ``is_signup_enabled``
    for database connections only."""
    connection = store.state.connections.get(link.connection_id, {})
    body: JsonObject = {
        "connection_id": link.connection_id,
        "assign_membership_on_login": link.assign_membership_on_login,
        "show_as_button": link.show_as_button,
        "is_signup_enabled": link.is_signup_enabled,
        "connection": {"name": connection.get("name"), "strategy": connection.get("strategy")},
    }
    if full:
        if connection.get("strategy") != "auth0":
            del body["is_signup_enabled"]
        body["is_enabled"] = link.is_enabled
        body["organization_access_level"] = link.organization_access_level or "none"
        if link.organization_connection_name is not None:
            body["organization_connection_name"] = link.organization_connection_name
    return body


def render_role(role: Role, written: bool = False) -> JsonObject:
    """A role, with its type and (for organization roles) owner. Reads show a role without
    description with an empty one; the answer to a create or update (``written``) leaves it
    out."""
    body: JsonObject = {"id": role.id, "name": role.name}
    if role.description is not None or not written:
        body["description"] = role.description or ""
    body["type"] = role.type
    if role.owner_id is not None:
        body["owner_id"] = role.owner_id
    return body


def render_org_grant(grant: JsonObject) -> JsonObject:
    """A client grant as the organization's list shows it."""
    return {key: grant[key] for key in ORG_GRANT_FIELDS if key in grant}


def render_org_grant_association(grant: JsonObject) -> JsonObject:
    """A client grant as associating it answers: ``grant_id`` for ``id``, no subject type."""
    body = render_org_grant(grant)
    body.pop("subject_type", None)
    return {"grant_id": body.pop("id"), **body}


def render_org_client(store: Store, link: OrgClient) -> JsonObject:
    """An application associated with an organization, with a summary of the application."""
    client = store.state.clients.get(link.client_id, {})
    summary = {
        key: client[key]
        for key in ("name", "app_type", "logo_uri", "is_first_party", "grant_types")
        if key in client
    }
    if client.get("organization_usage") is not None:
        summary["organization_usage"] = client["organization_usage"]
    return {
        "client_id": link.client_id,
        "use_for_member_access": link.use_for_member_access,
        "client": summary,
    }


def summary_user(user: JsonObject) -> dict[str, Any]:
    """``{user_id, email, picture, name}`` as member and role-user lists show users."""
    body: dict[str, Any] = {"user_id": user["user_id"]}
    for key in ("email", "picture", "name"):
        if key in user:
            body[key] = user[key]
    return body
