"""Checking that the users member entries name exist: searched for in batches, and read by id
only where the search (eventually consistent at Auth0) does not find them."""

import asyncio
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

from reconciler.engine.endpoint import Endpoint
from reconciler.model.live import Snapshot
from reconciler.resources.reads import PageFetch
from reconciler.resources.resource import Reading, Stage
from reconciler.resources.scope import OrgScope, Scope
from reconciler.resources.users import USERS, by_user_id


class FakeUsers:
    """Users that exist, some of them not searchable yet (created moments ago)."""

    def __init__(self, existing: set[str], unindexed: frozenset[str] = frozenset()) -> None:
        self.existing = existing
        self.unindexed = unindexed
        self.searches: list[str] = []
        self.gets: list[str] = []

    async def list(self, *, q: str, **_: Any) -> list[Any]:
        self.searches.append(q)
        listed = self.existing - self.unindexed
        return [SimpleNamespace(user_id=u) for u in sorted(listed) if f'"{u}"' in q]

    async def get(self, user_id: str, **_: Any) -> Any:
        self.gets.append(user_id)
        return SimpleNamespace(user_id=user_id) if user_id in self.existing else None


class FakeReads:
    """Reads answered by `FakeUsers`; a missing user is None, as `one_or_none` gives."""

    def __init__(self, users: FakeUsers) -> None:
        self.client = SimpleNamespace(users=users)

    async def one_or_none(
        self, endpoint: Endpoint, call: Callable[[], Awaitable[Any]], *params: str, **_: Any
    ) -> Any:
        return await call()

    async def pages(self, endpoint: Endpoint, fetch: PageFetch, *params: str, **_: Any) -> Any:
        return await fetch(0)


def checked(user_ids: list[str], users: FakeUsers) -> dict[str, bool]:
    org = OrgScope(("acme",), True, False, False, (), (), user_ids=tuple(user_ids))
    scope = Scope({"acme": org}, False, frozenset({"acme"}), frozenset(), frozenset(), False, False)
    reading = Reading(FakeReads(users), scope, Snapshot())  # type: ignore[arg-type]
    asyncio.run(USERS.read(Stage.MEMBERS_KNOWN, reading))
    return reading.snapshot.users_by_id


def test_many_user_ids_are_searched_fifty_at_a_time() -> None:
    ids = [f"auth0|{n:03}" for n in range(120)]
    users = FakeUsers(set(ids))
    assert checked(ids, users) == dict.fromkeys(ids, True)
    assert len(users.searches) == 3 and users.gets == []
    assert users.searches[0] == by_user_id(sorted(ids)[:50])


def test_a_user_the_search_does_not_find_yet_is_read_by_id() -> None:
    users = FakeUsers({"auth0|a", "auth0|b"}, unindexed=frozenset({"auth0|b"}))
    assert checked(["auth0|a", "auth0|b"], users) == {"auth0|a": True, "auth0|b": True}
    assert users.gets == ["auth0|b"]


def test_a_missing_user_is_missing_only_after_a_read_by_id() -> None:
    users = FakeUsers({"auth0|a"})
    assert checked(["auth0|a", "auth0|gone"], users) == {"auth0|a": True, "auth0|gone": False}
    assert len(users.searches) == 1 and users.gets == ["auth0|gone"]


def test_one_user_id_is_read_by_id_without_a_search() -> None:
    users = FakeUsers({"auth0|a"})
    assert checked(["auth0|a"], users) == {"auth0|a": True}
    assert users.searches == [] and users.gets == ["auth0|a"]


def test_quotes_and_backslashes_in_an_id_are_escaped_in_the_query() -> None:
    assert by_user_id(['odd|a"b\\c', "auth0|x"]) == 'user_id:"odd|a\\"b\\\\c" OR user_id:"auth0|x"'
