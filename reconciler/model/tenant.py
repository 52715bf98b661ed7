"""The tenant file: where the tenant is, how to reach it, and the safety policy."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from reconciler.model.common import OrgName, Strict

EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
MembersPolicy = Literal["exact", "additive"]
UnmanagedPolicy = Literal["report", "ignore"]


class Credentials(Strict):
    """Names of the environment variables holding client credentials (never the values)."""

    client_id_env: EnvName = "AUTH0_CLIENT_ID"
    client_secret_env: EnvName = "AUTH0_CLIENT_SECRET"


class Policy(Strict):
    """Safety rails checked for every plan before anything is applied."""

    prune_organizations: bool = False
    max_change_percent: float = Field(default=30, ge=0, le=100)
    protected_organizations: list[OrgName] = Field(default_factory=list)
    members: MembersPolicy = "exact"
    unmanaged_organizations: UnmanagedPolicy = "report"
    """Whether `drift` counts organizations that are in Auth0 but in no file."""


class RateLimit(Strict):
    """How much of the tenant's Management API rate limit the reconciler may use."""

    share: float = Field(default=0.5, gt=0, le=1)
    max_concurrency: int = Field(default=8, ge=1, le=64)


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


class Tenant(Strict):
    """tenant.yaml: the target tenant and the policies for managing it."""

    domain: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    credentials: Credentials = Field(default_factory=Credentials)
    policy: Policy = Field(default_factory=Policy)
    rate_limit: RateLimit = Field(default_factory=RateLimit)
    claims: Claims | None = None
    invitations: Invitations | None = None
