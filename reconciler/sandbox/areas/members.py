"""``/organizations/{id}/members``: members and their roles in the organization."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..errors import bad_request, conflict, not_found
from ..pagination import any_page, offset_page, read_offset, read_paging
from ..records import JsonObject, Member
from ..render import render_role, summary_user
from ..router import Context, Reply, RouteTable
from ..store_base import StoreBase
from ..validation import Body, select_fields

MAX_MEMBER_ROLES = 50
MEMBER_FIELDS = ("user_id", "email", "picture", "name", "roles")


class MemberOps(StoreBase):
    """Operations on memberships and member roles."""

    def add_members(self, org_id: str, user_ids: Iterable[str], lag: float = 0.0) -> None:
        """Add users as members; those already members are left alone. With ``lag``, member
        lists show the new members only ``lag`` seconds from now."""
        org = self.organization(org_id)
        user_ids = list(user_ids)
        missing = [u for u in user_ids if u not in self.state.users]
        if missing:
            raise bad_request(f"One or more users do not exist: {', '.join(missing)}")
        now = self.now()
        for user_id in user_ids:
            member = org.members.get(user_id)
            if member is not None and member.gone_from is not None and member.gone_from <= now:
                del org.members[user_id]
                member = None
            if member is None:
                org.members[user_id] = Member(user_id, self.next_seq(), now + lag)
            else:
                member.gone_from = None

    def remove_members(self, org_id: str, user_ids: Iterable[str], lag: float = 0.0) -> None:
        """Remove memberships (and their roles); non-members are ignored. With ``lag``,
        member lists keep showing them for ``lag`` seconds."""
        org = self.organization(org_id)
        now = self.now()
        for user_id in user_ids:
            member = org.members.get(user_id)
            if member is None or member.gone_from is not None:
                continue
            member.roles.clear()
            if lag > 0:
                member.gone_from = now + lag
            else:
                del org.members[user_id]

    def listed_members(self, org_id: str) -> list[Member]:
        """The members a member list shows now (eventually consistent), in insertion order."""
        org = self.organization(org_id)
        now = self.now()
        expired = [
            m.user_id
            for m in org.members.values()
            if m.gone_from is not None and m.gone_from <= now
        ]
        for user_id in expired:
            del org.members[user_id]
        if not expired and all(m.visible_from <= now for m in org.members.values()):
            return list(org.members.values())
        return [m for m in org.members.values() if m.listed_at(now)]

    def member(self, org_id: str, user_id: str) -> Member:
        """The (current) membership of a user, or 404."""
        member = self.organization(org_id).members.get(user_id)
        if member is None or member.gone_from is not None:
            raise not_found("The user is not a member of the organization.")
        return member

    def assign_member_roles(self, org_id: str, user_id: str, role_ids: Sequence[str]) -> None:
        """Assign roles to a member; at most 50 per member (409 beyond)."""
        member = self.member(org_id, user_id)
        for role_id in role_ids:
            role = self.state.roles.get(role_id)
            if role is None:
                raise bad_request(f"The role {role_id} does not exist.")
            if role.owner_id is not None and role.owner_id != org_id:
                raise bad_request(f"The role {role_id} belongs to another organization.")
        new = [r for r in dict.fromkeys(role_ids) if r not in member.roles]
        if len(member.roles) + len(new) > MAX_MEMBER_ROLES:
            raise conflict(
                f"A member can have at most {MAX_MEMBER_ROLES} roles in an organization."
            )
        member.roles.extend(new)

    def remove_member_roles(self, org_id: str, user_id: str, role_ids: Iterable[str]) -> None:
        """Remove roles from a member; roles it does not have are ignored."""
        member = self.member(org_id, user_id)
        drop = set(role_ids)
        member.roles[:] = [r for r in member.roles if r not in drop]


routes = RouteTable()


def _seq(member: Member) -> int:
    return member.seq


@routes.get("/organizations/{id}/members", "read:organization_members", "List members")
def list_members(ctx: Context) -> Reply:
    names, include = ctx.query.fields(MEMBER_FIELDS)
    with_roles = names is not None and include and "roles" in names
    if with_roles:
        ctx.require_scope("read:organization_member_roles")
    paging = read_paging(ctx.query, max_page=1000)
    members = ctx.store.listed_members(ctx.params["id"])
    users = ctx.store.state.users
    roles = ctx.store.state.roles

    def render(member: Member) -> JsonObject:
        user = users.get(member.user_id)
        body: JsonObject = summary_user(user) if user else {"user_id": member.user_id}
        if with_roles:
            body["roles"] = [{"id": r, "name": roles[r].name} for r in member.roles if r in roles]
        return select_fields(body, names, include)

    last = ctx.settings.member_next_on_last_page
    return Reply(200, any_page(members, paging, "members", render, _seq, last))


def _member_ids(ctx: Context) -> list[str]:
    body = Body(ctx.body(), None, ("members",))
    ids = body.strings("members", min_items=1, max_items=ctx.settings.member_batch_max, min_len=1)
    return ids or []


@routes.post("/organizations/{id}/members", "create:organization_members", "Add members")
def add_members(ctx: Context) -> Reply:
    ctx.store.add_members(ctx.params["id"], _member_ids(ctx), ctx.settings.member_lag_s)
    return Reply(204)


@routes.delete("/organizations/{id}/members", "delete:organization_members", "Remove members")
def remove_members(ctx: Context) -> Reply:
    ctx.store.remove_members(ctx.params["id"], _member_ids(ctx), ctx.settings.member_lag_s)
    return Reply(204)


@routes.get(
    "/organizations/{id}/members/{user_id}/roles",
    "read:organization_member_roles",
    "List a member's roles",
)
def list_member_roles(ctx: Context) -> Reply:
    paging = read_offset(ctx.query, max_page=1000)
    member = ctx.store.member(ctx.params["id"], ctx.params["user_id"])
    roles = [ctx.store.state.roles[r] for r in member.roles if r in ctx.store.state.roles]
    return Reply(200, offset_page(roles, paging, "roles", render_role))


def _role_ids(ctx: Context) -> list[str]:
    body = Body(ctx.body(), ("roles",), ("roles",))
    return body.strings("roles", min_items=1, min_len=1) or []


@routes.post(
    "/organizations/{id}/members/{user_id}/roles",
    "create:organization_member_roles",
    "Assign roles to a member",
)
def assign_member_roles(ctx: Context) -> Reply:
    ctx.store.assign_member_roles(ctx.params["id"], ctx.params["user_id"], _role_ids(ctx))
    return Reply(204)


@routes.delete(
    "/organizations/{id}/members/{user_id}/roles",
    "delete:organization_member_roles",
    "Remove roles from a member",
)
def remove_member_roles(ctx: Context) -> Reply:
    ctx.store.remove_member_roles(ctx.params["id"], ctx.params["user_id"], _role_ids(ctx))
    return Reply(204)
