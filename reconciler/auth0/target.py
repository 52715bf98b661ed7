"""Where the Management API is: the embedded sandbox, a loopback test host, or a real tenant."""

import ipaddress
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from reconciler.auth0.errors import server_text
from reconciler.auth0.transport import DeadlineExceeded
from reconciler.safe_text import inert

SANDBOX = "sandbox"


class TargetKind(StrEnum):
    """The three kinds of target."""

    SANDBOX = "sandbox"
    LOOPBACK = "loopback"
    TENANT = "tenant"


class TargetError(Exception):
    """The domain cannot be used as a target."""


class TargetUnreachable(TargetError):
    """Nothing answered at the target: one line naming it and the likely fix."""


def unreachable(
    target: "Target", error: Exception, ca_file: Path | None = None
) -> TargetUnreachable:
    """What a failure to reach the target most likely means, and what to do about it;
    `ca_file` is the CA that `--ca-file` gave, if any."""
    text = " ".join(f"{type(e).__name__} {e}" for e in _chain(error))
    where = target.origin
    if isinstance(error, DeadlineExceeded):
        reason = f"{where} did not answer in time: {server_text(str(error))}"
    elif ("CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text) and ca_file:
        reason = (
            f"the TLS certificate of {where} is not signed by the CA of --ca-file {ca_file}; "
            "pass the CA that signed it (a served sandbox's is .sandbox/tls/ca.pem)"
        )
    elif "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        reason = (
            f"the TLS certificate of {where} is not trusted; for a private CA (a served "
            "sandbox's is .sandbox/tls/ca.pem) pass --ca-file PEM"
        )
    elif "WRONG_VERSION_NUMBER" in text or "wrong version number" in text:
        reason = f"{where} does not speak TLS; a sandbox served without --tls needs http://"
    elif "Name or service not known" in text or "getaddrinfo" in text or "nodename" in text:
        reason = f"cannot resolve {urlsplit(where).hostname}; check the domain in tenant.yaml"
    elif "ConnectionRefusedError" in text or "Connection refused" in text:
        reason = (
            f"nothing listens at {where}; start it (reconciler sandbox serve) or check the port"
        )
    elif where.startswith("http://") and isinstance(
        error, (httpx.RemoteProtocolError, httpx.ReadError)
    ):
        reason = f"{where} closed the connection; if it serves TLS, use https://"
    else:
        reason = f"cannot reach {where}: {type(error).__name__}: {server_text(str(error))}"
    return TargetUnreachable(inert(reason))


def _chain(error: BaseException) -> list[BaseException]:
    """The error and the ones it was raised from, outermost first."""
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


@dataclass(frozen=True)
class Target:
    """A resolved target: its kind, the origin requests go to, and a label for output."""

    kind: TargetKind
    origin: str

    @property
    def api_url(self) -> str:
        """Base URL of the Management API v2."""
        return f"{self.origin}/api/v2"

    @property
    def label(self) -> str:
        """How output names the target."""
        return "embedded sandbox" if self.kind is TargetKind.SANDBOX else self.origin


def resolve_target(domain: str) -> Target:
    """Turn `sandbox`, `http://127.0.0.1:PORT` or `acme.eu.auth0.com` into a Target.

    Plain http is accepted only for loopback addresses.
    """
    if domain == SANDBOX:
        return Target(TargetKind.SANDBOX, "https://sandbox.invalid")
    if "://" not in domain:
        host = domain.strip("/")
        if not host or "/" in host:
            raise TargetError(f"domain {domain!r} is not a host name")
        return Target(TargetKind.TENANT, f"https://{host}")
    parts = urlsplit(domain)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetError(f"domain {domain!r} must be a host name or an http(s) URL")
    origin = f"{parts.scheme}://{parts.netloc}"
    if _is_loopback(parts.hostname):
        return Target(TargetKind.LOOPBACK, origin)
    if parts.scheme == "http":
        raise TargetError(f"plain http is allowed only for loopback addresses, not {domain!r}")
    return Target(TargetKind.TENANT, origin)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
