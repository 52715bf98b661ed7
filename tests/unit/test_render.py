"""The three renderers against golden files (UPDATE_GOLDEN=1 rewrites them)."""

import json
import os
from pathlib import Path

import pytest

from reconciler.render import PlanView, render_json, render_markdown, render_text, summary_line
from reconciler.resources import diff
from tests.unit.states import desired, live_org, role, snapshot

GOLDEN = Path(__file__).parent / "golden"


def example_view() -> PlanView:
    want = desired(
        {
            "name": "acme-corp",
            "display_name": "Acme Corp",
            "metadata": {"plan": "enterprise"},
            "connections": [{"name": "acme-azure-ad", "assign_membership_on_login": True}],
            "routing": {"email_domains": ["acme.com"]},
            "members": [
                {"email": "alice@acme.com", "roles": ["admin"]},
                {"user_id": "google-oauth2|1093", "roles": ["member"]},
            ],
        },
        {
            "name": "beta-llc",
            "display_name": "Beta LLC",
            "members": [{"email": "carol@beta.io", "roles": ["admin"]}],
        },
        roles={"admin": {"description": "Administrator"}, "member": {}},
    )
    live = snapshot(
        live_org(
            {
                "name": "acme-corp",
                "display_name": "ACME",
                "metadata": {"plan": "trial"},
                "connections": [{"name": "acme-azure-ad"}],
                "members": [
                    {"user_id": "auth0|alice", "email": "alice@acme.com"},
                    {"user_id": "auth0|erin", "email": "erin@acme.com"},
                    {"user_id": "auth0|mallory", "email": "mallory@evil.example"},
                ],
            },
            "org_acme",
        ),
        roles={"admin": role("rol_admin", "admin"), "member": role("rol_member", "member")},
        users={"carol@beta.io": "auth0|carol"},
        others={"internal-staff": "org_staff"},
    )
    return PlanView("example", "embedded sandbox", diff(want, live), read_calls=9)


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("plan.txt", render_text),
        ("plan.colour.txt", lambda v: render_text(v, colour=True)),
        ("plan.md", render_markdown),
        ("plan.json", render_json),
    ],
)
def test_renderer_matches_golden_file(name, render):
    output = render(example_view())
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(output, encoding="utf-8")
    assert output == path.read_text(encoding="utf-8")


def test_json_has_the_stable_top_level_keys():
    document = json.loads(render_json(example_view()))
    assert list(document) == [
        "tenant",
        "target",
        "summary",
        "read_calls",
        "organizations",
        "notes",
        "unmanaged_organizations",
        "operations",
        "refusals",
        "deletions",
    ]
    assert document["summary"] == {
        "create": 4,
        "update": 4,
        "delete": 1,
        "kinds": {
            "organization": {"create": 1, "update": 1},
            "member": {"create": 2, "update": 1, "delete": 1},
            "discovery domain": {"create": 1},
            "connection": {"update": 1},
            "role": {"update": 1},
        },
        "api_calls": 11,
    }


def test_summary_says_no_changes_for_an_empty_plan():
    plan = diff(desired({"name": "acme-corp"}), snapshot(live_org({"name": "acme-corp"})))
    assert summary_line(plan) == "No changes."
