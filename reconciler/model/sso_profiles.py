"""Self-service SSO: the profiles (tenant-wide, `sso-profiles.yaml`) that say what a customer's
IT admin may configure, and an organization's `self_service_sso`, what `reconciler sso-ticket`
asks for when it creates a ticket for that organization."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from reconciler.model.applications import ApplicationName
from reconciler.model.common import Strict
from reconciler.model.connections import ConnectionName

AllowedStrategy = Literal[
    "oidc",
    "samlp",
    "waad",
    "google-apps",
    "adfs",
    "okta",
    "auth0-samlp",
    "okta-samlp",
    "keycloak-samlp",
    "pingfederate",
]
ProfileName = Annotated[str, StringConstraints(min_length=1, max_length=100)]
HexColour = Annotated[str, StringConstraints(pattern=r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
HttpsUrl = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https://[^\s/]+\S*$")]
MAX_TICKET_TTL = 432_000
"""Auth0's longest ticket life, 5 days (also what it gives a ticket without one)."""


class UserAttribute(Strict):
    """An attribute the customer's identity provider is asked to send."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    description: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    is_optional: bool


class ProfileColours(Strict):
    """The colours of the self-service pages."""

    primary: HexColour


class ProfileBranding(Strict):
    """The logo and colours of the self-service pages."""

    logo_url: HttpsUrl | None = None
    colors: ProfileColours | None = None


class SsoProfile(Strict):
    """One self-service profile, matched by its name; a key left out is left as Auth0 has it."""

    description: Annotated[str, StringConstraints(max_length=140)] | None = None
    allowed_strategies: list[AllowedStrategy] | None = Field(default=None, min_length=1)
    user_attributes: list[UserAttribute] | None = None
    branding: ProfileBranding | None = None

    @field_validator("allowed_strategies")
    @classmethod
    def _unique_strategies(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("a strategy is listed twice")
        return value

    @field_validator("user_attributes")
    @classmethod
    def _unique_attributes(cls, value: list[UserAttribute] | None) -> list[UserAttribute] | None:
        if value is not None and len({a.name for a in value}) != len(value):
            raise ValueError("an attribute is listed twice")
        return value


class SsoProfilesFile(Strict):
    """sso-profiles.yaml: `profiles: {name: SsoProfile}`."""

    profiles: dict[ProfileName, SsoProfile] = Field(default_factory=dict)


class SelfServiceSso(Strict):
    """What a ticket for the organization asks: the profile, the connection the customer's
    admin makes (its name), the applications it is enabled for, the link's flags, how its
    domain aliases are verified, and how long the ticket lives (0: Auth0's 5 days)."""

    profile: ProfileName
    connection: ConnectionName | None = None
    """The connection's name (default: `<organization>-sso`)."""
    applications: list[ApplicationName] = Field(default_factory=list)
    assign_membership_on_login: bool | None = None
    show_as_button: bool | None = None
    domain_verification: Literal["none", "optional", "required"] | None = None
    ttl_sec: int = Field(default=0, ge=0, le=MAX_TICKET_TTL)

    @field_validator("applications")
    @classmethod
    def _unique_applications(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("an application is listed twice")
        return value
