"""A login as the routing rules see it: the user's profile, the connection, current memberships."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reconciler.model.routing import METADATA_ROOTS


@dataclass(frozen=True)
class Login:
    """One login: who, through which connection, and the organizations they belong to.

    `profile` holds the user's other root profile fields (`name`, `username`, ...);
    `memberships` maps each organization the user is a member of to their role names there.
    `organization` is the organization the login went through (`event.organization` in the
    Action), if any; its roles there are those Auth0 gives the Action in `event.authorization`.
    """

    user_id: str
    email: str | None = None
    email_verified: bool = False
    connection: str | None = None
    profile: Mapping[str, object] = field(default_factory=dict)
    user_metadata: Mapping[str, object] = field(default_factory=dict)
    app_metadata: Mapping[str, object] = field(default_factory=dict)
    memberships: Mapping[str, Sequence[str]] = field(default_factory=dict)
    organization: str | None = None

    @classmethod
    def from_user(
        cls,
        user: Mapping[str, object],
        connection: str | None = None,
        memberships: Mapping[str, Sequence[str]] | None = None,
        organization: str | None = None,
    ) -> "Login":
        """A login from a user profile shaped like Auth0's (`event.user` in an Action)."""
        user_id = user.get("user_id")
        if not isinstance(user_id, str) or not user_id:
            raise ValueError("a login needs the user's user_id")
        email = user.get("email")
        return cls(
            user_id=user_id,
            email=email if isinstance(email, str) else None,
            email_verified=user.get("email_verified") is True,
            connection=connection,
            profile={k: v for k, v in user.items() if k not in METADATA_ROOTS},
            user_metadata=_mapping(user.get("user_metadata")),
            app_metadata=_mapping(user.get("app_metadata")),
            memberships=dict(memberships or {}),
            organization=organization,
        )

    def value(self, path: Sequence[str]) -> object:
        """The profile value at an attribute rule's path; None where the path leads nowhere."""
        root, keys = path[0], path[1:]
        if root == "email_verified":
            return self.email_verified
        if root == "user_id":
            return self.user_id
        if root == "user_metadata":
            return _walk(self.user_metadata, keys)
        if root == "app_metadata":
            return _walk(self.app_metadata, keys)
        return self.profile.get(root)


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _walk(value: object, keys: Sequence[str]) -> object:
    for key in keys:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value
