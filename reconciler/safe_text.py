"""Text from the files, from Auth0 or from any server, made safe to show: every secret value the
process holds redacted, and control, bidi and invisible characters escaped.

Secrets are held from the moment the process reads or receives them (the management client
secret, a bearer token, the post-login Action's secret values), so that no message built
later, whatever a server echoes into it, shows them.
"""

import json
import re

REDACTED = "[redacted]"

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\u2800\u3164\ud800-\udfff\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)
"""Control characters (line breaks and terminal escapes among them), the characters that
reorder text on screen (bidi marks, overrides and isolates), and those that show nothing:
zero-width spaces and joiners, format characters, fillers, variation selectors and tags."""

_held: dict[str, None] = {}
"""Every form in which a held secret may appear in text, longest first."""
_public: set[str] = set()
"""Values everyone knows, never redacted: the host of the target (the Action's domain secret
holds the tenant's domain, which output names anyway)."""


def declare_public(value: str) -> None:
    """Never treat `value` as a secret, even when it is also held as one."""
    _public.add(value)


def hold_secret(value: str) -> str:
    """Remember `value` as a secret of this process, so that `redact` removes it from any text
    from now on (as written, and as JSON writes it inside a string); returns `value`. A value
    declared public is not held."""
    if value and value not in _public:
        forms = {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
        everything = set(_held) | forms
        _held.clear()
        _held.update(dict.fromkeys(sorted(everything, key=lambda form: (-len(form), form))))
    return value


def forget_secrets() -> None:
    """Stop redacting the secrets held so far (a process that runs several commands)."""
    _held.clear()
    _public.clear()


def redact(text: str) -> str:
    """`text` with every secret the process holds replaced by `[redacted]`."""
    for secret in _held:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def inert(text: str) -> str:
    """Text from outside made safe to print: secrets redacted, and each control, bidi or
    invisible character shown as an escape, so that a name, key or message cannot add lines,
    move the cursor, reverse what follows or hide what it says."""
    return _UNSAFE.sub(_escape, redact(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
