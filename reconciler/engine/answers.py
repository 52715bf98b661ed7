"""Whether Auth0's answer to a write shows what was sent: the test that lets the verification
after an apply take a write's answer instead of reading the object again.

Auth0 leaves out of its answers what it holds at a default (and never returns secrets), so a
key sent and not answered is not a difference; a key answered with another value is.
"""

from collections import Counter
from typing import Any

from reconciler.engine.identity import Ref, SecretRef
from reconciler.engine.plan import JSON


def echoes(sent: JSON, answer: Any) -> bool:
    """Whether `answer` holds every value of `sent` that it answers: objects key by key,
    lists of objects item by item (each sent item shown by some answered one), other lists
    as multisets. References and secrets are not compared (their values are not in the plan).
    """
    if isinstance(sent, Ref | SecretRef):
        return True
    if isinstance(sent, dict):
        if not isinstance(answer, dict):
            return False
        return all(echoes(value, answer[key]) for key, value in sent.items() if key in answer)
    if isinstance(sent, list):
        if not isinstance(answer, list):
            return False
        if any(isinstance(item, dict | list | Ref | SecretRef) for item in sent):
            return all(any(echoes(item, got) for got in answer) for item in sent)
        return _multiset(sent) == _multiset(answer)
    if isinstance(sent, bool) or isinstance(answer, bool):
        return sent is answer
    return bool(sent == answer)


def _multiset(items: list[Any]) -> Counter[str]:
    return Counter(repr(item) for item in items)
