"""Organizations and what hangs off them: members, member roles, connections, domains,
invitations, client-grant and application associations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .errors import bad_request, conflict, invalid_body, not_found
from .records import DiscoveryDomain, JsonObject, Member, Organization, OrgClient, OrgConnection
from .store_base import StoreBase, iso_time

MAX_ORG_CONNECTIONS = 10
MAX_MEMBER_ROLES = 50
MAX_METADATA_KEYS = 25
DEFAULT_INVITATION_TTL = 7 * 24 * 3600


def _without_nulls(metadata: Mapping[str, str | None] | None) -> dict[str, str] | None:
    if metadata is None:
        return None
    return {k: v for k, v in metadata.items() if v is not None}


class OrganizationOps(StoreBase):
    """Operations on organizations; each raises :class:`ApiError` as Auth0 would answer."""

    # -- organizations -------------------------------------------------------------------

    def create_organization(
        self,
        name: str,
        display_name: str | None = None,
        *,
        branding: JsonObject | None = None,
        metadata: Mapping[str, str | None] | None = None,
        token_quota: JsonObject | None = None,
        enabled_connections: Sequence[OrgConnection] = (),
        third_party_client_access: str | None = None,
        is_app_entitlement_active: bool | None = None,
    ) -> Organization:
        """Create an organization, optionally with its enabled connections."""
        if name in self._org_ids_by_name:
            raise conflict("An organization with this name already exists.")
        if len(enabled_connections) > MAX_ORG_CONNECTIONS:
            raise invalid_body(
                f"Array is too long ({len(enabled_connections)}), maximum {MAX_ORG_CONNECTIONS}",
                "enabled_connections",
            )
        seen: set[str] = set()
        for link in enabled_connections:
            self._linkable_connection(link.connection_id)
            if link.connection_id in seen:
                raise bad_request("The same connection is listed more than once.")
            seen.add(link.connection_id)
        org = Organization(
            id=self.ids.prefixed("org_"),
            seq=self.next_seq(),
            name=name,
            created_at=self.timestamp(),
            display_name=display_name,
            branding=branding,
            metadata=_without_nulls(metadata),
            token_quota=token_quota,
            third_party_client_access=third_party_client_access,
            is_app_entitlement_active=is_app_entitlement_active,
            connections={link.connection_id: link for link in enabled_connections},
        )
        self.state.organizations[org.id] = org
        self._org_ids_by_name[name] = org.id
        return org

    def update_organization(
        self, org_id: str, changes: Mapping[str, Any], metadata_mode: str = "merge"
    ) -> Organization:
        """Apply a PATCH: only keys present change; ``None`` unsets; metadata merges or
        replaces (``metadata_mode``), a ``None`` metadata value deleting that key."""
        org = self.organization(org_id)
        new_name: str = changes.get("name") or org.name
        renamed = new_name != org.name
        if renamed and new_name in self._org_ids_by_name:
            raise conflict("An organization with this name already exists.")
        metadata = org.metadata
        if "metadata" in changes:
            patch: Mapping[str, str | None] | None = changes["metadata"]
            if patch is None:
                metadata = None
            elif metadata_mode == "merge":
                merged: dict[str, str | None] = {**(metadata or {}), **patch}
                metadata = _without_nulls(merged)
            else:
                metadata = _without_nulls(patch)
            if metadata is not None and len(metadata) > MAX_METADATA_KEYS:
                raise invalid_body(
                    f"Too many properties ({len(metadata)}), maximum {MAX_METADATA_KEYS}",
                    "metadata",
                )
        if renamed:
            del self._org_ids_by_name[org.name]
            self._org_ids_by_name[new_name] = org.id
            org.name = new_name
        org.metadata = metadata
        if "display_name" in changes:
            org.display_name = changes["display_name"]
        if "branding" in changes:
            org.branding = changes["branding"]
        if "token_quota" in changes:
            org.token_quota = changes["token_quota"]
        for field_name in ("third_party_client_access", "is_app_entitlement_active"):
            if field_name in changes:
                setattr(org, field_name, changes[field_name])
        return org

    def delete_organization(self, org_id: str) -> None:
        """Delete an organization with its memberships, links, domains, invitations and the
        roles it owns. Users stay."""
        org = self.organization(org_id)
        del self.state.organizations[org_id]
        del self._org_ids_by_name[org.name]
        owned = [r.id for r in self.state.roles.values() if r.owner_id == org_id]
        for role_id in owned:
            del self.state.roles[role_id]

    def user_organizations(self, user_id: str) -> list[Organization]:
        """Organizations the user is (currently) a member of."""
        return [
            org
            for org in self.state.organizations.values()
            if (m := org.members.get(user_id)) is not None and m.gone_from is None
        ]

    # -- members ------------------------------------------------------------------------

    def add_members(self, org_id: str, user_ids: Iterable[str], lag: float = 0.0) -> None:
        """Add users as members; those already members are left alone. With ``lag``, member
        lists show the new members only ``lag`` seconds from now."""
        org = self.organization(org_id)
        user_ids = list(user_ids)
        missing = [u for u in user_ids if u not in self.state.users]
        if missing:
            raise bad_request(f"One or more users do not exist: {', '.join(missing)}")
        now = self.now()
        for user_id in user_ids:
            member = org.members.get(user_id)
            if member is not None and member.gone_from is not None and member.gone_from <= now:
                del org.members[user_id]
                member = None
            if member is None:
                org.members[user_id] = Member(user_id, self.next_seq(), now + lag)
            else:
                member.gone_from = None

    def remove_members(self, org_id: str, user_ids: Iterable[str], lag: float = 0.0) -> None:
        """Remove memberships (and their roles); non-members are ignored. With ``lag``,
        member lists keep showing them for ``lag`` seconds."""
        org = self.organization(org_id)
        now = self.now()
        for user_id in user_ids:
            member = org.members.get(user_id)
            if member is None or member.gone_from is not None:
                continue
            member.roles.clear()
            if lag > 0:
                member.gone_from = now + lag
            else:
                del org.members[user_id]

    def listed_members(self, org_id: str) -> list[Member]:
        """The members a member list shows now (eventually consistent), in insertion order."""
        org = self.organization(org_id)
        now = self.now()
        expired = [
            m.user_id
            for m in org.members.values()
            if m.gone_from is not None and m.gone_from <= now
        ]
        for user_id in expired:
            del org.members[user_id]
        if not expired and all(m.visible_from <= now for m in org.members.values()):
            return list(org.members.values())
        return [m for m in org.members.values() if m.listed_at(now)]

    def member(self, org_id: str, user_id: str) -> Member:
        """The (current) membership of a user, or 404."""
        member = self.organization(org_id).members.get(user_id)
        if member is None or member.gone_from is not None:
            raise not_found("The user is not a member of the organization.")
        return member

    def assign_member_roles(self, org_id: str, user_id: str, role_ids: Sequence[str]) -> None:
        """Assign roles to a member; at most 50 per member (409 beyond)."""
        member = self.member(org_id, user_id)
        for role_id in role_ids:
            role = self.state.roles.get(role_id)
            if role is None:
                raise bad_request(f"The role {role_id} does not exist.")
            if role.owner_id is not None and role.owner_id != org_id:
                raise bad_request(f"The role {role_id} belongs to another organization.")
        new = [r for r in dict.fromkeys(role_ids) if r not in member.roles]
        if len(member.roles) + len(new) > MAX_MEMBER_ROLES:
            raise conflict(
                f"A member can have at most {MAX_MEMBER_ROLES} roles in an organization."
            )
        member.roles.extend(new)

    def remove_member_roles(self, org_id: str, user_id: str, role_ids: Iterable[str]) -> None:
        """Remove roles from a member; roles it does not have are ignored."""
        member = self.member(org_id, user_id)
        drop = set(role_ids)
        member.roles[:] = [r for r in member.roles if r not in drop]

    # -- connections --------------------------------------------------------------------

    def _linkable_connection(self, connection_id: str) -> JsonObject:
        connection = self.state.connections.get(connection_id)
        if connection is None:
            raise bad_request(f"The connection {connection_id} does not exist.")
        return connection

    def _check_room(self, org: Organization) -> None:
        enabled = sum(1 for link in org.connections.values() if link.is_enabled)
        if enabled >= MAX_ORG_CONNECTIONS:
            raise bad_request(
                f"An organization can have at most {MAX_ORG_CONNECTIONS} enabled connections."
            )

    def enable_connection(
        self,
        org_id: str,
        connection_id: str,
        *,
        assign_membership_on_login: bool = False,
        show_as_button: bool = True,
        is_signup_enabled: bool = False,
    ) -> OrgConnection:
        """Enable a connection (``enabled_connections`` view); 409 if already enabled."""
        org = self.organization(org_id)
        self._linkable_connection(connection_id)
        existing = org.connections.get(connection_id)
        if existing is not None and existing.is_enabled:
            raise conflict("The connection is already enabled for this organization.")
        self._check_room(org)
        link = OrgConnection(
            connection_id, assign_membership_on_login, show_as_button, is_signup_enabled
        )
        org.connections[connection_id] = link
        return link

    def link_connection(self, org_id: str, link: OrgConnection) -> OrgConnection:
        """Link a connection (``connections`` view, which can hold disabled links)."""
        org = self.organization(org_id)
        self._linkable_connection(link.connection_id)
        if link.connection_id in org.connections:
            raise conflict("The connection is already associated with this organization.")
        if link.is_enabled:
            self._check_room(org)
        org.connections[link.connection_id] = link
        return link

    def org_connections(self, org_id: str, enabled_only: bool) -> list[OrgConnection]:
        """Links of an organization, in the order they were made."""
        links = self.organization(org_id).connections.values()
        return [link for link in links if link.is_enabled or not enabled_only]

    def org_connection(self, org_id: str, connection_id: str, enabled_only: bool) -> OrgConnection:
        """One link, or 404."""
        link = self.organization(org_id).connections.get(connection_id)
        if link is None or (enabled_only and not link.is_enabled):
            raise not_found("The connection is not enabled for this organization.")
        return link

    def update_org_connection(
        self, org_id: str, connection_id: str, changes: Mapping[str, Any], enabled_only: bool
    ) -> OrgConnection:
        """Change the flags of a link."""
        link = self.org_connection(org_id, connection_id, enabled_only)
        if changes.get("is_enabled") and not link.is_enabled:
            self._check_room(self.organization(org_id))
        for key, value in changes.items():
            if key == "is_enabled" and value is None:
                continue
            setattr(link, key, value)
        return link

    def unlink_connection(self, org_id: str, connection_id: str, enabled_only: bool) -> None:
        """Remove a link."""
        self.org_connection(org_id, connection_id, enabled_only)
        del self.organization(org_id).connections[connection_id]

    # -- discovery domains --------------------------------------------------------------

    def add_discovery_domain(
        self,
        org_id: str,
        domain: str,
        status: str = "pending",
        use_for_organization_discovery: bool = False,
    ) -> DiscoveryDomain:
        """Register a discovery domain; 409 if the organization already has it."""
        org = self.organization(org_id)
        if any(d.domain.lower() == domain.lower() for d in org.discovery_domains.values()):
            raise conflict("The domain already exists for this organization.")
        record = DiscoveryDomain(
            id=self.ids.prefixed("dd_"),
            seq=self.next_seq(),
            domain=domain,
            status=status,
            use_for_organization_discovery=use_for_organization_discovery,
            verification_txt="auth0-domain-verification=" + self.ids.alnum(32),
            verification_host=f"_auth0-challenge.{domain}",
        )
        org.discovery_domains[record.id] = record
        return record

    def discovery_domain(self, org_id: str, domain_id: str) -> DiscoveryDomain:
        """One discovery domain by id, or 404."""
        record = self.organization(org_id).discovery_domains.get(domain_id)
        if record is None:
            raise not_found("The discovery domain does not exist.")
        return record

    def discovery_domain_by_name(self, org_id: str, domain: str) -> DiscoveryDomain:
        """One discovery domain by its domain name, or 404."""
        for record in self.organization(org_id).discovery_domains.values():
            if record.domain.lower() == domain.lower():
                return record
        raise not_found("The discovery domain does not exist.")

    def update_discovery_domain(
        self, org_id: str, domain_id: str, changes: Mapping[str, Any]
    ) -> DiscoveryDomain:
        """Change status or the discovery flag."""
        record = self.discovery_domain(org_id, domain_id)
        for key, value in changes.items():
            setattr(record, key, value)
        return record

    def delete_discovery_domain(self, org_id: str, domain_id: str) -> None:
        """Remove a discovery domain."""
        self.discovery_domain(org_id, domain_id)
        del self.organization(org_id).discovery_domains[domain_id]

    # -- invitations --------------------------------------------------------------------

    def create_invitation(
        self,
        org_id: str,
        *,
        inviter_name: str,
        invitee_email: str,
        client_id: str,
        connection_id: str | None = None,
        roles: Sequence[str] = (),
        ttl_sec: int = 0,
        app_metadata: JsonObject | None = None,
        user_metadata: JsonObject | None = None,
    ) -> JsonObject:
        """Invite someone by email to join the organization."""
        org = self.organization(org_id)
        if client_id not in self.state.clients:
            raise bad_request(f"The client {client_id} does not exist.")
        if connection_id is not None and connection_id not in org.connections:
            raise bad_request(
                f"The connection {connection_id} is not enabled for this organization."
            )
        for role_id in roles:
            if role_id not in self.state.roles:
                raise bad_request(f"The role {role_id} does not exist.")
        now = self.now()
        ticket = self.ids.alnum(32)
        invitation: JsonObject = {
            "id": self.ids.prefixed("uinv_"),
            "organization_id": org.id,
            "inviter": {"name": inviter_name},
            "invitee": {"email": invitee_email},
            "client_id": client_id,
            "invitation_url": (
                f"https://{self.state.tenant_domain}/login?invitation={ticket}"
                f"&organization={org.id}&organization_name={org.name}"
            ),
            "ticket_id": ticket,
            "created_at": iso_time(now),
            "expires_at": iso_time(now + (ttl_sec or DEFAULT_INVITATION_TTL)),
        }
        if connection_id is not None:
            invitation["connection_id"] = connection_id
        if roles:
            invitation["roles"] = list(roles)
        if app_metadata:
            invitation["app_metadata"] = app_metadata
        if user_metadata:
            invitation["user_metadata"] = user_metadata
        org.invitations[invitation["id"]] = invitation
        return invitation

    def invitation(self, org_id: str, invitation_id: str) -> JsonObject:
        """One invitation, or 404."""
        invitation = self.organization(org_id).invitations.get(invitation_id)
        if invitation is None:
            raise not_found("The invitation does not exist.")
        return invitation

    def delete_invitation(self, org_id: str, invitation_id: str) -> None:
        """Withdraw an invitation."""
        self.invitation(org_id, invitation_id)
        del self.organization(org_id).invitations[invitation_id]

    # -- client grants ------------------------------------------------------------------

    def associate_client_grant(self, org_id: str, grant_id: str) -> JsonObject:
        """Let an organization use a client grant."""
        org = self.organization(org_id)
        grant = self.client_grant(grant_id)
        if grant.get("organization_usage") not in ("allow", "require"):
            raise bad_request("The client grant does not allow organizations.")
        if grant_id in org.client_grants:
            raise conflict("The client grant is already associated with this organization.")
        org.client_grants.append(grant_id)
        return grant

    def disassociate_client_grant(self, org_id: str, grant_id: str) -> None:
        """Stop an organization from using a client grant."""
        org = self.organization(org_id)
        if grant_id not in org.client_grants:
            raise not_found("The client grant is not associated with this organization.")
        org.client_grants.remove(grant_id)

    # -- applications -------------------------------------------------------------------

    def associate_clients(
        self, org_id: str, entries: Sequence[tuple[str, bool]]
    ) -> list[OrgClient]:
        """Associate applications (client id, used for member access) with an organization;
        all or none: an unknown or already associated application refuses the whole call."""
        org = self.organization(org_id)
        seen: set[str] = set()
        for client_id, _ in entries:
            self.client(client_id)
            if client_id in org.clients or client_id in seen:
                raise conflict("The client is already associated with this organization.")
            seen.add(client_id)
        links = [OrgClient(client_id, self.next_seq(), flag) for client_id, flag in entries]
        for link in links:
            org.clients[link.client_id] = link
        return links

    def org_client(self, org_id: str, client_id: str) -> OrgClient:
        """One application association of an organization, or 404."""
        link = self.organization(org_id).clients.get(client_id)
        if link is None:
            raise not_found("The client is not associated with this organization.")
        return link

    def update_org_client(self, org_id: str, client_id: str, member_access: bool) -> OrgClient:
        """Change whether members use an associated application."""
        link = self.org_client(org_id, client_id)
        link.use_for_member_access = member_access
        return link

    def disassociate_clients(self, org_id: str, client_ids: Sequence[str]) -> None:
        """Remove application associations; all or none (404 when one is not associated)."""
        org = self.organization(org_id)
        for client_id in client_ids:
            self.org_client(org_id, client_id)
        for client_id in client_ids:
            del org.clients[client_id]
