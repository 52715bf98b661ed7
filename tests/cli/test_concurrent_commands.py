"""Two processes on one tenant: the embedded sandbox's state is held by one at a time, so no
process loses another's writes; a second apply on the same target is refused, not doubled."""

import os
from pathlib import Path

from reconciler.auth0.target import resolve_target
from reconciler.config.tenant_id import TenantId
from reconciler.core.apply_lock import apply_lock
from tests.cli.conftest import edit, embedded_sandbox, start

ORGS = Path("tenants/example/organizations")


def test_two_applies_of_different_orgs_at_once_keep_both(run, project):
    run("apply", "--yes")
    edit(project, f"{ORGS}/acme-corp.yaml", "display_name: Acme Corp", "display_name: Acme Inc")
    edit(project, f"{ORGS}/beta-llc.yaml", "display_name: Beta LLC", "display_name: Beta GmbH")
    first = start(project, "apply", "--yes", "--org", "acme-corp")
    second = start(project, "apply", "--yes", "--org", "beta-llc")
    outcomes = [process.communicate(timeout=60) for process in (first, second)]
    codes = [first.returncode, second.returncode]
    assert codes == [0, 0], outcomes
    store = embedded_sandbox(project).store
    assert store.organization_by_name("acme-corp").display_name == "Acme Inc"
    assert store.organization_by_name("beta-llc").display_name == "Beta GmbH"


def test_a_second_apply_of_the_same_tenant_never_sends_an_invitation_twice(run, project):
    first = start(project, "apply", "--yes")
    second = start(project, "apply", "--yes")
    for process in (first, second):
        process.communicate(timeout=60)
    assert run("plan").stdout.splitlines()[-1] == "No changes."
    org = embedded_sandbox(project).store.organization_by_name("acme-corp")
    invited = [i["invitee"]["email"] for i in org.invitations.values()]
    assert invited == ["new.hire@acme.com"]


def test_an_apply_while_another_holds_the_tenant_is_refused_before_it_writes(run, project):
    held = apply_lock(TenantId("example"), resolve_target("sandbox"), project / ".sandbox")
    with held.held():
        second = start(project, "apply", "--yes")
        out, err = second.communicate(timeout=60)
    assert (second.returncode, out) == (1, "")
    assert err.startswith(
        "error: another apply of tenant example on embedded sandbox is running on this machine "
        f"(pid {os.getpid()}, lock "
    )
    assert embedded_sandbox(project).store.state.organizations == {}
    assert run("apply", "--yes").stdout.splitlines()[-1] == "Verified: Auth0 matches the files."
