"""Users: creation, updates, deletion and look-up by email."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from .errors import bad_request, conflict, invalid_body
from .records import JsonObject
from .store_base import StoreBase

SOCIAL_STRATEGIES = frozenset(
    {"google-oauth2", "github", "facebook", "twitter", "linkedin", "apple", "windowslive"}
)
METADATA_FIELDS = ("app_metadata", "user_metadata")


def provider_of(strategy: str) -> str:
    """The provider part of user ids for a connection strategy."""
    return "auth0" if strategy == "auth0" else strategy


def _picture(email: str) -> str:
    digest = hashlib.md5(email.encode(), usedforsecurity=False).hexdigest()
    return f"https://s.gravatar.com/avatar/{digest}?s=480&r=pg&d=mp"


def _merge_metadata(current: JsonObject | None, patch: JsonObject | None) -> JsonObject:
    merged = {**(current or {}), **(patch or {})}
    return {k: v for k, v in merged.items() if v is not None}


class UserOps(StoreBase):
    """Operations on users."""

    def create_user(
        self,
        email: str | None,
        name: str | None = None,
        connection: str = "Username-Password-Authentication",
        user_id: str | None = None,
        **profile: Any,
    ) -> JsonObject:
        """Create a user in a connection (by name). ``user_id`` is the full id
        (``auth0|...``); generated when omitted. Database emails are stored lowercased."""
        conn = self.connection_by_name(connection)
        if conn is None:
            raise bad_request("The connection does not exist.", "inexistent_connection")
        strategy = conn["strategy"]
        if strategy == "auth0":
            if not email:
                raise invalid_body("Missing required property: email")
            email = email.lower()
            if any(
                self.state.users[u]["identities"][0]["connection"] == connection
                for u in self._user_ids_by_email.get(email, [])
            ):
                raise conflict("The user already exists.", "auth0_idp_error")
        provider = provider_of(strategy)
        if user_id is None:
            user_id = f"{provider}|{self.ids.hex(24)}"
        if user_id in self.state.users:
            raise conflict("The user already exists.", "auth0_idp_error")
        now = self.timestamp()
        user: JsonObject = {"user_id": user_id}
        if email:
            user["email"] = email
            user["email_verified"] = False
        display = name or email or user_id
        user["name"] = display
        user["nickname"] = (email or display).split("@")[0]
        user["picture"] = _picture(email or user_id)
        user["identities"] = [
            {
                "connection": connection,
                "provider": provider,
                "user_id": user_id.split("|", 1)[-1],
                "isSocial": strategy in SOCIAL_STRATEGIES,
            }
        ]
        user["created_at"] = now
        user["updated_at"] = now
        for key, value in profile.items():
            if value is not None:
                user[key] = value
        self.state.users[user_id] = user
        self._index_email(user)
        return user

    def update_user(self, user_id: str, changes: Mapping[str, Any]) -> JsonObject:
        """Apply a PATCH: metadata merges at top level (``None`` deletes a key), other
        fields are set, ``None`` unsets."""
        user = self.user(user_id)
        self._unindex_email(user)
        try:
            for key, value in changes.items():
                if key in METADATA_FIELDS:
                    user[key] = _merge_metadata(user.get(key), value)
                elif key == "email" and value is not None:
                    database = user["identities"][0]["provider"] == "auth0"
                    user["email"] = value.lower() if database else value
                elif value is None:
                    user.pop(key, None)
                else:
                    user[key] = value
        finally:
            self._index_email(user)
        user["updated_at"] = self.timestamp()
        return user

    def delete_user(self, user_id: str) -> None:
        """Delete a user with their memberships and role assignments."""
        self.user(user_id)
        self._forget_user(user_id)

    def users_by_email(self, email: str) -> list[JsonObject]:
        """Users with exactly this email (case-sensitive, as Auth0 matches)."""
        return [self.state.users[u] for u in self._user_ids_by_email.get(email, [])]
