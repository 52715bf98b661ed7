"""Shards partition the organizations: each in exactly one, the same one every time."""

import pytest

from reconciler.core.shards import Shard, ShardError

NAMES = [f"org-{i:04d}" for i in range(1000)]


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_every_organization_is_in_exactly_one_shard(count):
    shards = [Shard(i, count) for i in range(1, count + 1)]
    for name in NAMES:
        assert sum(shard.holds(name) for shard in shards) == 1


def test_shards_are_roughly_even():
    sizes = [sum(Shard(i, 4).holds(n) for n in NAMES) for i in range(1, 5)]
    assert sum(sizes) == 1000
    assert min(sizes) > 200


@pytest.mark.parametrize("text", ["0/3", "4/3", "1-3", "a/b", "3"])
def test_a_malformed_shard_is_refused(text):
    with pytest.raises(ShardError):
        Shard.parse(text)


def test_a_shard_reads_as_it_was_written():
    assert str(Shard.parse("2/5")) == "2/5"
