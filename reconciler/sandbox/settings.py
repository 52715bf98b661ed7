"""Realism settings of a sandbox: rate limits, latency, faults and consistency."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .limits import LimitsName

DEFAULT_PORT = 4010
"""The port `reconciler sandbox serve` listens on unless told."""


class SandboxSettings(BaseModel):
    """Every fault is off unless set; behaviour follows Auth0 (its documented defaults and what
    its recordings show) unless set otherwise."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    rate_limit_rps: float | None = Field(
        default=None, gt=0, description="Token bucket refill per second; None: no limit."
    )
    rate_limit_burst: int = Field(default=10, ge=1, description="Token bucket size.")
    limits: LimitsName = Field(
        default="off",
        description="Auth0's limits of this subscription: a tenant-wide bucket and one per "
        "endpoint group; off: the single bucket of rate_limit_rps and rate_limit_burst.",
    )
    limits_speedup: float = Field(
        default=1,
        ge=1,
        description="The limits' buckets refill this many times faster, their "
        "x-ratelimit-reset in steps of 1/speedup second: Auth0's minutes compressed into "
        "seconds, for benchmarks (1: Auth0's own pace).",
    )
    latency_ms: float = Field(default=0, ge=0, description="Added to every /api/v2 request.")
    fail_rate: float = Field(
        default=0, ge=0, le=1, description="Probability of a 5xx (request not applied)."
    )
    fail_status: int = Field(default=503, ge=500, le=599, description="Status of injected 5xx.")
    drop_rate: float = Field(
        default=0, ge=0, le=1, description="Probability that the connection drops first."
    )
    lost_response_rate: float = Field(
        default=0,
        ge=0,
        le=1,
        description="Probability that a successful write is applied but its response is lost.",
    )
    member_lag_s: float = Field(
        default=0, ge=0, description="Seconds before member additions/removals show in lists."
    )
    member_batch_max: int = Field(
        default=10, ge=1, description="Most user ids in one add/remove members call."
    )
    metadata_patch: Literal["merge", "replace"] = Field(
        default="replace",
        description="How PATCH /organizations/{id} treats metadata: Auth0 replaces it whole.",
    )
    member_next_on_last_page: bool = Field(
        default=True,
        description="Member lists read by checkpoint carry `next` on their last non-empty page "
        "too, as Auth0's do (the end shows as an empty page); False: only while more follow.",
    )
    action_build_reads: int = Field(
        default=2,
        ge=0,
        description="Actions build asynchronously as in Auth0: a created or changed action is "
        "`pending`, `building` for this many reads minus one, then built (Auth0's recordings "
        "show one `building` read and up to four); 0: built at once.",
    )
    action_build_error: str | None = Field(
        default=None, description="When set, builds end `failed` with this message."
    )
    seed: int = Field(default=0, description="Seed of the fault generator.")
