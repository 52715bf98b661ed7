"""Users, looked up only for members that are not members yet: by email (once each, to add
them by user id or to invite them) and by user id (to check that they exist: searched for 50
at a time, and each one the search does not find read by id)."""

import asyncio

from reconciler.engine.endpoints import ENDPOINTS
from reconciler.model.live import Snapshot
from reconciler.progress import Progress, ProgressEvent
from reconciler.resources.reads import PAGE
from reconciler.resources.resource import Reading, Resource, Stage
from reconciler.resources.scope import Scope
from reconciler.resources.what_to_read import live_of

LOOKING_UP = "looking up users"
"""The progress stage of the look-ups."""
IDS_PER_SEARCH = 50
"""User ids per search query: about 2.5 KB of query, within any URL's length, and one page
of results (100 at most)."""


def emails_to_look_up(scope: Scope, snapshot: Snapshot) -> list[str]:
    """The emails of listed members who are not members yet, once each."""
    missing: set[str] = set()
    for org_scope in scope.organizations.values():
        live = live_of(snapshot, org_scope)
        known = {m.email.lower() for m in (live.members or ()) if m.email} if live else set()
        missing.update(email for email in org_scope.emails if email not in known)
    return sorted(missing)


def user_ids_to_check(scope: Scope, snapshot: Snapshot) -> list[str]:
    """The user ids of listed members who are not members yet, once each."""
    unknown: set[str] = set()
    for org_scope in scope.organizations.values():
        live = live_of(snapshot, org_scope)
        members = {m.user_id for m in (live.members or ())} if live else set()
        unknown.update(u for u in org_scope.user_ids if u not in members)
    return sorted(unknown)


class Users(Resource):
    """The users that member entries name and the organization lacks."""

    name = "users"

    async def read(self, stage: Stage, reading: Reading) -> None:
        """Once every organization's members are known: the emails and ids they lack."""
        if stage is Stage.MEMBERS_KNOWN:
            emails = emails_to_look_up(reading.scope, reading.snapshot)
            ids = user_ids_to_check(reading.scope, reading.snapshot)
            heard = _Heard(reading.progress, len(emails) + len(ids))
            await asyncio.gather(
                _users_by_email(reading, emails, heard), _users_by_id(reading, ids, heard)
            )


class _Heard:
    """Counts the users looked up for the progress (one event each)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def one(self) -> None:
        """One more user looked up."""
        self.done += 1
        if self.progress is not None:
            self.progress(ProgressEvent(LOOKING_UP, self.done, self.total))


async def _users_by_email(reading: Reading, emails: list[str], heard: _Heard) -> None:
    api, snapshot = reading.api, reading.snapshot

    async def lookup(email: str) -> None:
        users = await api.one(
            ENDPOINTS.users_by_email,
            lambda: api.client.users.list_users_by_email(email=email, fields="user_id"),
        )
        ids = sorted(u.user_id for u in users if u.user_id)
        snapshot.users_by_email[email] = ids[0] if ids else None
        heard.one()

    await asyncio.gather(*(lookup(email) for email in emails))


async def _users_by_id(reading: Reading, user_ids: list[str], heard: _Heard) -> None:
    """Which of `user_ids` exist. From two ids on, a search finds them in fewer calls; Auth0's
    search is eventually consistent (a user created moments ago may be missing from it), so
    an id it does not find is read by id, which is immediately consistent."""
    snapshot = reading.snapshot
    found: set[str] = set()
    if len(user_ids) > 1:
        chunks = [user_ids[i : i + IDS_PER_SEARCH] for i in range(0, len(user_ids), IDS_PER_SEARCH)]
        found = found.union(*await asyncio.gather(*(_found(reading, c) for c in chunks)))
    for user_id in sorted(found):
        snapshot.users_by_id[user_id] = True
        heard.one()
    await _read_each(reading, [u for u in user_ids if u not in found], heard)


def by_user_id(user_ids: list[str]) -> str:
    """A search query for the users with these ids (Lucene phrases, quotes escaped)."""
    return " OR ".join(f'user_id:"{_phrase(u)}"' for u in user_ids)


def _phrase(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


async def _found(reading: Reading, user_ids: list[str]) -> set[str]:
    """Which of `user_ids` one search finds."""
    api = reading.api
    query = by_user_id(user_ids)
    users = await api.pages(
        ENDPOINTS.search_users,
        lambda page: api.client.users.list(
            q=query,
            search_engine="v3",
            fields="user_id",
            include_fields=True,
            page=page,
            per_page=PAGE,
        ),
    )
    return set(user_ids) & {user.user_id for user in users}


async def _read_each(reading: Reading, user_ids: list[str], heard: _Heard) -> None:
    api, snapshot = reading.api, reading.snapshot

    async def lookup(user_id: str) -> None:
        user = await api.one_or_none(
            ENDPOINTS.get_user,
            lambda: api.client.users.get(user_id, fields="user_id", include_fields=True),
            user_id,
        )
        snapshot.users_by_id[user_id] = user is not None
        heard.one()

    await asyncio.gather(*(lookup(u) for u in user_ids))


USERS = Users()
