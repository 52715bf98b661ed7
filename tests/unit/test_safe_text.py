"""`inert` escapes every character that adds a line, moves the cursor, reorders text or shows
nothing, and redacts every secret the process holds, in whatever form text carries it."""

import json
import sys
import unicodedata

import pytest

from reconciler.render import render_json, render_markdown, render_text
from reconciler.safe_text import REDACTED, declare_public, hold_secret, inert, redact
from tests.unit.test_inert_output import plan_with_key

INVISIBLE = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space",
    "\u00ad": "soft hyphen",
    "\u180e": "Mongolian vowel separator",
    "\u2061": "function application",
    "\u034f": "combining grapheme joiner",
    "\u3164": "Hangul filler",
    "\ufe0f": "variation selector",
    "\U000e0041": "tag letter A",
    "\u061c": "Arabic letter mark",
    "\u2067": "right-to-left isolate",
}


@pytest.mark.parametrize("char", INVISIBLE, ids=INVISIBLE.values())
def test_invisible_and_bidi_characters_are_shown_as_escapes(char):
    shown = inert(f"admin{char}")
    assert char not in shown
    code = ord(char)
    assert shown == f"admin\\u{code:04x}" if code <= 0xFFFF else f"admin\\U{code:08x}"


def test_every_control_format_and_separator_character_is_escaped():
    unsafe = "".join(
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs", "Zl", "Zp")
    )
    shown = inert(unsafe)
    assert shown.isascii()
    assert shown.isprintable()


def test_text_that_needs_no_escape_is_left_as_it_is():
    assert inert("Ünïcode Admin (billing) 管理者 ✓") == "Ünïcode Admin (billing) 管理者 ✓"


def test_a_held_secret_is_redacted_as_written_and_as_json_writes_it():
    secret = hold_secret('s3cr"et\\válue')
    assert redact(f"token {secret}!") == f"token {REDACTED}!"
    assert redact(json.dumps({"v": secret})) == f'{{"v": "{REDACTED}"}}'
    assert redact(json.dumps({"v": secret}, ensure_ascii=False)) == f'{{"v": "{REDACTED}"}}'
    assert inert(f"a {secret}\nb") == f"a {REDACTED}\\u000ab"


def test_a_secret_is_redacted_in_every_renderer():
    secret = hold_secret("management-client-secret-value")
    view = plan_with_key(f"key-{secret}")
    text, markdown, document = render_text(view), render_markdown(view), render_json(view)
    assert secret not in text + markdown + document
    assert f"metadata.key-{REDACTED} = " in text
    assert "key-&#91;redacted&#93;" in markdown
    assert f'"after": "key-{REDACTED}"' in document


def test_empty_values_are_not_secrets():
    hold_secret("")
    assert redact("nothing to hide") == "nothing to hide"


def test_the_targets_own_host_is_never_redacted_though_the_action_holds_it_as_a_secret():
    declare_public("projectmanager.eu.auth0.com")
    hold_secret("projectmanager.eu.auth0.com")
    hold_secret("the-client-secret")
    assert redact("projectmanager.eu.auth0.com: the-client-secret") == (
        f"projectmanager.eu.auth0.com: {REDACTED}"
    )
