"""Enterprise connections the files declare: a customer's login through its own identity
provider (SAML, Okta, OIDC, Entra ID, ADFS, PingFederate, Google Workspace).

The files name options in one spelling for every strategy; `STRATEGY_OPTIONS` says which of
them each strategy takes and under which key Auth0's `options` object holds it. Options the
files leave out are unmanaged: a change sends Auth0's whole `options` object with the managed
keys replaced, so the others are kept.
"""

from dataclasses import dataclass
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

from reconciler.model.applications import ApplicationName, unique_applications
from reconciler.model.common import DomainName, Strict
from reconciler.model.tenant import EnvName

Strategy = Literal["samlp", "okta", "oidc", "waad", "adfs", "pingfederate", "google-apps"]
ConnectionName = Annotated[
    str,
    StringConstraints(max_length=128, pattern=r"^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$"),
]
"""A connection's name as Auth0 accepts it: letters and digits, single `-` between them."""
HttpsUrl = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https://[^\s/]+\S*$")]
TenantPath = Annotated[
    str, StringConstraints(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9_.\-/]+$")
]
"""A file of the tenant directory, relative to it."""
MAX_ALIASES = 100
MAX_CLIENTS_PER_CALL = 50
"""The applications one `PATCH /connections/{id}/clients` may carry."""


@dataclass(frozen=True)
class StrategyOptions:
    """The options a strategy takes (file key -> Auth0's key), and which of them it needs:
    every key of one of the `required` alternatives."""

    keys: dict[str, str]
    required: tuple[frozenset[str], ...]


_SECRET = {"client_id": "client_id", "client_secret_env": "client_secret"}
STRATEGY_OPTIONS: dict[str, StrategyOptions] = {
    "samlp": StrategyOptions(
        {
            "sign_in_endpoint": "signInEndpoint",
            "sign_out_endpoint": "signOutEndpoint",
            "signing_cert_file": "signingCert",
            "metadata_url": "metadataUrl",
        },
        (frozenset({"sign_in_endpoint", "signing_cert_file"}), frozenset({"metadata_url"})),
    ),
    "pingfederate": StrategyOptions(
        {"ping_federate_base_url": "pingFederateBaseUrl", "signing_cert_file": "signingCert"},
        (frozenset({"ping_federate_base_url", "signing_cert_file"}),),
    ),
    "adfs": StrategyOptions({"metadata_url": "adfs_server"}, (frozenset({"metadata_url"}),)),
    "okta": StrategyOptions(
        {"domain": "domain", **_SECRET}, (frozenset({"domain", "client_id", "client_secret_env"}),)
    ),
    "oidc": StrategyOptions(
        {"discovery_url": "discovery_url", "issuer": "issuer", "type": "type", **_SECRET},
        (frozenset({"client_id", "discovery_url"}), frozenset({"client_id", "issuer"})),
    ),
    "waad": StrategyOptions(
        {"tenant_domain": "tenant_domain", **_SECRET},
        (frozenset({"tenant_domain", "client_id", "client_secret_env"}),),
    ),
    "google-apps": StrategyOptions(
        {"domain": "domain", "tenant_domain": "tenant_domain", **_SECRET},
        (frozenset({"domain", "client_id", "client_secret_env"}),),
    ),
}
SECRET_OPTIONS = frozenset({"client_secret"})
"""Auth0 option keys that hold secrets: never read into the state, never compared, never
written by import; the files name the variable that holds the value."""


class ConnectionOptions(Strict):
    """The strategy's options; each is managed only where it is set."""

    domain_aliases: list[DomainName] | None = Field(default=None, max_length=MAX_ALIASES)
    """Email domains whose users this connection signs in (home-realm discovery)."""
    sign_in_endpoint: HttpsUrl | None = None
    sign_out_endpoint: HttpsUrl | None = None
    signing_cert_file: TenantPath | None = None
    """The identity provider's signing certificate (PEM), a file inside the tenant."""
    metadata_url: HttpsUrl | None = None
    ping_federate_base_url: HttpsUrl | None = None
    discovery_url: HttpsUrl | None = None
    issuer: HttpsUrl | None = None
    type: Literal["front_channel", "back_channel"] | None = None
    domain: DomainName | None = None
    tenant_domain: DomainName | None = None
    client_id: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    client_secret_env: EnvName | None = None
    """The environment variable holding the client secret, read only when it is sent."""

    @field_validator("domain_aliases")
    @classmethod
    def _unique_aliases(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("a domain alias is listed twice")
        return value

    def set_keys(self) -> frozenset[str]:
        """The strategy options the file sets (domain aliases aside)."""
        return frozenset(
            name for name, value in self if value is not None and name != "domain_aliases"
        )


class ConnectionLink(Strict):
    """The link of an organization's own connection to it; an absent flag is left as Auth0
    has it."""

    assign_membership_on_login: bool | None = None
    show_as_button: bool | None = None


class EnterpriseConnection(Strict):
    """One enterprise connection, matched by its name (its key in the files).

    `applications` absent leaves the applications it is enabled for unmanaged; a list manages
    them exactly. `absent: true` deletes it, only under `policy.prune_connections`.
    """

    strategy: Strategy
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = None
    show_as_button: bool | None = None
    is_domain_connection: bool | None = None
    options: ConnectionOptions = Field(default_factory=ConnectionOptions)
    applications: list[ApplicationName] | None = None
    absent: bool = False

    @model_validator(mode="after")
    def _strategy_options(self) -> Self:
        if self.absent:
            return self
        taken = STRATEGY_OPTIONS[self.strategy]
        extra = sorted(self.options.set_keys() - set(taken.keys))
        if extra:
            raise ValueError(f"{self.strategy} connections take no option {', '.join(extra)}")
        have = self.options.set_keys()
        if not any(need <= have for need in taken.required):
            choices = ", or ".join(" and ".join(sorted(need)) for need in taken.required)
            raise ValueError(f"a {self.strategy} connection needs the options {choices}")
        back_channel = self.strategy == "oidc" and self.options.type == "back_channel"
        if back_channel and self.options.client_secret_env is None:
            raise ValueError("a back_channel oidc connection needs client_secret_env")
        return self

    @field_validator("applications")
    @classmethod
    def _unique_applications(cls, value: list[str] | None) -> list[str] | None:
        return unique_applications(value)


class OrganizationConnection(EnterpriseConnection):
    """An organization's own enterprise connection: linked to it, with the link's flags."""

    link: ConnectionLink = Field(default_factory=ConnectionLink)


class ConnectionsFile(Strict):
    """connections.yaml: `connections: {name: EnterpriseConnection}`, tenant-wide ones that
    organizations enable by name under `connections`."""

    connections: dict[ConnectionName, EnterpriseConnection] = Field(default_factory=dict)
