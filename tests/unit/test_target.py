"""Resolving `domain` into a target."""

import pytest

from reconciler.auth0.target import TargetError, TargetKind, resolve_target


def test_sandbox_is_the_embedded_target():
    assert resolve_target("sandbox").kind is TargetKind.SANDBOX


def test_plain_http_is_accepted_for_loopback():
    target = resolve_target("http://127.0.0.1:8484")
    assert target.kind is TargetKind.LOOPBACK
    assert target.api_url == "http://127.0.0.1:8484/api/v2"


def test_bare_domain_is_a_real_tenant_over_https():
    target = resolve_target("acme.eu.auth0.com")
    assert (target.kind, target.origin) == (TargetKind.TENANT, "https://acme.eu.auth0.com")


def test_plain_http_to_another_host_is_refused():
    with pytest.raises(TargetError, match="only for loopback"):
        resolve_target("http://10.0.0.5:8080")
