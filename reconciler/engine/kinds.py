"""The kinds of objects the engine plans, fingerprints, and maps logged writes to.

One vocabulary for plan rows and operation keys (`member`, `invitation`), the objects a plan
refers to by id (`organization`, `trigger`), and the parts of the tenant a logged write can
change (`members`: an organization's member list as a whole).
"""

from enum import StrEnum


class Kind(StrEnum):
    """A kind of object or of a collection of objects."""

    ORGANIZATION = "organization"
    """An organization's own fields and name; created or deleted as a whole."""
    MEMBER = "member"
    """One member of an organization (plan rows)."""
    MEMBERS = "members"
    """An organization's member list (added and removed in batches)."""
    MEMBER_ROLES = "member roles"
    CONNECTION = "connection"
    """One connection enabled for an organization (plan rows)."""
    CONNECTIONS = "connections"
    """The connections enabled for an organization, and their flags."""
    ENTERPRISE_CONNECTION = "enterprise connection"
    """A connection the files declare: its own fields and options (plan rows, references)."""
    CONNECTION_CLIENTS = "connection clients"
    """The applications a connection is enabled for."""
    SSO_PROFILE = "self-service profile"
    """A self-service SSO profile (plan rows, saved plans' digests)."""
    DISCOVERY_DOMAIN = "discovery domain"
    DISCOVERY_DOMAINS = "discovery domains"
    INVITATION = "invitation"
    INVITATIONS = "invitations"
    API_ACCESS = "api access"
    """The client grants an organization is associated with; without an id, those of every
    organization (a client grant deleted, or the application or API it is for)."""
    APPLICATIONS = "applications"
    """The applications associated with an organization, added or removed together."""
    ORGANIZATION_APPLICATIONS = "organization applications"
    """The applications an organization's members may use; without an id, those of every
    organization (an application deleted)."""
    ROLE = "role"
    """A role created, renamed or deleted: members show their roles by name."""
    ROLE_DESCRIPTION = "role description"
    PERMISSIONS = "permissions"
    """What a role grants; without an id, what every role grants (an API changed)."""
    USER = "user"
    """A user's email or name, which member lists show, or the user deleted."""
    ACTION = "action"
    BINDING = "post-login binding"
    """The post-login Action bound to its trigger (plan rows)."""
    TRIGGER = "trigger"
    """A trigger's list of bound actions (`post-login`)."""
    APPLICATION = "application"
    CLIENT_GRANT = "client grant"
    """An application's access to an API, its scopes and whether organizations may use it."""
    TENANT = "tenant"
    """Anything: the write can change objects it does not name."""


class Verb(StrEnum):
    """An HTTP method of the Management API."""

    GET = "GET"
    POST = "POST"
    PATCH = "PATCH"
    PUT = "PUT"
    DELETE = "DELETE"

    @property
    def writes(self) -> bool:
        """Whether a request of this method changes the tenant (and is logged)."""
        return self is not Verb.GET


class Step(StrEnum):
    """What one operation does to the object its key names (the verb of an operation key)."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ADD = "add"
    """Added to a collection: members, member roles, links of an organization."""
    REMOVE = "remove"
    SEND = "send"
    REPLACE = "replace"
    """An invitation sent again (a sent one cannot change), the old one revoked after it."""
    REVOKE = "revoke"
    DEPLOY = "deploy"
    BIND = "bind"
    ADD_PERMISSIONS = "add permissions"
    REMOVE_PERMISSIONS = "remove permissions"

    @property
    def adds(self) -> bool:
        """Whether it grants something: a removal of its kind waits for it."""
        return self in (Step.ADD, Step.SEND, Step.REPLACE, Step.ADD_PERMISSIONS)

    @property
    def removes(self) -> bool:
        """Whether it takes something away (after the additions of its kind)."""
        return self in (Step.REMOVE, Step.REVOKE, Step.REMOVE_PERMISSIONS)
