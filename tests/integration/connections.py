"""Enterprise connections added to generated tenants: a customer's SAML or Okta connection
declared in its organization file, with the certificate file it reads."""

import base64
from dataclasses import replace
from typing import Any

from reconciler.model import Organization
from reconciler.model.desired import Desired

CERT_FILE = "certs/acme.pem"
CUSTOMER = "acme"


def pem(seed: int) -> str:
    """A PEM certificate block whose content is DER-shaped (an ASN.1 sequence)."""
    der = b"\x30\x82\x01\x0a" + bytes((seed + i) % 256 for i in range(96))
    body = base64.b64encode(der).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def as_sent(text: str) -> str:
    """The certificate as the request carries it (the PEM file base64-encoded)."""
    return base64.b64encode(text.encode()).decode()


SAML = {
    "strategy": "samlp",
    "display_name": "Acme SSO",
    "options": {
        "sign_in_endpoint": "https://idp.acme.example/sso",
        "signing_cert_file": CERT_FILE,
        "domain_aliases": ["acme.example"],
    },
    "applications": ["App"],
    "link": {"assign_membership_on_login": True},
}


def with_customer(desired: Desired, connection: dict[str, Any], cert: str) -> Desired:
    """`desired` with the customer organization owning `connection` (named acme-sso)."""
    org = Organization.model_validate(
        {
            "name": CUSTOMER,
            "display_name": "Acme",
            "enterprise_connections": {"acme-sso": connection},
        }
    )
    return replace(
        desired,
        organizations={**desired.organizations, CUSTOMER: org},
        files={CERT_FILE: as_sent(cert)},
    )
