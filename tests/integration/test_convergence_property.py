"""Property: for random desired and live states, one apply converges and a second writes nothing."""

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.core.service import Reconciler
from reconciler.core.targets import connect
from reconciler.model import Organization
from reconciler.sandbox import OrgConnection
from tests.integration.tenants import generate

USERS = 6
CONNECTIONS = ["Username-Password-Authentication", "corp-ad", "partner-okta"]
FLAGS = ("assign_membership_on_login", "show_as_button", "is_signup_enabled")

flags = st.fixed_dictionaries({}, optional={f: st.booleans() for f in FLAGS})
connection_sets = st.lists(st.sampled_from(CONNECTIONS), unique=True, max_size=3)
member_sets = st.lists(st.integers(0, USERS - 1), unique=True, max_size=USERS)
role_choice = st.sampled_from([None, [], ["member"], ["admin"], ["admin", "member"]])
metadata = st.dictionaries(st.sampled_from(["tier", "region", "plan"]), st.sampled_from(["a", "b"]))


@st.composite
def org_states(draw: st.DrawFn) -> tuple[dict, dict]:
    """A live organization (or none) and the desired one."""
    live = draw(
        st.none()
        | st.fixed_dictionaries(
            {
                "display_name": st.sampled_from(["Old", "New"]),
                "metadata": metadata,
                "connections": connection_sets,
                "members": st.dictionaries(st.integers(0, USERS - 1), role_choice),
            }
        )
    )
    connections = draw(connection_sets)
    wanted = {
        "display_name": draw(st.sampled_from(["Old", "New"])),
        "metadata": draw(metadata),
        "connections": [{"name": c, **allowed(c, draw(flags))} for c in connections],
        "members": [(i, draw(role_choice)) for i in draw(member_sets)],
    }
    return live, wanted


def allowed(connection: str, chosen: dict[str, bool]) -> dict[str, bool]:
    """The flags as Auth0 allows them: signup only on the database connection, with
    auto-membership."""
    if connection == CONNECTIONS[0] and chosen.get("assign_membership_on_login"):
        return chosen
    return {flag: value for flag, value in chosen.items() if flag != "is_signup_enabled"}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(states=st.lists(org_states(), min_size=1, max_size=2))
def test_random_states_converge_in_one_apply(states):
    asyncio.run(converge(states))


async def converge(states) -> None:
    tenant = generate(orgs=0, members=USERS)
    store = tenant.sandbox.store
    roles = {r.name: r.id for r in store.state.roles.values()}
    for index, (live, wanted) in enumerate(states):
        name = f"org-{index}"
        if live is not None:
            links = [OrgConnection(store.connection_by_name(c)["id"]) for c in live["connections"]]
            org = store.create_organization(
                name, live["display_name"], metadata=live["metadata"], enabled_connections=links
            )
            users = {tenant.user_ids[i]: r for i, r in live["members"].items()}
            store.add_members(org.id, list(users))
            for user_id, role_names in users.items():
                if role_names:
                    store.assign_member_roles(org.id, user_id, [roles[r] for r in role_names])
        members = [
            {"user_id": tenant.user_ids[i], **({} if r is None else {"roles": r})}
            for i, r in wanted["members"]
        ]
        tenant.desired.organizations[name] = Organization.model_validate(
            {"name": name, **wanted, "members": members}
        )
    async with connect(tenant.desired, sandbox=tenant.sandbox) as session:
        planned = await Reconciler(session, tenant.desired).plan()
        result = await Reconciler(session, tenant.desired).apply(planned)
        assert result.report.ok, [r.line() for r in result.report.failed]
        assert result.converged, result.remaining.rows
        tenant.sandbox.reset_calls()
        again = (await Reconciler(session, tenant.desired).plan()).plan
    assert again.operations == ()
    assert [c for c in tenant.sandbox.api_calls() if c.method != "GET"] == []
