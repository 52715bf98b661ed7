"""An organization the plan deletes, against the sandbox: what goes with it is read (five
lists of that organization, nothing else) and listed as rows its one DELETE carries out."""

from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.engine.kinds import Kind
from reconciler.engine.plan import Action
from reconciler.progress import ProgressEvent
from reconciler.resources.deleted_contents import STAGE
from reconciler.sandbox import OrgConnection
from tests.integration.tenants import generate
from tests.integration.test_core import with_policy


def offboarded():
    """One managed organization and `gone-co`, in no file, with two members (one an admin), a
    connection, a discovery domain and a pending invitation."""
    tenant = generate(orgs=1, members=2)
    with_policy(tenant, prune_organizations=True, approved_deletions=["gone-co"])
    store = tenant.sandbox.store
    corp_ad = store.connection_by_name("corp-ad")
    assert corp_ad is not None
    gone = store.create_organization("gone-co", enabled_connections=[OrgConnection(corp_ad["id"])])
    store.add_members(gone.id, tenant.user_ids)
    admin = next(r for r in store.state.roles.values() if r.name == "admin")
    store.assign_member_roles(gone.id, tenant.user_ids[0], [admin.id])
    store.add_discovery_domain(gone.id, "gone.example", "verified", True)
    store.create_invitation(
        gone.id, inviter_name="Team", invitee_email="ivy@gone.example", client_id="gen-app"
    )
    return tenant, gone.id


async def test_a_deleted_organization_is_listed_with_what_goes_with_it():
    tenant, _ = offboarded()
    heard: list[ProgressEvent] = []
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        result = await Reconciler(session, tenant.desired, progress=heard.append).plan()
    rows = [(r.action, r.kind, r.name) for r in result.plan.rows if r.org == "gone-co"]
    users = tenant.sandbox.store.state.users
    first, second = sorted(users[u]["email"] for u in tenant.user_ids)
    assert rows == [
        (Action.DELETE, Kind.ORGANIZATION, "gone-co"),
        (Action.DELETE, Kind.MEMBER, first),
        (Action.DELETE, Kind.MEMBER, second),
        (Action.DELETE, Kind.CONNECTION, "corp-ad"),
        (Action.DELETE, Kind.DISCOVERY_DOMAIN, "gone.example"),
        (Action.DELETE, Kind.INVITATION, "ivy@gone.example"),
    ]
    (organization, admin, *_) = [r for r in result.plan.rows if r.org == "gone-co"]
    assert organization.note == "with 2 members, 1 connection, 1 discovery domain, 1 invitation"
    assert [(c.field, c.before) for c in admin.fields] == [("roles", ["admin"])]
    assert [op.method for op in result.plan.operations if op.org == "gone-co"] == ["DELETE"]
    assert ProgressEvent(STAGE, 1, 1) in heard


async def test_the_contents_take_five_reads_of_the_deleted_organization_only():
    tenant, gone_id = offboarded()
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        await Reconciler(session, tenant.desired).plan()
    reads = sorted(
        c.path.removeprefix(f"/api/v2/organizations/{gone_id}")
        for c in tenant.sandbox.api_calls()
        if c.method == "GET" and c.path.startswith(f"/api/v2/organizations/{gone_id}")
    )
    assert reads == [
        "/client-grants",
        "/discovery-domains",
        "/enabled_connections",
        "/invitations",
        "/members",
    ]


async def test_a_plan_that_deletes_nothing_reads_no_contents():
    tenant, gone_id = offboarded()
    with_policy(tenant, prune_organizations=False)
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        result = await Reconciler(session, tenant.desired).plan()
    assert result.plan.unmanaged_organizations == ("gone-co",)
    assert not [c for c in tenant.sandbox.api_calls() if gone_id in c.path]


async def test_the_contents_rows_are_applied_by_the_one_delete_and_verified_gone():
    tenant, gone_id = offboarded()
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        core = Reconciler(session, tenant.desired, verify_delays=())
        planned = await core.plan()
        tenant.sandbox.reset_calls()
        result = await core.apply(planned)
    writes = [(c.method, c.path) for c in tenant.sandbox.api_calls() if c.method != "GET"]
    assert writes == [("DELETE", f"/api/v2/organizations/{gone_id}")]
    assert result.converged and result.report.ok
