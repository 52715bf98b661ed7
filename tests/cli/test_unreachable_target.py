"""Failing to reach a target is one line naming it and the likely fix, exit 1, no traceback."""

import socket
from pathlib import Path

import pytest

from reconciler.sandbox import serving
from reconciler.sandbox.tls import ensure_certificates
from tests.cli.conftest import embedded_sandbox

pytestmark = pytest.mark.http


@pytest.fixture
def credentials(project, monkeypatch):
    sandbox = embedded_sandbox(project)
    monkeypatch.setenv("AUTH0_CLIENT_ID", sandbox.management_client.client_id)
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", sandbox.management_client.client_secret)
    return sandbox


def one_error_line(result) -> str:
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_refused(run, credentials):
    port = free_port()
    line = one_error_line(run("plan", "--domain", f"http://127.0.0.1:{port}"))
    assert line == (
        f"error: nothing listens at http://127.0.0.1:{port}; "
        "start it (reconciler sandbox serve) or check the port"
    )


def test_dns_failure(run, credentials, monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    line = one_error_line(run("plan", "--domain", "tenant.example"))
    assert line == "error: cannot resolve tenant.example; check the domain in tenant.yaml"


def test_tls_certificate_not_trusted(run, credentials, tmp_path):
    with serving(credentials, tls_dir=tmp_path / "tls") as base_url:
        line = one_error_line(run("plan", "--domain", base_url))
    assert line == (
        f"error: the TLS certificate of {base_url} is not trusted; for a private CA "
        "(a served sandbox's is .sandbox/tls/ca.pem) pass --ca-file PEM"
    )


def test_private_ca_is_trusted_with_ca_file(run, credentials, tmp_path):
    with serving(credentials, tls_dir=tmp_path / "tls") as base_url:
        result = run("plan", "--domain", base_url, "--ca-file", str(tmp_path / "tls" / "ca.pem"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("Plan: ")


def test_plain_http_against_a_tls_server(run, credentials, tmp_path):
    with serving(credentials, tls_dir=tmp_path / "tls") as base_url:
        plain = base_url.replace("https://", "http://")
        line = one_error_line(run("plan", "--domain", plain))
    assert line == f"error: {plain} closed the connection; if it serves TLS, use https://"


def test_https_against_a_plain_server(run, credentials):
    with serving(credentials) as base_url:
        secure = base_url.replace("http://", "https://")
        line = one_error_line(run("plan", "--domain", secure))
    assert line == (
        f"error: {secure} does not speak TLS; a sandbox served without --tls needs http://"
    )


def test_a_ca_file_that_is_not_pem_is_one_line(run, credentials, project):
    bad = Path(project / "not-a-ca.pem")
    bad.write_text("nope")
    line = one_error_line(run("plan", "--domain", "tenant.example", "--ca-file", str(bad)))
    assert line.startswith(f"error: --ca-file {bad}: not a readable PEM file")


def test_a_certificate_the_given_ca_file_did_not_sign_names_that_file(run, credentials, tmp_path):
    other = ensure_certificates(tmp_path / "other-ca").ca_cert
    with serving(credentials, tls_dir=tmp_path / "tls") as base_url:
        line = one_error_line(run("plan", "--domain", base_url, "--ca-file", str(other)))
    assert line == (
        f"error: the TLS certificate of {base_url} is not signed by the CA of --ca-file "
        f"{other}; pass the CA that signed it (a served sandbox's is .sandbox/tls/ca.pem)"
    )
