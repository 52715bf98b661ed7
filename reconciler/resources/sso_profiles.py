"""Self-service SSO profiles of sso-profiles.yaml, tenant-wide and matched by name: created,
or patched field by field (a list or branding as a whole). Listed only when the files
declare profiles; profiles no file declares are never written."""

from typing import Any

from reconciler.engine.builder import PlanBuilder
from reconciler.engine.endpoint import Endpoint
from reconciler.engine.endpoints import ENDPOINTS
from reconciler.engine.identity import ObjectKey, OpKey
from reconciler.engine.kinds import Kind, Step
from reconciler.engine.plan import JSON, Action, FieldChange, Phase
from reconciler.engine.planfile import ABSENT, digest_of
from reconciler.model.desired import Desired
from reconciler.model.live import LiveSsoProfile, Snapshot
from reconciler.model.sso_profiles import SsoProfile
from reconciler.resources.reads import PAGE, Reads
from reconciler.resources.resource import Planning, Reading, Resource, Stage
from reconciler.resources.scope import Scope

FIELDS = ("description", "allowed_strategies", "user_attributes", "branding")


def live_profile(item: Any) -> LiveSsoProfile | None:
    """A profile as listed, or None without an id or name."""
    profile_id, name = getattr(item, "id", None), getattr(item, "name", None)
    if not profile_id or not name:
        return None
    data = item.model_dump(mode="json", exclude_none=True) if hasattr(item, "model_dump") else {}
    return LiveSsoProfile(str(profile_id), str(name), {f: data[f] for f in FIELDS if f in data})


async def profiles_of(api: Reads) -> dict[str, LiveSsoProfile]:
    """Every self-service profile of the tenant, by name."""
    profiles = api.client.self_service_profiles
    items = await api.pages(
        ENDPOINTS.list_sso_profiles, lambda page: profiles.list(page=page, per_page=PAGE)
    )
    found = (live_profile(item) for item in items)
    return {p.name: p for p in found if p is not None}


def wanted(profile: SsoProfile) -> dict[str, JSON]:
    """The fields the file sets, as Auth0's request bodies name them."""
    data = profile.model_dump(mode="json", exclude_none=True)
    return {f: data[f] for f in FIELDS if f in data}


def _same(name: str, want: JSON, have: JSON) -> bool:
    if name == "allowed_strategies" and isinstance(have, list):
        return set(want) == set(have)
    return bool(want == have)


def plan_profiles(desired: Desired, live: dict[str, LiveSsoProfile], builder: PlanBuilder) -> None:
    """Create or patch, field by field, the profiles of sso-profiles.yaml."""
    for name, profile in sorted(desired.sso_profiles.items()):
        want = wanted(profile)
        found = live.get(name)
        if found is None:
            key = builder.call(
                ENDPOINTS.create_sso_profile,
                OpKey(None, Kind.SSO_PROFILE, name, Step.CREATE),
                Phase.APPLICATIONS,
                body={"name": name, **want},
            )
            changes = tuple(FieldChange(f, None, v) for f, v in want.items())
            builder.row(None, Action.CREATE, Kind.SSO_PROFILE, name, changes, operations=(key,))
        else:
            changed = {f: v for f, v in want.items() if not _same(f, v, found.fields.get(f))}
            if not changed:
                continue
            key = builder.call(
                ENDPOINTS.update_sso_profile,
                OpKey(None, Kind.SSO_PROFILE, name, Step.UPDATE),
                Phase.APPLICATIONS,
                found.id,
                body=changed,
            )
            changes = tuple(FieldChange(f, found.fields.get(f), v) for f, v in changed.items())
            builder.row(None, Action.UPDATE, Kind.SSO_PROFILE, name, changes, operations=(key,))
        builder.fingerprint(ObjectKey.sso_profile(name))


class SsoProfiles(Resource):
    """The self-service SSO profiles of sso-profiles.yaml."""

    name = "self-service profiles"
    row_kinds = (Kind.SSO_PROFILE,)
    fingerprinted = (Kind.SSO_PROFILE,)

    def tenant_lists(self, scope: Scope) -> frozenset[Endpoint]:
        """The tenant's profiles, when the files declare any."""
        return frozenset({ENDPOINTS.list_sso_profiles} if scope.sso_profiles else ())

    async def read(self, stage: Stage, reading: Reading) -> None:
        """The profiles, with the organizations' listing."""
        declared = reading.scope.sso_profiles
        if stage is Stage.TENANT and declared:
            found = await profiles_of(reading.api)
            reading.snapshot.sso_profiles = {n: p for n, p in found.items() if n in declared}

    def plan(self, planning: Planning) -> None:
        """The profiles of sso-profiles.yaml."""
        if planning.desired.sso_profiles:
            plan_profiles(planning.desired, planning.live.sso_profiles or {}, planning.builder)

    def digest(self, key: ObjectKey, live: Snapshot) -> str:
        """The profile of the key's name."""
        found = (live.sso_profiles or {}).get(key.name)
        return ABSENT if found is None else digest_of({"id": found.id, **found.fields})

    def existing(self, live: Snapshot) -> int:
        """The declared profiles that exist."""
        return len(live.sso_profiles or {})


SSO_PROFILES = SsoProfiles()
