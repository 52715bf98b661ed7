"""Loading tenant directories into `Desired`."""

from pathlib import Path

import pytest
from yaml.nodes import MappingNode

from reconciler.config.errors import ConfigErrors
from reconciler.config.loader import load_tenant
from reconciler.config.yaml_tree import MarkedBuilder
from reconciler.model.desired import Location
from tests.config.tenant_files import write_tenant

EXAMPLE = Path(__file__).resolve().parents[2] / "tenants" / "example"


def _messages(directory: Path) -> list[str]:
    with pytest.raises(ConfigErrors) as raised:
        load_tenant(directory)
    return [str(error) for error in raised.value.errors]


def test_example_tenant_loads_with_its_roles_and_organizations() -> None:
    desired = load_tenant(EXAMPLE)
    assert desired.tenant_name == "example"
    assert desired.tenant.domain == "sandbox"
    assert sorted(desired.roles) == ["admin", "member"]
    assert sorted(desired.organizations) == ["acme-corp", "beta-llc"]
    assert desired.organizations["acme-corp"].members is not None
    assert len(desired.organizations["acme-corp"].members) == 4


def test_sources_locate_values_keys_of_blocks_and_file_roots(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(EXAMPLE.parents[1])
    desired = load_tenant(EXAMPLE)
    acme = "tenants/example/organizations/acme-corp.yaml"
    assert desired.sources.get(("organizations", "acme-corp")) == Location(acme, 2, 1)
    assert desired.sources.get(("organizations", "acme-corp", "name")) == Location(acme, 2, 7)
    assert desired.sources.get(("organizations", "acme-corp", "members")) == Location(acme, 20, 1)
    assert desired.sources.get(
        ("organizations", "acme-corp", "members", 2, "roles", 0)
    ) == Location(acme, 25, 13)
    assert desired.sources.get(("roles", "admin")) == Location("tenants/example/roles.yaml", 3, 3)
    assert desired.sources.get(("tenant", "policy", "max_change_percent")) == Location(
        "tenants/example/tenant.yaml", 10, 23
    )
    assert desired.where("organizations", "beta-llc", "members", 1, "email") == (
        "tenants/example/organizations/beta-llc.yaml:15:12: "
    )


def test_absolute_paths_under_the_current_directory_are_shown_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tenant(tmp_path / "t", {"organizations/acme.yaml": "name: Acme\n"})
    monkeypatch.chdir(tmp_path)
    assert _messages(tmp_path / "t")[0].startswith("t/organizations/acme.yaml:1:7: ")


def test_paths_outside_the_current_directory_are_shown_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tenant(tmp_path / "t", {"organizations/acme.yaml": "name: Acme\n"})
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert _messages(tmp_path / "t")[0].startswith(f"{tmp_path}/t/organizations/acme.yaml:1:7: ")
    assert _messages(Path("../t"))[0].startswith("../t/organizations/acme.yaml:1:7: ")


def test_roles_file_is_optional_and_means_no_tenant_roles(tmp_path: Path) -> None:
    desired = load_tenant(write_tenant(tmp_path, {"organizations/acme.yaml": "name: acme\n"}))
    assert desired.roles == {}
    assert list(desired.organizations) == ["acme"]


def test_a_tenant_without_organizations_is_valid(tmp_path: Path) -> None:
    assert load_tenant(write_tenant(tmp_path, {})).organizations == {}
    (tmp_path / "organizations").mkdir()
    assert load_tenant(tmp_path).organizations == {}


def test_yml_files_are_organizations_too(tmp_path: Path) -> None:
    write_tenant(tmp_path, {"organizations/acme.yml": "name: acme\n"})
    assert list(load_tenant(tmp_path).organizations) == ["acme"]


def test_sandbox_world_and_other_files_are_not_desired_state(tmp_path: Path) -> None:
    write_tenant(
        tmp_path,
        {
            "sandbox.yaml": "users: []\n",
            "organizations/README.md": "# notes\n",
            "organizations/.acme.yaml.swp": "garbage: [\n",
            "organizations/acme.yaml": "name: acme\n",
        },
    )
    assert list(load_tenant(tmp_path).organizations) == ["acme"]


def test_a_broken_sandbox_world_is_reported_like_any_tenant_file(tmp_path: Path) -> None:
    write_tenant(tmp_path, {"sandbox.yaml": "users: [not closed\n"})
    with pytest.raises(ConfigErrors) as caught:
        load_tenant(tmp_path)
    assert [str(e.location).rsplit("/", 1)[-1] for e in caught.value.errors] == ["sandbox.yaml:2:1"]


def test_org_owned_roles_satisfy_member_roles(tmp_path: Path) -> None:
    org = "name: acme\nroles:\n  owner: {}\nmembers:\n  - email: a@acme.com\n    roles: [owner]\n"
    write_tenant(tmp_path, {"organizations/acme.yaml": org})
    assert load_tenant(tmp_path).organizations["acme"].roles is not None


def test_anchors_and_aliases_within_the_budget_are_expanded(tmp_path: Path) -> None:
    org = (
        "name: acme\n"
        "connections: &connections\n"
        "  - name: Username-Password-Authentication\n"
        "members:\n"
        "  - email: a@acme.com\n"
        "    roles: &roles [admin, member]\n"
        "  - email: b@acme.com\n"
        "    roles: *roles\n"
    )
    roles = "roles:\n  admin: {}\n  member: {}\n"
    write_tenant(tmp_path, {"organizations/acme.yaml": org, "roles.yaml": roles})
    members = load_tenant(tmp_path).organizations["acme"].members
    assert members is not None
    assert members[1].roles == ["admin", "member"]


def test_checks_across_files_skip_an_invalid_roles_file(tmp_path: Path) -> None:
    org = "name: acme\nmembers:\n  - email: a@acme.com\n    roles: [admin]\n"
    write_tenant(tmp_path, {"organizations/acme.yaml": org, "roles.yaml": "roles: []\n"})
    assert _messages(tmp_path) == [
        f"{tmp_path}/roles.yaml:1:8: roles: must be a mapping of keys (got a list)"
    ]


def test_signup_without_auto_membership_is_refused_at_the_flag(tmp_path: Path) -> None:
    org = "name: acme\nconnections:\n  - name: db\n    is_signup_enabled: true\n"
    write_tenant(tmp_path, {"organizations/acme.yaml": org})
    assert _messages(tmp_path) == [
        f"{tmp_path}/organizations/acme.yaml:4:24: connections[0].is_signup_enabled: true "
        "needs assign_membership_on_login: true (Auth0 refuses signup on a connection that "
        "does not assign membership)"
    ]


def test_invited_members_are_accepted_when_invitations_are_configured(tmp_path: Path) -> None:
    tenant = "domain: sandbox\ninvitations:\n  client_id: spa\n  inviter_name: Acme\n"
    org = "name: acme\nmembers:\n  - email: new@acme.com\n    invite: true\n"
    write_tenant(tmp_path, {"tenant.yaml": tenant, "organizations/acme.yaml": org})
    assert load_tenant(tmp_path).tenant.invitations is not None


def test_a_missing_directory_reports_the_missing_tenant_file(tmp_path: Path) -> None:
    assert _messages(tmp_path / "nowhere") == [
        f"{tmp_path}/nowhere/tenant.yaml:1:1: file not found: every tenant needs one"
    ]


def test_where_values_are_written_is_read_only_for_the_files_asked_about(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marked: list[str] = []
    build = MarkedBuilder.build

    def counting(builder: MarkedBuilder, root: MappingNode) -> dict[object, object]:
        marked.append(builder.path)
        return build(builder, root)

    monkeypatch.setattr(MarkedBuilder, "build", counting)
    monkeypatch.chdir(EXAMPLE.parents[1])
    desired = load_tenant(EXAMPLE)
    assert marked == []
    assert desired.where("organizations", "beta-llc", "members", 1, "email") == (
        "tenants/example/organizations/beta-llc.yaml:15:12: "
    )
    desired.where("organizations", "beta-llc", "name")
    assert marked == ["tenants/example/organizations/beta-llc.yaml"]
