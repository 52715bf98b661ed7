"""Progress of the phases that take seconds, against the sandbox: every user looked up and
every organization read is heard, with the counts the phase will reach."""

from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model import Organization
from reconciler.progress import ProgressEvent
from reconciler.resources.users import LOOKING_UP
from tests.integration.tenants import generate


async def test_each_user_looked_up_and_each_organization_read_is_heard():
    tenant = generate(orgs=2, members=1)
    emails = [f"new{i}@gen.example" for i in range(3)]
    for email in emails:
        tenant.sandbox.store.create_user(email)
    org = tenant.desired.organizations["org-0000"].model_dump(exclude_none=True)
    org["members"] += [{"email": email} for email in emails]
    tenant.desired.organizations["org-0000"] = Organization.model_validate(org)
    heard: list[ProgressEvent] = []
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        await Reconciler(session, tenant.desired, progress=heard.append).plan()
    lookups = [(e.done, e.total) for e in heard if e.stage == LOOKING_UP]
    reads = [(e.done, e.total) for e in heard if e.stage == "reading organizations"]
    assert lookups == [(1, 3), (2, 3), (3, 3)]
    assert reads == [(1, 2), (2, 2)]
