"""The environment variables an apply reads besides the credentials: the secrets its request
bodies carry (the post-login Action's), checked before anything is written."""

import os
from collections.abc import Iterator, Mapping

from reconciler.engine.errors import PlanError, PlanErrors
from reconciler.engine.identity import SecretRef
from reconciler.engine.plan import JSON, Plan


def secret_variables(plan: Plan) -> tuple[str, ...]:
    """The variables whose values the plan's requests carry, sorted."""
    return tuple(sorted({ref.env for op in plan.operations for ref in _secrets(op.body)}))


def check_environment(plan: Plan, environ: Mapping[str, str] | None = None) -> None:
    """Raise PlanErrors naming every variable the plan's requests need that is not set (in
    `environ`, default the process environment), so that an apply never half-runs for it."""
    env = os.environ if environ is None else environ
    unset = [name for name in secret_variables(plan) if not env.get(name)]
    if unset:
        raise PlanErrors(
            [
                PlanError(
                    f"apply needs the environment variables {', '.join(unset)} (secrets of "
                    "the post-login Action, named in tenant.yaml action) and they are not set"
                )
            ]
        )


def _secrets(body: JSON) -> Iterator[SecretRef]:
    if isinstance(body, SecretRef):
        yield body
    elif isinstance(body, list):
        for item in body:
            yield from _secrets(item)
    elif isinstance(body, dict):
        for item in body.values():
            yield from _secrets(item)
