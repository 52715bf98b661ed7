"""The compact Markdown plan: a table, changed rows in sections (collapsed in a large plan),
the notes, GitHub's length limit."""

from dataclasses import replace

from reconciler.render import PlanView, render_markdown, render_text
from reconciler.resources import diff
from tests.unit.states import desired, live_org, snapshot
from tests.unit.test_render import example_view


def test_a_member_kept_by_routing_is_a_note_not_a_hidden_row():
    note = (
        "> - member <code>erin@acme.com</code> of <code>acme-corp</code> "
        "(admitted: email domain acme.com)"
    )
    for verbose in (False, True):
        output = render_markdown(example_view(), verbose=verbose)
        assert note in output.splitlines()
        assert "= member erin@acme.com" not in output  # a note, not a row of the diff


def test_each_organization_has_a_table_line_and_a_section_open_in_a_small_plan():
    output = render_markdown(example_view())
    assert "| <code>acme-corp</code> | 2 | 3 | 1 | 7 |" in output
    assert "<details open><summary>Organization acme-corp</summary>" in output


def big_view(orgs: int) -> PlanView:
    want = desired(
        *({"name": f"org-{i:04d}", "display_name": "A long display name " * 5} for i in range(orgs))
    )
    return PlanView("big", "embedded sandbox", diff(want, snapshot()), read_calls=1)


def test_a_plan_longer_than_a_comment_is_cut_with_a_note_and_the_table_kept():
    view = big_view(400)
    whole = render_markdown(view, limit=None)
    assert len(whole) > 65_536
    cut = render_markdown(view)
    assert len(cut) <= 65_536
    assert "| <code>org-0399</code> | 1 | 0 | 0 | 1 |" in cut
    assert "**Truncated** to fit 65,536 characters" in cut
    assert "<details><summary>Organization org-0000</summary>" in cut


def test_a_table_too_long_for_the_limit_says_how_many_lines_are_missing():
    cut = render_markdown(big_view(50), limit=2_000)
    assert len(cut) <= 2_000
    assert "more | | | | |" in cut


def test_safety_rail_refusals_are_a_warning_in_markdown_and_text():
    plan = diff(desired({"name": "acme"}), snapshot(live_org({"name": "acme"})))
    view = PlanView("t", "embedded sandbox", plan, 3, ("the plan deletes organizations: x",))
    assert "> [!WARNING]\n> Apply would refuse this plan:\n> - the plan deletes" in (
        render_markdown(view)
    )
    text = render_text(view)
    assert "Warning: apply would refuse this plan:\n  ! the plan deletes" in text
    assert text.splitlines()[-1] == "No changes."
    assert "Warning" not in render_text(replace(view, refusals=()))
