"""Tenant files stay inside the tenant: links out, devices, FIFOs and huge files are refused
before they are read, and their content is never echoed; odd names are warned about."""

import os
from pathlib import Path

import pytest

from reconciler.config import tenant_files
from reconciler.config.errors import ConfigErrors
from reconciler.config.loader import load_tenant
from tests.config.tenant_files import write_tenant


def errors_of(directory: Path) -> list[str]:
    with pytest.raises(ConfigErrors) as raised:
        load_tenant(directory)
    return [str(error).replace(f"{directory}/", "") for error in raised.value.errors]


def test_a_link_to_a_file_outside_the_tenant_is_refused_unread(tmp_path):
    secret = tmp_path / "secrets.yaml"
    secret.write_text("name: topsecretvalue\n")
    tenant = write_tenant(tmp_path / "tenant", {})
    (tenant / "organizations").mkdir()
    (tenant / "organizations" / "stolen.yaml").symlink_to(secret)
    messages = errors_of(tenant)
    assert messages == [
        "organizations/stolen.yaml:1:1: is a link to a file outside the tenant directory: refused"
    ]
    assert "topsecretvalue" not in "".join(messages)


def test_a_link_inside_the_tenant_is_read(tmp_path):
    tenant = write_tenant(tmp_path, {"shared/acme.yaml": "name: acme\n"})
    (tenant / "organizations").mkdir()
    (tenant / "organizations" / "acme.yaml").symlink_to(tenant / "shared" / "acme.yaml")
    assert list(load_tenant(tenant).organizations) == ["acme"]


def test_a_device_is_refused_without_reading_it(tmp_path):
    tenant = write_tenant(tmp_path, {})
    (tenant / "organizations").mkdir()
    (tenant / "organizations" / "zero.yaml").symlink_to("/dev/zero")
    assert errors_of(tenant) == [
        "organizations/zero.yaml:1:1: is a link to a file outside the tenant directory: refused"
    ]


def test_a_fifo_is_refused_without_waiting_on_it(tmp_path):
    tenant = write_tenant(tmp_path, {})
    (tenant / "organizations").mkdir()
    os.mkfifo(tenant / "organizations" / "pipe.yaml")
    assert errors_of(tenant) == [
        "organizations/pipe.yaml:1:1: is not a regular file (a FIFO, device or directory): refused"
    ]


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(tenant_files, "MAX_FILE_BYTES", 1024)
    members = "".join(f"  - user_id: auth0|{i}\n" for i in range(100))
    tenant = write_tenant(tmp_path, {"organizations/big.yaml": f"name: big\nmembers:\n{members}"})
    assert errors_of(tenant) == [
        "organizations/big.yaml:1:1: is 2,209 bytes, more than the 1,024 a tenant file may have"
    ]


def test_more_members_than_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("reconciler.config.checks.MAX_MEMBERS", 3)
    files = {
        f"organizations/{n}.yaml": f"name: {n}\nmembers:\n  - user_id: a|{n}\n  - user_id: b|{n}\n"
        for n in ("one", "two")
    }
    messages = errors_of(write_tenant(tmp_path, files))
    assert messages == [
        "organizations/two.yaml:3:3: members: the tenant's files list more than 3 members in all: "
        "refused"
    ]


def test_odd_file_names_are_warned_about_not_skipped_silently(tmp_path):
    tenant = write_tenant(
        tmp_path,
        {
            "organizations/acme.yaml": "name: acme\n",
            "organizations/.hidden.yaml": "name: hidden\n",
            "organizations/X.YAML": "name: x\n",
            "organizations/...yaml": "name: dots\n",
            "organizations/notes.txt": "not yaml\n",
        },
    )
    desired = load_tenant(tenant)
    assert list(desired.organizations) == ["acme"]
    assert [w.replace(f"{tenant}/", "") for w in desired.warnings] == [
        "organizations/...yaml: skipped: names starting with . are not read",
        "organizations/.hidden.yaml: skipped: names starting with . are not read",
        "organizations/X.YAML: skipped: organization files end in .yaml or .yml (lowercase)",
    ]


SAML_ORG = """name: acme
enterprise_connections:
  acme-sso:
    strategy: samlp
    options:
      sign_in_endpoint: https://idp.acme.example/sso
      signing_cert_file: certs/acme.pem
"""
CERT_AT = "organizations/acme.yaml:7:26: enterprise_connections.acme-sso.options.signing_cert_file"


def test_a_signing_certificate_linked_outside_the_tenant_is_refused_unread(tmp_path):
    secret = tmp_path / "key.pem"
    secret.write_text("-----BEGIN PRIVATE KEY-----\ntopsecretvalue\n")
    tenant = write_tenant(tmp_path / "tenant", {"organizations/acme.yaml": SAML_ORG})
    (tenant / "certs").mkdir()
    (tenant / "certs" / "acme.pem").symlink_to(secret)
    messages = errors_of(tenant)
    assert messages == [f"{CERT_AT}: is a link to a file outside the tenant directory: refused"]
    assert "topsecretvalue" not in "".join(messages)


def test_a_signing_certificate_that_is_a_fifo_is_refused_without_waiting(tmp_path):
    tenant = write_tenant(tmp_path, {"organizations/acme.yaml": SAML_ORG})
    (tenant / "certs").mkdir()
    os.mkfifo(tenant / "certs" / "acme.pem")
    assert errors_of(tenant) == [
        f"{CERT_AT}: is not a regular file (a FIFO, device or directory): refused"
    ]


def test_a_signing_certificate_file_is_never_echoed_when_it_is_not_one(tmp_path):
    tenant = write_tenant(
        tmp_path,
        {"organizations/acme.yaml": SAML_ORG, "certs/acme.pem": "topsecretvalue\n"},
    )
    messages = errors_of(tenant)
    assert len(messages) == 1 and messages[0].startswith(f"{CERT_AT}: ")
    assert "topsecretvalue" not in "".join(messages)
