"""Names, keys and values from the files or Auth0 are inert in every renderer: they cannot
forge plan lines, send terminal controls, reorder text or break out of Markdown."""

import re

import pytest

from reconciler.render import PlanView, render_markdown, render_text
from reconciler.resources import diff
from tests.unit.states import desired, live_org, snapshot

HOSTILE = [
    "x\nNo changes.",
    "\x1b[2J\x1b[31mred",
    "\u202eesrever",
    "a```\n<!--",
    "</details><script>alert(1)</script>",
    "| pipe | [link](https://evil.example)",
]


def plan_with_key(key: str):
    want = desired({"name": "acme", "metadata": {key: key}})
    live = snapshot(live_org({"name": "acme", "metadata": {}}), others={key: "org_x"})
    return PlanView("test", "embedded sandbox", diff(want, live), 3)


@pytest.mark.parametrize("key", HOSTILE)
def test_text_shows_hostile_keys_as_escapes(key):
    text = render_text(plan_with_key(key))
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text)
    assert "No changes." not in text.splitlines()  # no forged line
    assert text.splitlines()[-1].startswith("Plan: ")


@pytest.mark.parametrize("key", HOSTILE)
def test_markdown_cannot_be_closed_or_opened_by_a_value(key):
    document = render_markdown(plan_with_key(key))
    fences = re.findall(r"^(`{3,})", document, re.M)
    assert len(fences) == 2 and fences[0] == fences[1]  # one block, opened and closed once
    fence = fences[0]
    outside = re.sub(rf"^{fence}diff\n.*?^{fence}$", "", document, flags=re.M | re.S)
    assert "<!--" not in outside and "<script>" not in outside
    assert len(re.findall("<details( open)?>", outside)) == outside.count("</details>") == 1
    assert "](https://evil.example)" not in outside
    assert "\u202e" not in document and "\x1b" not in document
