"""Applications (Auth0 clients) that take part in organization login, and API access of
machine-to-machine applications on behalf of an organization."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from reconciler.model.common import ApiIdentifier, PermissionName, Strict

ApplicationName = Annotated[str, StringConstraints(min_length=1, pattern=r"^[^<>]+$")]
"""An application's name as Auth0 accepts it: anything but `<` and `>`."""
AppType = Literal["regular_web", "spa", "native", "non_interactive"]
GrantType = Literal[
    "authorization_code",
    "implicit",
    "refresh_token",
    "client_credentials",
    "password",
    "http://auth0.com/oauth/grant-type/password-realm",
    "http://auth0.com/oauth/grant-type/mfa-oob",
    "http://auth0.com/oauth/grant-type/mfa-otp",
    "http://auth0.com/oauth/grant-type/mfa-recovery-code",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:token-exchange",
    "urn:openid:params:grant-type:ciba",
]
Url = Annotated[str, StringConstraints(min_length=1, max_length=2048)]
OrganizationUsage = Literal["deny", "allow", "require"]
RequireBehavior = Literal["no_prompt", "pre_login_prompt", "post_login_prompt"]

MANAGED_FIELDS = (
    "app_type",
    "grant_types",
    "callbacks",
    "allowed_logout_urls",
    "initiate_login_uri",
    "oidc_conformant",
    "organization_usage",
    "organization_require_behavior",
)
"""The fields of an application the files may set; each is managed only where it is set."""
AUTH0_DEFAULTS: dict[str, object] = {
    "callbacks": [],
    "allowed_logout_urls": [],
    "initiate_login_uri": "",
    "oidc_conformant": False,
    "organization_usage": "deny",
    "organization_require_behavior": "no_prompt",
}
"""What an application has when Auth0's answer leaves the field out (a field never set, or
cleared): an absent field compares equal to these."""
UNORDERED_FIELDS = frozenset({"grant_types", "callbacks", "allowed_logout_urls"})
"""List fields whose order means nothing: compared as sets."""


class Application(Strict):
    """One application, matched by its name (the key in applications.yaml).

    Every field left out is unmanaged: Auth0 keeps (or, on create, defaults) it.
    """

    app_type: AppType | None = None
    grant_types: list[GrantType] | None = None
    callbacks: list[Url] | None = None
    allowed_logout_urls: list[Url] | None = None
    initiate_login_uri: Url | None = None
    oidc_conformant: bool | None = None
    organization_usage: OrganizationUsage | None = None
    """Who logs in: `deny` individuals only, `require` members of an organization only,
    `allow` both."""
    organization_require_behavior: RequireBehavior | None = None
    """How a login without an organization proceeds: `no_prompt` (the app must send one),
    `pre_login_prompt` (ask for the organization first), `post_login_prompt` (ask after the
    credentials)."""

    @field_validator("grant_types", "callbacks", "allowed_logout_urls")
    @classmethod
    def _unique_entries(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("an entry is listed twice")
        return value

    def settings(self) -> dict[str, object]:
        """The fields the file sets, as Auth0's request bodies name them."""
        values = {name: getattr(self, name) for name in MANAGED_FIELDS}
        return {name: value for name, value in values.items() if value is not None}


class ApplicationsFile(Strict):
    """applications.yaml: `applications: {name: Application}`."""

    applications: dict[ApplicationName, Application] = Field(default_factory=dict)


class ApiAccess(Strict):
    """A machine-to-machine application that may call an API on behalf of the organization,
    with the scopes it may use there (one client grant, associated with the organization)."""

    application: ApplicationName
    api: ApiIdentifier
    scopes: list[PermissionName] = Field(min_length=1)

    @field_validator("scopes")
    @classmethod
    def _unique_scopes(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a scope is listed twice")
        return value


def unique_applications(value: list[str] | None) -> list[str] | None:
    """A list of applications, refused when it names one twice."""
    if value is not None and len(set(value)) != len(value):
        raise ValueError("an application is listed twice")
    return value
