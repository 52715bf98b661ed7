"""An organization file: one customer's organization and everything that belongs to it."""

from collections.abc import Callable, Iterable
from functools import partial
from operator import attrgetter
from typing import Annotated, Any, Literal, cast

from pydantic import (
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
)
from pydantic.dataclasses import dataclass
from pydantic_core import CoreSchema, ErrorDetails, InitErrorDetails
from pydantic_core.core_schema import DataclassSchema

from reconciler.model.applications import ApiAccess, ApplicationName, unique_applications
from reconciler.model.common import EmailAddress, OrgName, RoleName, Strict
from reconciler.model.connections import ConnectionName, OrganizationConnection
from reconciler.model.roles import Role
from reconciler.model.routing import Routing
from reconciler.model.sso_profiles import SelfServiceSso
from reconciler.model.tenant import MembersPolicy

MAX_METADATA_KEYS = 25
MAX_METADATA_VALUE = 255
MAX_CONNECTIONS = 10
MAX_ROLES_PER_MEMBER = 50
MAX_API_ACCESS = 100
"""Machine-to-machine client grants an organization may be associated with."""
MAX_APPLICATIONS = 100
"""Application associations of an organization."""
MAX_INVITATIONS = 1000
"""Invitations of an organization that can be read: Auth0 lists them with page/per_page only,
and such lists end at the 1,000th record."""

HexColour = Annotated[str, StringConstraints(pattern=r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
HttpsUrl = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https://[^\s/]+\S*$")]
MetadataKey = Annotated[str, StringConstraints(min_length=1, max_length=MAX_METADATA_VALUE)]
MetadataValue = Annotated[str, StringConstraints(max_length=MAX_METADATA_VALUE)]


class Colours(Strict):
    """Login page colours."""

    primary: HexColour | None = None
    page_background: HexColour | None = None


class Branding(Strict):
    """Logo and colours of the organization's login page."""

    logo_url: HttpsUrl | None = None
    colors: Colours | None = None


class Connection(Strict):
    """A login connection enabled for the organization; an absent flag is left as Auth0 has it."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    assign_membership_on_login: bool | None = None
    show_as_button: bool | None = None
    is_signup_enabled: bool | None = None


# A slotted dataclass rather than a model: a tenant holds hundreds of thousands of members,
# and a model instance takes five times the memory and half again the time to validate.
@dataclass(frozen=True, slots=True, config=ConfigDict(extra="forbid", strict=True))
class Member:
    """A member, identified by user_id or (case-insensitively) by email.

    `roles` absent leaves the member's roles unmanaged; `[]` manages them down to none.
    `invite: true` sends an invitation to an email that is not an Auth0 user yet.
    `absent: true` means the user must not be a member: removed if present, never admitted by
    the routing rules (matched by user_id or by email, either one).
    """

    # The rules between its keys are checked by `Organization`, for the list at once.

    email: EmailAddress | None = None
    user_id: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    name: str | None = None
    roles: list[RoleName] | None = Field(default=None, max_length=MAX_ROLES_PER_MEMBER)
    invite: bool = False
    absent: bool = False

    @property
    def key(self) -> str:
        """How the member is matched: its user_id, else its lowercased email."""
        if self.user_id is not None:
            return self.user_id
        assert self.email is not None
        return self.email.lower()

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type["Member"], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        """The dataclass's schema, taking a mapping (as files write members) although its
        values are strict: a strict dataclass would take only instances."""
        schema = cast(DataclassSchema, handler(source))
        schema["strict"] = False
        return schema


class Organization(Strict):
    """One organization. Every key left out is unmanaged; an empty value manages it to none."""

    name: OrgName
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    previous_names: list[OrgName] | None = None
    branding: Branding | None = None
    metadata: dict[MetadataKey, MetadataValue | None] | None = Field(
        default=None, max_length=MAX_METADATA_KEYS
    )
    metadata_mode: Literal["merge", "exact"] = "merge"
    connections: list[Connection] | None = Field(default=None, max_length=MAX_CONNECTIONS)
    enterprise_connections: dict[ConnectionName, OrganizationConnection] | None = Field(
        default=None, max_length=MAX_CONNECTIONS
    )
    """The organization's own enterprise connections, each linked to it."""
    self_service_sso: SelfServiceSso | None = None
    """What `reconciler sso-ticket` asks for this organization's customer admin."""
    routing: Routing | None = None
    roles: dict[RoleName, Role] | None = None
    members: list[Member] | None = None
    members_policy: MembersPolicy | None = None
    token_quota: dict[str, object] | None = None
    third_party_client_access: Literal["block", "allow"] | None = None
    is_app_entitlement_active: bool | None = None
    applications: list[ApplicationName] | None = Field(default=None, max_length=MAX_APPLICATIONS)
    """The applications the organization's members may use (by name)."""
    api_access: list[ApiAccess] | None = Field(default=None, max_length=MAX_API_ACCESS)
    """Machine-to-machine applications that may call an API on the organization's behalf."""

    @field_validator("members", mode="wrap")
    @classmethod
    def _members(cls, value: object, handler: ValidatorFunctionWrapHandler) -> list[Member] | None:
        """The members, each identified and consistent (checked here, once for the list, not
        for each member), and the invitations that can be read."""
        try:
            members: list[Member] | None = handler(value)
        except ValidationError as error:
            failed = {detail["loc"][0] for detail in error.errors() if detail["loc"]}
            entries = value if isinstance(value, list) else []
            problems = _problems(
                (i, entry.get) for i, entry in enumerate(entries) if i not in failed
            )
            if not problems:
                raise
            details = [_details(detail) for detail in error.errors()]
            raise ValidationError.from_exception_data(error.title, [*details, *problems]) from None
        listed = members or []
        odd = [(i, partial(getattr, listed[i])) for i in _suspects(listed)]
        problems = _problems(odd)
        if problems:
            raise ValidationError.from_exception_data(cls.__name__, problems)
        invited = sum(1 for _, get in odd if get("invite"))
        if invited > MAX_INVITATIONS:
            raise ValueError(
                f"at most {MAX_INVITATIONS:,} members can be invited, found {invited:,}: Auth0 "
                f"lists only the first {MAX_INVITATIONS:,} invitations of an organization"
            )
        return members

    @field_validator("applications")
    @classmethod
    def _unique_applications(cls, value: list[str] | None) -> list[str] | None:
        return unique_applications(value)

    @field_validator("connections")
    @classmethod
    def _unique_connections(cls, value: list[Connection] | None) -> list[Connection] | None:
        if value is not None:
            names = [c.name for c in value]
            if len(set(names)) != len(names):
                raise ValueError("a connection is listed twice")
        return value


_ABSENT = attrgetter("absent")
_INVITE = attrgetter("invite")
_USER_ID = attrgetter("user_id")
_ROLES = attrgetter("roles")


def _suspects(members: list[Member]) -> list[int]:
    """The indices of the members that may break a rule of members, few of them, found by
    passes over the list at C speed, so that only they are checked one by one."""
    found: set[int] = set()
    if any(map(_ABSENT, members)) or any(map(_INVITE, members)):
        found.update(i for i, m in enumerate(members) if m.absent or m.invite)
    if None in map(_USER_ID, members):
        found.update(i for i, m in enumerate(members) if m.user_id is None)
    roles = list(map(_ROLES, members))
    listed = list(filter(None, roles))
    if sum(map(len, listed)) != sum(map(len, map(set, listed))):
        found.update(i for i, r in enumerate(roles) if r and len(set(r)) != len(r))
    return sorted(found)


def _problems(entries: Iterable[tuple[int, Callable[[str], Any]]]) -> list[InitErrorDetails]:
    """A value error at each member whose values (read by `get`) break a rule of members."""
    found: list[InitErrorDetails] = []
    for index, get in entries:
        message = _problem(get("email"), get("user_id"), get("roles"), get("invite"), get("absent"))
        if message is not None:
            found.append(
                {"type": "value_error", "loc": (index,), "input": None, "ctx": {"error": message}}
            )
    return found


def _problem(
    email: object, user_id: object, roles: Any, invite: object, absent: object
) -> str | None:
    if email is None and user_id is None:
        return "a member needs an email or a user_id"
    if absent and (roles is not None or invite):
        return "an absent member cannot have roles or an invitation"
    if invite and email is None:
        return "an invited member needs an email"
    if roles is not None and len(set(roles)) != len(roles):
        return "a role is listed twice for this member"
    return None


def _details(detail: ErrorDetails) -> InitErrorDetails:
    """A member's error as pydantic reported it, to report again with the members' own."""
    again: InitErrorDetails = {
        "type": detail["type"],
        "loc": detail["loc"],
        "input": detail["input"],
    }
    if "ctx" in detail:
        again["ctx"] = detail["ctx"]
    return again
