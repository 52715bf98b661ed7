"""Splitting a tenant's organizations into shards for parallel jobs: a stable hash of the name
picks the shard, so every organization (managed or not) belongs to exactly one."""

import hashlib
from dataclasses import dataclass


class ShardError(ValueError):
    """A shard that is not `I/N` with 1 <= I <= N."""


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        """`2/5` -> Shard(2, 5)."""
        index, slash, count = text.partition("/")
        try:
            shard = cls(int(index), int(count))
        except ValueError:
            raise ShardError(f"--shard {text}: write I/N, e.g. 1/4") from None
        if not slash or not 1 <= shard.index <= shard.count:
            raise ShardError(f"--shard {text}: I must be between 1 and N")
        return shard

    def holds(self, name: str) -> bool:
        """Whether the organization of this name belongs to this shard."""
        digest = hashlib.sha256(name.encode()).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
