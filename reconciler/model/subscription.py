"""The Auth0 subscription whose rate limits a tenant has."""

from enum import StrEnum
from typing import Literal

SubscriptionName = Literal["free", "professional", "enterprise"]
"""`rate_limit.limits` as tenant.yaml spells it."""


class Subscription(StrEnum):
    """Which of Auth0's published limits apply to a tenant."""

    FREE = "free"
    PROFESSIONAL = "professional"
    """Essentials, Professional and B2B (the former self-service page is folded into it)."""
    ENTERPRISE = "enterprise"


MOST_CONSERVATIVE: SubscriptionName = "free"
"""The subscription assumed when a tenant does not say."""
