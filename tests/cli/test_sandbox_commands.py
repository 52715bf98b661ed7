"""`reconciler sandbox serve` and `reset`: tenants by name or path, one-line errors, exit 1."""

import socket

import pytest

from reconciler.sandbox.server import check_host
from tests.cli.conftest import embedded_sandbox


def test_serve_refuses_other_hosts(run):
    result = run("sandbox", "serve", "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: refusing to listen on 0.0.0.0")


def test_serve_checks_settings(run):
    result = run("sandbox", "serve", "--fail-rate", "2")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "fail_rate" in result.stderr


def test_serve_on_a_busy_port_is_one_line(run):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("sandbox", "serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot listen on 127.0.0.1:{port} (Address already in use): "
        "another program uses it; pick another with --port\n"
    )


def test_serve_takes_a_tenant_directory_path(run, project):
    result = run("sandbox", "serve", "--tenant", str(project / "nowhere"))
    assert result.exit_code == 1
    assert result.stderr == f"error: tenant directory {project / 'nowhere'} does not exist\n"
    bare = project / "bare"
    bare.mkdir()
    result = run("sandbox", "serve", "--tenant", str(bare))
    assert result.stderr == (
        f"error: {bare / 'sandbox.yaml'} does not exist: the sandbox's world is described there\n"
    )


def test_reset_rebuilds_the_embedded_state_from_the_world_and_keeps_the_ca(run, project):
    assert run("apply", "--yes").exit_code == 0
    ca = project / ".sandbox" / "tls" / "ca.pem"
    ca.parent.mkdir(parents=True)
    ca.write_text("kept")
    result = run("sandbox", "reset", "--tenant", "tenants/example")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "reset the embedded sandbox of example from sandbox.yaml\n"
    assert embedded_sandbox(project).store.state.organizations == {}
    assert ca.read_text() == "kept"


def test_loopback_hosts() -> None:
    for host in ("127.0.0.1", "localhost", "::1"):
        check_host(host)
    check_host("0.0.0.0", unsafe_listen=True)
    with pytest.raises(ValueError):
        check_host("192.168.1.10")


def test_serve_takes_a_subscription_of_limits(run):
    result = run("sandbox", "serve", "--limits", "gold")
    assert result.exit_code == 1
    assert "'gold' is not one of 'off', 'free', 'professional', 'enterprise'" in result.stderr
