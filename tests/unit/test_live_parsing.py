"""Whatever Auth0 returns, within its own rules, parses into the live model and plans."""

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.engine import Action
from reconciler.resources import diff
from reconciler.resources.discovery_domains import live_domain
from reconciler.resources.members import live_member
from reconciler.resources.organization_connections import enabled_connection
from reconciler.resources.organizations import live_organization
from reconciler.resources.post_login import live_action, live_binding
from tests.unit.states import desired, snapshot

text = st.text(max_size=30)
maybe_text = st.none() | text
flag = st.none() | st.booleans()

roles = st.lists(
    st.builds(SimpleNamespace, id=st.sampled_from(["rol_a", "rol_b", "rol_c"]), name=maybe_text),
    max_size=4,
)
members = st.lists(
    st.builds(
        SimpleNamespace,
        user_id=st.text(min_size=1, max_size=20),
        email=maybe_text,
        name=maybe_text,
        roles=st.none() | roles,
    ),
    max_size=6,
)
fields = st.fixed_dictionaries(
    {"name": st.text(min_size=1, max_size=50)},
    optional={
        "display_name": maybe_text,
        "branding": st.dictionaries(text, text | st.dictionaries(text, text), max_size=3),
        "metadata": st.dictionaries(text, maybe_text, max_size=5),
        "token_quota": st.dictionaries(text, st.integers(), max_size=2),
        "third_party_client_access": maybe_text,
        "is_app_entitlement_active": flag,
    },
)
links = st.lists(
    st.builds(
        SimpleNamespace,
        connection_id=maybe_text,
        connection=st.none() | st.builds(SimpleNamespace, name=maybe_text),
        assign_membership_on_login=flag,
        show_as_button=flag,
        is_signup_enabled=flag,
    ),
    max_size=4,
)
domains = st.lists(
    st.builds(
        SimpleNamespace,
        id=maybe_text,
        domain=maybe_text,
        status=maybe_text,
        use_for_organization_discovery=flag,
        verification_txt=maybe_text,
        verification_host=maybe_text,
    ),
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(fields=fields, members=members, links=links, domains=domains)
def test_any_live_organization_parses_and_plans(fields, members, links, domains):
    live = live_organization("org_1", fields)
    live.members = tuple(live_member(m) for m in members)
    live.connections = {c.name: c for c in map(enabled_connection, links) if c is not None}
    live.domains = {d.domain: d for d in map(live_domain, domains) if d is not None}
    live.name = "acme"
    want = desired(
        {
            "name": "acme",
            "display_name": "Acme",
            "metadata": {"plan": "gold"},
            "branding": {"colors": {"primary": "#000000"}},
            "connections": [{"name": "acme-azure-ad", "assign_membership_on_login": True}],
            "routing": {"email_domains": ["acme.com"]},
            "members": [{"user_id": "auth0|1", "roles": []}],
        }
    )
    plan = diff(want, snapshot(live))
    assert {row.org for row in plan.rows} == {"acme"}
    assert Action.CREATE not in {row.action for row in plan.rows if row.kind == "organization"}


def test_a_member_holding_two_roles_of_one_name_keeps_both():
    item = SimpleNamespace(
        user_id="auth0|1",
        email="not an email",
        name=None,
        roles=[
            SimpleNamespace(id="rol_t", name="admin"),
            SimpleNamespace(id="rol_o", name="admin"),
        ],
    )
    member = live_member(item)
    assert member.role_ids == {"rol_t": "admin", "rol_o": "admin"}
    assert member.email == "not an email"


def test_an_action_and_its_bindings_parse_with_any_part_missing():
    bare = SimpleNamespace(id="act_1")
    action = live_action(bare)
    assert action is not None
    assert (action.name, action.deployed) == ("", None)
    assert action.draft.code == "" and action.draft.secret_names == frozenset()
    odd = SimpleNamespace(
        id="act_2",
        name="org-routing",
        code="x",
        runtime=None,
        dependencies=[
            SimpleNamespace(name="auth0", version=None),
            SimpleNamespace(name="a", version="1"),
        ],
        secrets=[SimpleNamespace(name=None), SimpleNamespace(name="S")],
        deployed_version=SimpleNamespace(code="y"),
    )
    parsed = live_action(odd)
    assert parsed is not None
    assert parsed.draft.dependencies == frozenset({("a", "1")})
    assert parsed.draft.secret_names == frozenset({"S"})
    assert parsed.deployed is not None and parsed.deployed.code == "y"
    assert live_action(SimpleNamespace(name="no id")) is None
    assert live_binding(SimpleNamespace(id=None)) is None
    binding = live_binding(SimpleNamespace(id="b", action=None))
    assert binding is not None and (binding.action_id, binding.action_name) == (None, None)


def test_an_action_s_build_status_is_read_leniently():
    def status(value: object) -> bool:
        parsed = live_action(SimpleNamespace(id="act_1", status=value))
        assert parsed is not None
        return parsed.draft_built

    assert [status(v) for v in ("built", "BUILT", None, "")] == [True] * 4
    assert [status(v) for v in ("failed", "building", "pending", "retrying")] == [False] * 4


def test_a_binding_embedding_auth0_s_action_summary_parses():
    summary = SimpleNamespace(
        id="act_1",
        name="org-routing",
        current_version=SimpleNamespace(id="ver_1", status="BUILT"),
        all_changes_deployed=False,
    )
    binding = live_binding(SimpleNamespace(id="b", action=summary, display_name="org-routing"))
    assert binding is not None and (binding.action_id, binding.action_name) == (
        "act_1",
        "org-routing",
    )
