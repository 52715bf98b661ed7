"""One apply per tenant and target on a machine, whichever directory it runs in: the lock is a
file named from the tenant and the target in one folder per user account."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reconciler.auth0.target import resolve_target
from reconciler.config.tenant_id import TenantId
from reconciler.core.apply_lock import (
    ApplyLock,
    ApplyLocked,
    LockFolderUnsafe,
    apply_lock,
    lock_folder,
)

TENANT = resolve_target("acme.eu.auth0.com")
SANDBOX = resolve_target("sandbox")


@pytest.fixture(autouse=True)
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "run"
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    return folder


def test_applies_from_two_working_directories_share_one_lock(tmp_path, runtime, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    first = apply_lock(TenantId("example"), TENANT)
    monkeypatch.chdir(tmp_path / "b")
    second = apply_lock(TenantId("example"), TENANT)
    assert (
        first.path
        == second.path
        == runtime / "auth0-org-reconciler" / ("example@https___acme.eu.auth0.com.lock")
    )
    with (
        first.held(),
        pytest.raises(
            ApplyLocked,
            match=rf"^another apply of tenant example on https://acme.eu.auth0.com is running "
            rf"on this machine \(pid {os.getpid()}, lock ",
        ),
        second.held(),
    ):
        pass
    with second.held():
        pass


def test_other_tenants_and_targets_do_not_wait(tmp_path):
    with (
        apply_lock(TenantId("example"), TENANT).held(),
        apply_lock(TenantId("other"), TENANT).held(),
        apply_lock(TenantId("example"), resolve_target("http://127.0.0.1:8443")).held(),
    ):
        pass


def test_each_directory_has_its_own_embedded_sandbox_and_lock(tmp_path):
    first = apply_lock(TenantId("example"), SANDBOX, tmp_path / "a" / ".sandbox")
    second = apply_lock(TenantId("example"), SANDBOX, tmp_path / "b" / ".sandbox")
    assert first.path != second.path
    assert first.path.name.startswith("example@embedded-sandbox-")
    with first.held(), second.held():
        pass


def test_the_lock_of_a_killed_apply_is_free_at_once(tmp_path):
    lock = apply_lock(TenantId("example"), TENANT)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from reconciler.auth0.target import resolve_target\n"
            "from reconciler.config.tenant_id import TenantId\n"
            "from reconciler.core.apply_lock import apply_lock\n"
            "with apply_lock(TenantId('example'), resolve_target('acme.eu.auth0.com')).held():\n"
            "    print('held', flush=True)\n"
            "    time.sleep(600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(ApplyLocked, match=rf"\(pid {holder.pid}, lock "), lock.held():
            pass
    finally:
        holder.kill()
        holder.wait()
    with lock.held():
        pass


def test_without_a_runtime_folder_locks_go_to_the_temporary_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    assert lock_folder() == tmp_path / f"auth0-org-reconciler-{os.getuid()}"


def test_a_lock_folder_others_may_write_to_or_a_link_is_refused(tmp_path, runtime):
    lock = ApplyLock(TenantId("example"), "https://acme.eu.auth0.com", "https://acme.eu.auth0.com")
    folder = lock.path.parent
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    with pytest.raises(LockFolderUnsafe, match="only it may write to"), lock.held():
        pass
    folder.rmdir()
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    folder.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(LockFolderUnsafe, match="a link"), lock.held():
        pass
    assert list((tmp_path / "elsewhere").iterdir()) == []
    folder.unlink()
    with lock.held():
        assert folder.stat().st_mode & 0o777 == 0o700
