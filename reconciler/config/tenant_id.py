"""Which tenant a command works on."""

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TenantId:
    """A tenant's identity: its name, the name of its directory."""

    name: str

    @classmethod
    def of_directory(cls, directory: Path) -> "TenantId":
        """The tenant whose files are in `directory`."""
        return cls(Path(os.path.abspath(directory)).name)
