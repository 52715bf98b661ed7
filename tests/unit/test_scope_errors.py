"""A missing scope reads as one line naming it: Auth0's 403, and the check before an apply."""

import httpx

from reconciler.auth0.errors import describe_response, describe_status
from reconciler.engine.identity import OpKey
from reconciler.engine.kinds import Kind, Step, Verb
from reconciler.engine.plan import JSON, Operation, Phase
from reconciler.engine.scopes import MissingScopes, check_scopes, needed_scopes

FORBIDDEN = {
    "statusCode": 403,
    "error": "Forbidden",
    "message": "Insufficient scope, expected any of: read:organizations,read:organizations_summary",
    "errorCode": "insufficient_scope",
}


def test_auth0s_insufficient_scope_names_the_scope():
    assert describe_status(403, FORBIDDEN) == (
        "403 the token lacks the scope read:organizations (or read:organizations_summary)"
    )
    one = {**FORBIDDEN, "message": "Insufficient scope, expected any of: read:roles"}
    assert describe_response(httpx.Response(403, json=one)) == (
        "403 the token lacks the scope read:roles"
    )
    assert describe_status(403, {"message": "Forbidden"}) == "403 Forbidden"


def _op(method: Verb, *path: str, body: JSON = None) -> Operation:
    key = OpKey("acme", Kind.MEMBERS, "/".join(path), Step.ADD)
    return Operation(key, Phase.ORG_LINKS, method, path, body)


def test_the_writes_of_a_plan_need_their_endpoints_scopes_and_a_lacking_one_stops_it():
    plain = _op(Verb.POST, "organizations", body={"name": "acme"})
    assert list(needed_scopes([plain])) == ["create:organizations"]
    inline = {"name": "acme", "enabled_connections": [{"connection_id": "con_1"}]}
    ops = [
        _op(Verb.POST, "organizations", "org_1", "members"),
        _op(Verb.POST, "organizations", body=inline),
    ]
    assert list(needed_scopes(ops)) == [
        "create:organization_members",
        "create:organizations",
        "create:organization_connections",
    ]
    check_scopes(ops, None)
    try:
        check_scopes(ops, frozenset({"create:organizations", "create:organization_connections"}))
    except MissingScopes as error:
        assert str(error) == (
            "the token lacks the scope create:organization_members "
            "(for POST /organizations/org_1/members): grant it to the management client; "
            "nothing was written"
        )
    else:
        raise AssertionError("no MissingScopes")
