"""Typed identities: which object a plan touches, which id it refers to, which call it makes,
and which environment variable holds a secret a request carries.

Each is a value object built and parsed here only, so a name holding `/`, `:` or any other
character Auth0 allows round-trips through plan files unchanged.
"""

from dataclasses import dataclass
from typing import Any

from reconciler.engine.kinds import Kind, Step

REFERABLE = frozenset(
    {
        Kind.ORGANIZATION,
        Kind.ROLE,
        Kind.APPLICATION,
        Kind.CLIENT_GRANT,
        Kind.ACTION,
        Kind.TRIGGER,
        Kind.ENTERPRISE_CONNECTION,
        Kind.SSO_PROFILE,
    }
)
"""The kinds of objects the plan fingerprints and refers to by id."""


@dataclass(frozen=True, order=True)
class ObjectKey:
    """One organization (`org` None), one role (`org` is the owner for org-owned roles), one
    application (by name), one client grant (application name and `audience`, its API), the
    Action, a trigger's bindings, or an enterprise connection (by name)."""

    kind: Kind
    """One of REFERABLE."""
    name: str
    org: str | None = None
    audience: str | None = None

    @classmethod
    def organization(cls, name: str) -> "ObjectKey":
        """The key of an organization."""
        return cls(Kind.ORGANIZATION, name)

    @classmethod
    def role(cls, name: str, org: str | None = None) -> "ObjectKey":
        """The key of a tenant role, or of a role owned by `org`."""
        return cls(Kind.ROLE, name, org)

    @classmethod
    def application(cls, name: str) -> "ObjectKey":
        """The key of an application, by name."""
        return cls(Kind.APPLICATION, name)

    @classmethod
    def client_grant(cls, application: str, audience: str) -> "ObjectKey":
        """The key of the client grant of an application (by name) for an API."""
        return cls(Kind.CLIENT_GRANT, application, audience=audience)

    @classmethod
    def connection(cls, name: str) -> "ObjectKey":
        """The key of an enterprise connection the files declare (by name)."""
        return cls(Kind.ENTERPRISE_CONNECTION, name)

    @classmethod
    def sso_profile(cls, name: str) -> "ObjectKey":
        """The key of a self-service SSO profile (by name)."""
        return cls(Kind.SSO_PROFILE, name)

    @classmethod
    def action(cls, name: str) -> "ObjectKey":
        """The key of an Action (by name)."""
        return cls(Kind.ACTION, name)

    @classmethod
    def trigger(cls, trigger_id: str) -> "ObjectKey":
        """The key of a trigger's bindings."""
        return cls(Kind.TRIGGER, trigger_id)

    @property
    def owner(self) -> str | None:
        """The organization the object belongs to: itself, a role's owner, or None."""
        return self.name if self.kind is Kind.ORGANIZATION else self.org

    @property
    def label(self) -> str:
        """How people read it: `acme-corp`, `admin`, `acme-corp/admin`, `Backend -> https://api`."""
        if self.audience is not None:
            return f"{self.name} -> {self.audience}"
        return self.name if self.org is None else f"{self.org}/{self.name}"

    def __str__(self) -> str:
        return f"{self.kind.value} {self.label}"

    def to_json(self) -> dict[str, Any]:
        """The key as plan files store it (`audience` only for client grants)."""
        data = {"kind": self.kind.value, "name": self.name, "org": self.org}
        return data if self.audience is None else {**data, "audience": self.audience}

    @classmethod
    def from_json(cls, data: Any) -> "ObjectKey":
        """Parse a stored key; ValueError when it is not one."""
        keys = {"kind", "name", "org"}
        if not isinstance(data, dict) or set(data) not in (keys, keys | {"audience"}):
            raise ValueError(f"not an object key: {data!r}")
        kind = Kind(data["kind"])
        if kind not in REFERABLE:
            raise ValueError(f"not an object key: {data!r}")
        return cls(
            kind,
            _text(data["name"]),
            _optional_text(data["org"]),
            _optional_text(data.get("audience")),
        )

    def sort_key(self) -> tuple[str, str, str, str]:
        """Orders keys by kind, owner, name and API."""
        return (self.kind.value, self.org or "", self.name, self.audience or "")


@dataclass(frozen=True)
class Ref:
    """A placeholder for the id of an object that an earlier operation of the plan creates."""

    target: ObjectKey

    def __str__(self) -> str:
        kind = _REF_NAMES[self.target.kind]
        return "{" + f"{kind}:{self.target.label}" + "}"

    def to_json(self) -> dict[str, Any]:
        """The reference as plan files store it, inside paths and bodies."""
        return {"$ref": self.target.to_json()}

    @classmethod
    def from_json(cls, data: Any) -> "Ref":
        """Parse a stored reference."""
        return cls(ObjectKey.from_json(data["$ref"]))


_REF_NAMES = {
    Kind.ORGANIZATION: "org",
    Kind.ROLE: "role",
    Kind.APPLICATION: "app",
    Kind.CLIENT_GRANT: "grant",
    Kind.ACTION: "action",
    Kind.TRIGGER: "trigger",
    Kind.ENTERPRISE_CONNECTION: "connection",
    Kind.SSO_PROFILE: "profile",
}


def is_ref_json(data: Any) -> bool:
    """True for the stored form of a Ref."""
    return isinstance(data, dict) and set(data) == {"$ref"}


@dataclass(frozen=True)
class SecretRef:
    """A secret in a request body, carried by the name of the environment variable that holds
    its value: the value is read only when the request is sent, so plans, plan files and
    output never hold it."""

    env: str

    def __str__(self) -> str:
        return f"(secret from {self.env})"

    def to_json(self) -> dict[str, Any]:
        """The secret as plan files store it: the variable's name, never the value."""
        return {"$secret": self.env}

    @classmethod
    def from_json(cls, data: Any) -> "SecretRef":
        """Parse a stored secret reference."""
        return cls(_text(data["$secret"]))


def is_secret_json(data: Any) -> bool:
    """True for the stored form of a SecretRef."""
    return isinstance(data, dict) and set(data) == {"$secret"}


@dataclass(frozen=True)
class OpKey:
    """Names one operation: the organization it belongs to (None: tenant-wide), the kind and
    name of what it changes, and the verb, e.g. (acme-corp, member roles, auth0|1, add)."""

    org: str | None
    kind: Kind
    name: str
    verb: Step

    def __str__(self) -> str:
        where = f"{self.org}: " if self.org is not None else ""
        return f"{where}{self.verb} {self.kind} {self.name}"

    def sort_key(self) -> tuple[str, str, str, int, str]:
        """A stable order: organization, kind, name, then creates before changes before
        removals."""
        return (self.org or "", self.kind, self.name, _VERB_ORDER.get(self.verb, 3), self.verb)

    def to_json(self) -> dict[str, Any]:
        """The key as plan files store it."""
        return {"org": self.org, "kind": self.kind, "name": self.name, "verb": self.verb}

    @classmethod
    def from_json(cls, data: Any) -> "OpKey":
        """Parse a stored key; ValueError when it is not one."""
        if not isinstance(data, dict) or set(data) != {"org", "kind", "name", "verb"}:
            raise ValueError(f"not an operation key: {data!r}")
        return cls(
            _optional_text(data["org"]),
            Kind(_text(data["kind"])),
            _text(data["name"]),
            Step(_text(data["verb"])),
        )


_VERB_ORDER = {Step.CREATE: 0, Step.UPDATE: 1, Step.ADD: 2, Step.ADD_PERMISSIONS: 2, Step.SEND: 2}


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, found {value!r}")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)
