"""Plans as reviewers read them, against golden files (UPDATE_GOLDEN=1 rewrites them): the
headline that counts objects by kind, an organization's deletion with what goes with it,
the notes for what intentionally does not change, the quiet text plan and the PR comment
(parsed by a CommonMark renderer with GitHub's tables, to check its structure)."""

import json
import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from reconciler.engine.plan import Action
from reconciler.model.live import LiveDomain
from reconciler.render import PlanView, render_json, render_markdown, render_text
from reconciler.render.markdown import EXPANDED_LINES
from reconciler.render.notes import plan_notes
from reconciler.resources import diff
from reconciler.resources.deleted_contents import contents_rows, with_contents
from tests.unit.states import desired, live_org, role, snapshot

GOLDEN = Path(__file__).parent / "golden"
API = "https://api.example"
PRUNE = {
    "domain": "sandbox",
    "invitations": {"client_id": "app", "inviter_name": "Team"},
    "policy": {
        "prune_organizations": True,
        "approved_deletions": ["gamma"],
        "protected_organizations": ["internal-staff"],
    },
}


def matches_golden(name: str, output: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(output, encoding="utf-8")
    assert output == path.read_text(encoding="utf-8")


def offboarding_view() -> PlanView:
    """gamma's file is deleted (and its deletion approved); acme's admin role loses a
    permission and alice changes role."""
    want = desired(
        {
            "name": "acme-corp",
            "members": [{"email": "alice@acme.com", "roles": ["admin"]}],
        },
        roles={
            "admin": {"permissions": {API: ["read:reports"]}},
            "member": {},
        },
        tenant=PRUNE,
    )
    roles = {
        "admin": role("rol_admin", "admin", (API, "read:reports"), (API, "write:reports")),
        "member": role("rol_member", "member"),
    }
    gamma = live_org(
        {
            "name": "gamma",
            "connections": [{"name": "acme-azure-ad"}],
            "members": [
                {"user_id": "auth0|gus", "email": "gus@gamma.io"},
                {"user_id": "auth0|hal", "email": "hal@gamma.io"},
            ],
        },
        "org_gamma",
        role_ids={"auth0|gus": {"rol_admin": "admin"}},
        domains=[LiveDomain("dom_1", "gamma.io", "verified", True)],
        invitations=["ivy@gamma.io"],
        invitation_roles={"ivy@gamma.io": ("rol_member",)},
    )
    live = snapshot(
        live_org(
            {
                "name": "acme-corp",
                "members": [{"user_id": "auth0|alice", "email": "alice@acme.com"}],
            },
            role_ids={"auth0|alice": {"rol_member": "member"}},
        ),
        roles=roles,
        others={"gamma": "org_gamma", "internal-staff": "org_staff"},
    )
    plan = diff(want, live)
    plan = with_contents(plan, {"gamma": contents_rows(gamma, live)})
    policy = want.tenant.policy
    return PlanView(
        "test",
        "embedded sandbox",
        plan,
        read_calls=12,
        approved=("gamma",),
        notes=plan_notes(plan, policy),
    )


def notes_view() -> PlanView:
    """Nothing changes, for reasons a reviewer must see: a member routing keeps, blocks
    removed from a file, a rename without previous_names, a protected organization; and a
    pending discovery domain and invitation, which only --verbose shows."""
    want = desired(
        {
            "name": "acme-corp",
            "routing": {"email_domains": ["acme.com", "acme.io"]},
            "members": [{"email": "new.hire@acme.io", "invite": True}],
        },
        {"name": "beta-two", "display_name": "Beta"},
        tenant=PRUNE,
    )
    live = snapshot(
        live_org(
            {
                "name": "acme-corp",
                "members": [{"user_id": "auth0|erin", "email": "erin@acme.com"}],
            },
            domains=[
                LiveDomain("dom_1", "acme.com", "verified", True),
                LiveDomain("dom_2", "acme.io", "pending", True, "f00d", "_auth0-challenge.acme.io"),
            ],
            invitations=["new.hire@acme.io"],
        ),
        others={"beta": "org_beta", "internal-staff": "org_staff"},
    )
    plan = diff(want, live)
    notes = plan_notes(
        plan,
        want.tenant.policy,
        removed_blocks={"acme-corp": ("api_access", "description")},
        renamed={"beta-two": "beta"},
    )
    return PlanView("test", "embedded sandbox", plan, read_calls=7, notes=notes)


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("offboarding.txt", render_text),
        ("offboarding.md", render_markdown),
        ("offboarding.json", render_json),
    ],
)
def test_an_organization_deleted_lists_what_goes_with_it(name, render):
    matches_golden(name, render(offboarding_view()))


def test_the_headline_counts_every_object_the_deletion_takes():
    document = json.loads(render_json(offboarding_view()))
    assert document["summary"]["delete"] == 6  # gamma, 2 members, a connection, ...
    assert document["summary"]["kinds"]["member"] == {"update": 1, "delete": 2}
    assert render_text(offboarding_view()).splitlines()[-1] == (
        "Plan: 0 to add, 2 to change, 6 to destroy; 4 API calls."
    )


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("notes.txt", render_text),
        ("notes.verbose.txt", lambda v: render_text(v, verbose=True)),
        ("notes.md", render_markdown),
    ],
)
def test_what_intentionally_does_not_change_is_noted(name, render):
    matches_golden(name, render(notes_view()))


def test_the_quiet_text_plan_leaves_pending_rows_to_verbose():
    quiet, verbose = render_text(notes_view()), render_text(notes_view(), verbose=True)
    assert "discovery domain acme.io" not in quiet
    assert "invitation new.hire@acme.io" not in quiet
    assert "= member erin@acme.com" in quiet  # a note: shown either way
    assert "= discovery domain acme.io  (pending: publish TXT 'f00d'" in verbose


def test_a_protected_organization_in_no_file_says_it_is_protected():
    notes = notes_view().notes
    assert [n.note for n in notes if n.name == "internal-staff"] == [
        "protected by policy.protected_organizations: in no file, never deleted"
    ]


def test_only_blocks_that_leave_a_part_unmanaged_are_noted():
    texts = [n.note or "" for n in notes_view().notes if n.name == "acme-corp"]
    assert len(texts) == 1 and texts[0].startswith("api_access removed: now unmanaged")


# The PR comment, parsed as GitHub does (CommonMark with tables).

PARSER = MarkdownIt("commonmark").enable("table")


def structure(markdown: str) -> dict[str, list[str]]:
    tokens = PARSER.parse(markdown)
    html = [t.content.strip() for t in tokens if t.type == "html_block"]
    fences = [t for t in tokens if t.type == "fence"]
    return {
        "html": html,
        "fence_info": [t.info for t in fences],
        "fence_markers": sorted({line[0] for t in fences for line in t.content.splitlines()}),
        "tables": [t.type for t in tokens if t.type == "table_open"],
    }


def test_a_small_plan_comment_has_open_sections_of_coloured_diff_blocks():
    found = structure(render_markdown(offboarding_view()))
    assert found["tables"] == ["table_open"]
    assert found["fence_info"] == ["diff", "diff", "diff"]
    assert found["fence_markers"] == ["!", "+", "-"]  # what GitHub colours; no `~`
    opening = [h for h in found["html"] if h.startswith("<details")]
    assert len(opening) == 3 and all(h.startswith("<details open><summary>") for h in opening)
    assert found["html"].count("</details>") == 3
    rendered = PARSER.render(render_markdown(offboarding_view()))
    assert rendered.count("<details") == rendered.count("</details>") == 3


def test_a_large_plan_comment_collapses_its_sections():
    members = [{"email": f"user{i}@acme.com"} for i in range(EXPANDED_LINES + 1)]
    want = desired({"name": "acme-corp", "members": members}, tenant=PRUNE)
    live = snapshot(live_org({"name": "acme-corp", "members": []}))
    users = {m["email"]: f"auth0|{i}" for i, m in enumerate(members)}
    live.users_by_email.update(users)
    view = PlanView("test", "embedded sandbox", diff(want, live), read_calls=3)
    found = structure(render_markdown(view))
    opening = [h for h in found["html"] if h.startswith("<details")]
    assert opening == ["<details><summary>Organization acme-corp</summary>"]


def test_set_valued_fields_show_each_element_added_and_removed():
    lines = render_markdown(offboarding_view()).splitlines()
    assert f'-     permissions {API}: "write:reports"' in lines
    assert '+     roles: "admin"' in lines and '-     roles: "member"' in lines
    assert not any("->" in line for line in lines if "permissions" in line)


def test_notes_are_shown_in_the_comment_not_hidden():
    rendered = PARSER.render(render_markdown(notes_view()))
    assert "<blockquote>\n<p>[!NOTE]\nKept as they are (nothing changes):</p>\n<ul>" in rendered
    assert "<code>erin@acme.com</code> of <code>acme-corp</code>" in rendered
    assert "add previous_names: [beta] to its file" in rendered
    assert "api_access removed: now unmanaged" in rendered


def test_rows_of_a_deleted_organization_are_carried_out_by_its_deletion():
    plan = offboarding_view().plan
    gone = [r for r in plan.rows if r.org == "gamma"]
    assert [(r.action, str(r.kind), r.name) for r in gone] == [
        (Action.DELETE, "organization", "gamma"),
        (Action.DELETE, "member", "gus@gamma.io"),
        (Action.DELETE, "member", "hal@gamma.io"),
        (Action.DELETE, "connection", "acme-azure-ad"),
        (Action.DELETE, "discovery domain", "gamma.io"),
        (Action.DELETE, "invitation", "ivy@gamma.io"),
    ]
    delete = gone[0].operations
    assert all(r.operations == delete for r in gone)
