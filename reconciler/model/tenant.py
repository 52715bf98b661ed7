"""The tenant file: where the tenant is, how to reach it, and the safety policy."""

import json
import re
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, Field, StringConstraints, field_validator, model_validator

from reconciler.model.common import OrgName, Strict
from reconciler.model.subscription import MOST_CONSERVATIVE, Subscription, SubscriptionName

EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
MembersPolicy = Literal["exact", "additive"]
UnmanagedPolicy = Literal["report", "ignore"]
ValueName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
Scalar = str | int | float
Value = Scalar | list[Scalar]
"""A value of `values`: a string, a number, or a list of them (never true/false)."""
TOKEN_ENV = "AUTH0_TOKEN"
"""The environment variable of a ready Management API token (used instead of `credentials`)."""


class Credentials(Strict):
    """Names of the environment variables holding client credentials (never the values)."""

    client_id_env: EnvName = "AUTH0_CLIENT_ID"
    client_secret_env: EnvName = "AUTH0_CLIENT_SECRET"


class Policy(Strict):
    """Safety rails checked for every plan before anything is applied."""

    prune_organizations: bool = False
    prune_connections: bool = False
    """Whether a declared connection marked `absent: true` is deleted (else the plan refuses)."""
    ignored_connections: list[Annotated[str, StringConstraints(min_length=1, max_length=128)]] = (
        Field(default_factory=list)
    )
    """Patterns (`*`, `?`) of connections no file declares that are left alone: their links
    to organizations are never removed, and import never adopts them."""
    max_change_percent: float = Field(default=30, ge=0, le=100)
    protected_organizations: list[OrgName] = Field(default_factory=list)
    approved_deletions: list[OrgName] = Field(default_factory=list)
    """Organizations whose deletion (with `prune_organizations`) is approved in the files
    themselves, in the reviewed change that removes their file; others wait for
    `apply --allow-delete`."""
    members: MembersPolicy = "exact"
    unmanaged_organizations: UnmanagedPolicy = "report"
    """Whether `drift` counts organizations that are in Auth0 but in no file."""


class RateLimit(Strict):
    """How much of the tenant's Management API rate limit the reconciler may use."""

    share: float = Field(default=0.5, gt=0, le=1)
    max_concurrency: int = Field(default=8, ge=1, le=64)
    limits: SubscriptionName = MOST_CONSERVATIVE
    """The subscription whose published limits the tenant has: paces each endpoint group
    from the start and sizes the duration plans announce."""

    @property
    def subscription(self) -> Subscription:
        """`limits` as a value."""
        return Subscription(self.limits)


class DriftSettings(Strict):
    """How `drift --incremental` relies on the tenant log."""

    log_retention_days: int = Field(default=30, ge=1, le=365)
    """How many days the tenant keeps its log (it depends on the plan): a checkpoint older
    than that is not trusted, and the check reads everything instead."""
    full_scan_days: int = Field(default=7, ge=1, le=365)
    """An incremental check reads everything instead when the last full read is older than
    this: a change the log does not show (a member who joined at login) is found within it."""


class Claims(Strict):
    """Settings of the generated post-login Action's custom claims."""

    namespace: Annotated[str, StringConstraints(pattern=r"^https://\S+$")]


class Invitations(Strict):
    """What invitations are sent with: the application and the inviter's name."""

    client_id: Annotated[str, StringConstraints(min_length=1)]
    inviter_name: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    connection: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = None
    """The connection invitees sign up with (by name); Auth0 chooses when absent."""
    ttl_sec: int = Field(default=0, ge=0, le=2_592_000)
    send_invitation_email: bool = True


AUTH0_PACKAGE_MAJOR = 7
"""The major version of the `auth0` npm package the generated Action is written for."""
AUTH0_PACKAGE_MIN_NODE = "20.19"
"""The oldest Node.js that package declares (`engines.node` of auth0 7.x)."""
OLD_RUNTIMES = ("node12", "node16", "node18")
"""Auth0's Action runtimes older than that."""
_VERSION = re.compile(rf"{AUTH0_PACKAGE_MAJOR}\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def _pinned_auth0_version(value: str) -> str:
    if not _VERSION.fullmatch(value):
        raise ValueError(
            f"must be an exact version {AUTH0_PACKAGE_MAJOR}.x.y of the auth0 npm package, "
            f"which the Action is written for (got {json.dumps(value)})"
        )
    return value


class ActionSettings(Strict):
    """The generated post-login Action that routes users into organizations at login.

    The `*_env` names are both the Action's secret names and the environment variables that
    hold their values when the Action is deployed; the values never appear in the files.
    """

    name: Annotated[str, StringConstraints(min_length=1, max_length=100)] = "org-routing"
    runtime: Literal["node22"] = "node22"
    """Auth0's Node.js runtime; node18 cannot run the pinned `auth0` package (7.x needs Node.js
    20.19 or newer)."""
    domain_env: EnvName = "ORG_ROUTING_DOMAIN"
    client_id_env: EnvName = "ORG_ROUTING_CLIENT_ID"
    client_secret_env: EnvName = "ORG_ROUTING_CLIENT_SECRET"
    auth0_version: Annotated[str, AfterValidator(_pinned_auth0_version)] = "7.1.0"
    """The exact version of the `auth0` npm package the Action depends on."""

    @field_validator("runtime", mode="before")
    @classmethod
    def _runtime_runs_the_package(cls, value: object) -> object:
        if value in OLD_RUNTIMES:
            raise ValueError(
                f"{value} cannot run the auth0 npm package {AUTH0_PACKAGE_MAJOR}.x the Action "
                f"depends on, which needs Node.js {AUTH0_PACKAGE_MIN_NODE} or newer: use node22"
            )
        return value

    @model_validator(mode="after")
    def _distinct_secrets(self) -> Self:
        if len(set(self.secret_names)) != len(self.secret_names):
            raise ValueError("domain_env, client_id_env and client_secret_env must differ")
        return self

    @property
    def secret_names(self) -> tuple[str, str, str]:
        """The Action's secrets: the tenant's domain, the client id and the client secret."""
        return (self.domain_env, self.client_id_env, self.client_secret_env)


class Tenant(Strict):
    """tenant.yaml: the target tenant and the policies for managing it."""

    domain: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    credentials: Credentials = Field(default_factory=Credentials)
    policy: Policy = Field(default_factory=Policy)
    rate_limit: RateLimit = Field(default_factory=RateLimit)
    claims: Claims | None = None
    invitations: Invitations | None = None
    action: ActionSettings | None = None
    drift: DriftSettings = Field(default_factory=DriftSettings)
    extends: Annotated[str, StringConstraints(min_length=1)] | None = None
    """The base directory whose files this tenant's extend, relative to this one's
    (`../_shared`)."""
    values: dict[ValueName, Value] = Field(default_factory=dict)
    """Values that `${values.NAME}` in the string fields of the tenant's files stand for."""

    @model_validator(mode="after")
    def _action_has_claims(self) -> Self:
        if self.action is not None and self.claims is None:
            raise ValueError('"action" needs "claims" with a namespace for the claims it sets')
        return self
