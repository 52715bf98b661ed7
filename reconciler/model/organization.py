"""An organization file: one customer's organization and everything that belongs to it."""

from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

from reconciler.model.applications import ApiAccess, ApplicationName, unique_applications
from reconciler.model.common import EmailAddress, OrgName, RoleName, Strict
from reconciler.model.connections import ConnectionName, OrganizationConnection
from reconciler.model.roles import Role
from reconciler.model.routing import Routing
from reconciler.model.sso_profiles import SelfServiceSso
from reconciler.model.tenant import MembersPolicy

MAX_METADATA_KEYS = 25
MAX_METADATA_VALUE = 255
MAX_CONNECTIONS = 10
MAX_ROLES_PER_MEMBER = 50
MAX_API_ACCESS = 100
"""Machine-to-machine client grants an organization may be associated with."""
MAX_APPLICATIONS = 100
"""Application associations of an organization."""
MAX_INVITATIONS = 1000
"""Invitations of an organization that can be read: Auth0 lists them with page/per_page only,
and such lists end at the 1,000th record."""

HexColour = Annotated[str, StringConstraints(pattern=r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
HttpsUrl = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https://[^\s/]+\S*$")]
MetadataKey = Annotated[str, StringConstraints(min_length=1, max_length=MAX_METADATA_VALUE)]
MetadataValue = Annotated[str, StringConstraints(max_length=MAX_METADATA_VALUE)]


class Colours(Strict):
    """Login page colours."""

    primary: HexColour | None = None
    page_background: HexColour | None = None


class Branding(Strict):
    """Logo and colours of the organization's login page."""

    logo_url: HttpsUrl | None = None
    colors: Colours | None = None


class Connection(Strict):
    """A login connection enabled for the organization; an absent flag is left as Auth0 has it."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    assign_membership_on_login: bool | None = None
    show_as_button: bool | None = None
    is_signup_enabled: bool | None = None


class Member(Strict):
    """A member, identified by user_id or (case-insensitively) by email.

    `roles` absent leaves the member's roles unmanaged; `[]` manages them down to none.
    `invite: true` sends an invitation to an email that is not an Auth0 user yet.
    `absent: true` means the user must not be a member: removed if present, never admitted by
    the routing rules (matched by user_id or by email, either one).
    """

    email: EmailAddress | None = None
    user_id: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    name: str | None = None
    roles: list[RoleName] | None = Field(default=None, max_length=MAX_ROLES_PER_MEMBER)
    invite: bool = False
    absent: bool = False

    @model_validator(mode="after")
    def _identified(self) -> Self:
        if self.email is None and self.user_id is None:
            raise ValueError("a member needs an email or a user_id")
        if self.absent and (self.roles is not None or self.invite):
            raise ValueError("an absent member cannot have roles or an invitation")
        if self.invite and self.email is None:
            raise ValueError("an invited member needs an email")
        if self.roles is not None and len(set(self.roles)) != len(self.roles):
            raise ValueError("a role is listed twice for this member")
        return self

    @property
    def key(self) -> str:
        """How the member is matched: its user_id, else its lowercased email."""
        if self.user_id is not None:
            return self.user_id
        assert self.email is not None
        return self.email.lower()


class Organization(Strict):
    """One organization. Every key left out is unmanaged; an empty value manages it to none."""

    name: OrgName
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    previous_names: list[OrgName] | None = None
    branding: Branding | None = None
    metadata: dict[MetadataKey, MetadataValue | None] | None = Field(
        default=None, max_length=MAX_METADATA_KEYS
    )
    metadata_mode: Literal["merge", "exact"] = "merge"
    connections: list[Connection] | None = Field(default=None, max_length=MAX_CONNECTIONS)
    enterprise_connections: dict[ConnectionName, OrganizationConnection] | None = Field(
        default=None, max_length=MAX_CONNECTIONS
    )
    """The organization's own enterprise connections, each linked to it."""
    self_service_sso: SelfServiceSso | None = None
    """What `reconciler sso-ticket` asks for this organization's customer admin."""
    routing: Routing | None = None
    roles: dict[RoleName, Role] | None = None
    members: list[Member] | None = None
    members_policy: MembersPolicy | None = None
    token_quota: dict[str, object] | None = None
    third_party_client_access: Literal["block", "allow"] | None = None
    is_app_entitlement_active: bool | None = None
    applications: list[ApplicationName] | None = Field(default=None, max_length=MAX_APPLICATIONS)
    """The applications the organization's members may use (by name)."""
    api_access: list[ApiAccess] | None = Field(default=None, max_length=MAX_API_ACCESS)
    """Machine-to-machine applications that may call an API on the organization's behalf."""

    @field_validator("members")
    @classmethod
    def _readable_invitations(cls, value: list[Member] | None) -> list[Member] | None:
        invited = sum(1 for member in value or () if member.invite)
        if invited > MAX_INVITATIONS:
            raise ValueError(
                f"at most {MAX_INVITATIONS:,} members can be invited, found {invited:,}: Auth0 "
                f"lists only the first {MAX_INVITATIONS:,} invitations of an organization"
            )
        return value

    @field_validator("applications")
    @classmethod
    def _unique_applications(cls, value: list[str] | None) -> list[str] | None:
        return unique_applications(value)

    @field_validator("connections")
    @classmethod
    def _unique_connections(cls, value: list[Connection] | None) -> list[Connection] | None:
        if value is not None:
            names = [c.name for c in value]
            if len(set(names)) != len(names):
                raise ValueError("a connection is listed twice")
        return value
