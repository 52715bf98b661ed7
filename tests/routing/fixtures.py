"""The routing test tenant and the shared vectors, as the Python tests use them."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from reconciler.config.loader import load_tenant
from reconciler.model.desired import Desired
from reconciler.routing import Login

HERE = Path(__file__).parent
TENANT = HERE / "tenant"
VECTORS = HERE / "vectors.json"


@cache
def vectors() -> dict[str, Any]:
    """The shared test vectors."""
    data: dict[str, Any] = json.loads(VECTORS.read_text(encoding="utf-8"))
    return data


@cache
def tenant() -> Desired:
    """The tenant whose rules the vectors exercise."""
    return load_tenant(TENANT)


def login_of(case: dict[str, Any]) -> Login:
    """A vector's login."""
    login = case["login"]
    return Login.from_user(
        login["user"], login.get("connection"), login.get("memberships"), login.get("organization")
    )
