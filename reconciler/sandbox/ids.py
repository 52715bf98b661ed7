"""Auth0-shaped identifiers drawn from a seeded random generator."""

from __future__ import annotations

import random
import string
import uuid
from typing import Any

_ALNUM = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"


class IdFactory:
    """Generates ids such as ``org_`` + 16 alphanumerics, deterministic for a given seed."""

    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)

    def _pick(self, alphabet: str, length: int) -> str:
        return "".join(self._rng.choices(alphabet, k=length))

    def prefixed(self, prefix: str, length: int = 16) -> str:
        """An id like ``org_AbC...``: the prefix followed by alphanumerics."""
        return prefix + self._pick(_ALNUM, length)

    def alnum(self, length: int) -> str:
        """A string of alphanumerics, as in client ids and ticket ids."""
        return self._pick(_ALNUM, length)

    def hex(self, length: int) -> str:
        """A lowercase hex string, as in database user ids and resource server ids."""
        return self._pick(_HEX, length)

    def uuid(self) -> str:
        """A version 4 UUID, as in action ids."""
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def get_state(self) -> list[Any]:
        """The generator's state as JSON-compatible data."""
        version, internal, gauss = self._rng.getstate()
        return [version, list(internal), gauss]

    def set_state(self, state: list[Any]) -> None:
        """Restore a state produced by :meth:`get_state`."""
        version, internal, gauss = state
        self._rng.setstate((version, tuple(internal), gauss))
