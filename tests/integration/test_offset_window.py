"""Lists Auth0 pages only by number end at the 1,000th record: the reader reads up to there
and stops with one error naming the call when the list may go on; it never plans on a cut
list. Invitations are such a list (Auth0 offers no checkpoint paging and no total for them)."""

from dataclasses import replace

import pytest

from reconciler.auth0.errors import ApiCallError
from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model import Invitations, Member
from tests.integration.tenants import generate


def _with_pending_invitations(count: int):
    tenant = generate(orgs=1, members=1)
    store = tenant.sandbox.store
    org = next(iter(store.state.organizations.values()))
    for number in range(count):
        store.create_invitation(
            org.id, inviter_name="Team", invitee_email=f"p{number}@gen.example", client_id="gen-app"
        )
    described = tenant.desired.organizations["org-0000"]
    members = [*(described.members or []), Member(email="new@gen.example", invite=True)]
    organizations = {"org-0000": described.model_copy(update={"members": members})}
    settings = Invitations(client_id="gen-app", inviter_name="Team")
    desired = replace(
        tenant.desired,
        organizations=organizations,
        tenant=tenant.desired.tenant.model_copy(update={"invitations": settings}),
    )
    tenant.sandbox.reset_calls()
    return tenant, desired, org.id


def _invitation_reads(tenant, org_id: str) -> list[str]:
    path = f"/api/v2/organizations/{org_id}/invitations"
    return [c.query for c in tenant.sandbox.api_calls() if c.method == "GET" and c.path == path]


async def test_999_pending_invitations_are_read_in_10_pages():
    tenant, desired, org_id = _with_pending_invitations(999)
    async with connect(desired, sandbox=tenant.sandbox) as session:
        result = await Reconciler(session, desired).plan()
    assert len(_invitation_reads(tenant, org_id)) == 10
    assert len(result.live.organizations["org-0000"].invitations or {}) == 999


async def test_1000_pending_invitations_stop_the_plan_after_10_pages():
    tenant, desired, org_id = _with_pending_invitations(1000)
    async with connect(desired, sandbox=tenant.sandbox) as session:
        with pytest.raises(ApiCallError) as stopped:
            await Reconciler(session, desired).plan()
    assert len(_invitation_reads(tenant, org_id)) == 10
    assert all(c.status == 200 for c in tenant.sandbox.api_calls())
    assert str(stopped.value) == (
        f"org-0000: GET /organizations/{org_id}/invitations: 1,000 records read and there may "
        "be more: Auth0 lists no further than the 1,000th with page/per_page, and a plan on a "
        "partial list could undo what it does not see"
    )
