"""Tenants extending a shared base, and `${values.NAME}` in their files: the merge rules, and
every problem at the file:line:col that holds it."""

from pathlib import Path

import pytest

from reconciler.config.errors import ConfigErrors
from reconciler.config.loader import load_tenant
from reconciler.model.desired import Location
from tests.config.tenant_files import write_tenant

APPS = """applications:
  Web:
    app_type: regular_web
    callbacks: ["${values.url}/callback"]
    allowed_logout_urls: ["${values.url}"]
"""


def _project(tmp_path: Path, base: dict[str, str], tenant: dict[str, str]) -> Path:
    (tmp_path / "tenants" / "_shared").mkdir(parents=True, exist_ok=True)
    for relative, text in base.items():
        path = tmp_path / "tenants" / "_shared" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    files = {
        "tenant.yaml": "extends: ../_shared\ndomain: sandbox\nvalues: {url: https://a.example}\n"
    }
    write_tenant(tmp_path / "tenants" / "dev", {**files, **tenant})
    return tmp_path / "tenants" / "dev"


def _messages(directory: Path) -> list[str]:
    with pytest.raises(ConfigErrors) as raised:
        load_tenant(directory)
    return [str(error) for error in raised.value.errors]


@pytest.fixture(autouse=True)
def _in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


ROLES = "roles:\n  admin: {description: Admin}\n  viewer: {description: Viewer}\n"


@pytest.mark.parametrize(
    ("base", "tenant", "expected"),
    [
        pytest.param(
            {"roles.yaml": ROLES}, {}, {"admin": "Admin", "viewer": "Viewer"}, id="inherited"
        ),
        pytest.param(
            {"roles.yaml": ROLES},
            {"roles.yaml": "roles:\n  admin: {description: Boss}\n  ops: {description: Ops}\n"},
            {"admin": "Boss", "viewer": "Viewer", "ops": "Ops"},
            id="merged by name, the tenant's entry wins",
        ),
        pytest.param(
            {"roles.yaml": ROLES},
            {"roles.yaml": "roles:\n  viewer: null\n"},
            {"admin": "Admin"},
            id="null removes the base's entry",
        ),
        pytest.param({}, {"roles.yaml": ROLES}, {"admin": "Admin", "viewer": "Viewer"}, id="own"),
    ],
)
def test_roles_merge_by_name(
    tmp_path: Path, base: dict[str, str], tenant: dict[str, str], expected: dict[str, str]
) -> None:
    desired = load_tenant(_project(tmp_path, base, tenant))
    assert {name: role.description for name, role in desired.roles.items()} == expected


@pytest.mark.parametrize(
    ("tenant", "callbacks", "logout"),
    [
        pytest.param({}, ["https://a.example/callback"], ["https://a.example"], id="inherited"),
        pytest.param(
            {"applications.yaml": "applications:\n  Web:\n    callbacks: [https://b.example/cb]\n"},
            ["https://b.example/cb"],
            ["https://a.example"],
            id="a list replaces, other keys stay",
        ),
        pytest.param(
            {"applications.yaml": "applications:\n  Web:\n    allowed_logout_urls: null\n"},
            ["https://a.example/callback"],
            None,
            id="null removes a key",
        ),
    ],
)
def test_application_keys_merge_and_lists_replace(
    tmp_path: Path, tenant: dict[str, str], callbacks: list[str], logout: list[str] | None
) -> None:
    desired = load_tenant(_project(tmp_path, {"applications.yaml": APPS}, tenant))
    web = desired.applications["Web"]
    assert (web.callbacks, web.allowed_logout_urls) == (callbacks, logout)


def test_tenant_settings_merge_onto_the_base(tmp_path: Path) -> None:
    base = {
        "tenant.yaml": "domain: base.example\npolicy: {members: additive, max_change_percent: 10}\n"
    }
    tenant = {
        "tenant.yaml": "extends: ../_shared\ndomain: sandbox\npolicy: {max_change_percent: 50}\n"
    }
    desired = load_tenant(_project(tmp_path, base, tenant))
    assert desired.tenant.domain == "sandbox"
    assert (desired.tenant.policy.members, desired.tenant.policy.max_change_percent) == (
        "additive",
        50,
    )


def test_an_organization_file_of_the_tenant_replaces_the_base_s(tmp_path: Path) -> None:
    base = {
        "organizations/acme.yaml": "name: acme\ndisplay_name: Acme\nmetadata: {plan: x}\n",
        "organizations/shared.yaml": "name: shared\n",
    }
    tenant = {"organizations/acme.yaml": "name: acme\ndisplay_name: Acme Dev\n"}
    desired = load_tenant(_project(tmp_path, base, tenant))
    assert sorted(desired.organizations) == ["acme", "shared"]
    assert desired.organizations["acme"].display_name == "Acme Dev"
    assert desired.organizations["acme"].metadata is None


def test_sources_name_the_file_that_holds_each_value(tmp_path: Path) -> None:
    tenant = {"applications.yaml": "applications:\n  Web:\n    callbacks: [https://b.example/cb]\n"}
    desired = load_tenant(_project(tmp_path, {"applications.yaml": APPS}, tenant))
    assert desired.sources.get(("applications", "Web", "app_type")) == Location(
        "tenants/_shared/applications.yaml", 3, 15
    )
    assert desired.sources.get(("applications", "Web", "callbacks", 0)) == Location(
        "tenants/dev/applications.yaml", 3, 17
    )
    origin = desired.origin("applications", "Web", "allowed_logout_urls")
    assert origin is not None and origin.inherited
    assert [(use.name, use.value) for use in origin.values] == [("url", "https://a.example")]
    assert desired.origin("applications", "Web", "callbacks") is None


def test_a_validation_error_in_a_base_file_names_the_base_file(tmp_path: Path) -> None:
    base = {"roles.yaml": "roles:\n  admin:\n    description: 5\n"}
    messages = _messages(_project(tmp_path, base, {}))
    assert messages == [
        "tenants/_shared/roles.yaml:3:18: roles.admin.description: must be a string: "
        "put 5 in quotes"
    ]


@pytest.mark.parametrize(
    ("values", "apps", "message"),
    [
        pytest.param(
            "{url: https://a.example}",
            "applications:\n  Web:\n    callbacks: ['${values.nope}/cb']\n",
            "tenants/dev/applications.yaml:3:17: applications.Web.callbacks[0]: unknown value "
            '"nope" (values: url)',
            id="unknown value",
        ),
        pytest.param(
            "{url: [https://a.example, https://b.example]}",
            "applications:\n  Web:\n    callbacks: ['${values.url}/cb']\n",
            "tenants/dev/applications.yaml:3:17: applications.Web.callbacks[0]: values.url is a "
            'list: a list can only be a whole value ("${values.url}" alone)',
            id="a list inside text",
        ),
        pytest.param(
            "{url: [https://a.example]}",
            "applications:\n  Web:\n    app_type: ${values.url}\n",
            'tenants/dev/applications.yaml:3:15: applications.Web.app_type: must be "regular_web", '
            '"spa", "native" or "non_interactive" (got a list)',
            id="a list where a string goes",
        ),
        pytest.param(
            "{a: '${values.b}', b: 'x${values.a}'}",
            "applications:\n  Web:\n    callbacks: ['${values.a}']\n",
            "tenants/dev/tenant.yaml:3:31: values.b: values refer to each other in a cycle: "
            "values.a -> values.b -> values.a",
            id="a cycle",
        ),
        pytest.param(
            "{url: https://a.example}",
            "applications:\n  Web:\n    callbacks: ['${url}']\n",
            "tenants/dev/applications.yaml:3:17: applications.Web.callbacks[0]: unknown "
            'reference "${url}": write ${values.NAME}',
            id="not a value",
        ),
    ],
)
def test_value_errors_are_at_the_use(tmp_path: Path, values: str, apps: str, message: str) -> None:
    tenant = {
        "tenant.yaml": f"extends: ../_shared\ndomain: sandbox\nvalues: {values}\n",
        "applications.yaml": apps,
    }
    assert _messages(_project(tmp_path, {}, tenant)) == [message]


def test_a_value_in_a_secret_field_is_refused(tmp_path: Path) -> None:
    tenant = {
        "tenant.yaml": "domain: sandbox\nvalues: {id: MY_ID}\n"
        "credentials: {client_id_env: '${values.id}'}\n"
    }
    messages = _messages(write_tenant(tmp_path / "t", tenant))
    assert messages == [
        "t/tenant.yaml:3:30: credentials.client_id_env: names the environment variable of a "
        "secret: write the variable's name itself, not a value"
    ]


def test_whole_references_keep_their_type_and_lists_splice(tmp_path: Path) -> None:
    tenant = {
        "tenant.yaml": "domain: sandbox\nvalues: {pct: 12, urls: [https://a.example/cb, "
        "https://b.example/cb], host: a.example}\npolicy: {max_change_percent: '${values.pct}'}\n",
        "applications.yaml": "applications:\n  Web:\n    callbacks: ['${values.urls}', "
        "'https://${values.host}/x']\n",
        "roles.yaml": "roles:\n  admin: {description: 'costs $${values.host}'}\n",
    }
    desired = load_tenant(write_tenant(tmp_path / "t", tenant))
    assert desired.tenant.policy.max_change_percent == 12
    assert desired.applications["Web"].callbacks == [
        "https://a.example/cb",
        "https://b.example/cb",
        "https://a.example/x",
    ]
    assert desired.roles["admin"].description == "costs ${values.host}"


@pytest.mark.parametrize(
    "comment",
    ["", "# no ${values.x} here\n", "# *.acme.example\n"],
    ids=["plain", "a reference in a comment", "an asterisk"],
)
def test_references_in_values_of_every_size_are_put_in(tmp_path: Path, comment: str) -> None:
    members = "".join(f"  - {{email: u{i}@acme.example}}\n" for i in range(30))
    org = (
        f"{comment}name: acme\ndisplay_name: '${{values.url}}'\nmembers:\n{members}"
        "  - {email: last@acme.example, name: 'at ${values.url}'}\n"
    )
    desired = load_tenant(_project(tmp_path, {}, {"organizations/acme.yaml": org}))
    acme = desired.organizations["acme"]
    assert acme.display_name == "https://a.example"
    assert [m.name for m in acme.members or []][-2:] == [None, "at https://a.example"]


def test_a_base_is_not_a_tenant_and_extends_must_name_one(tmp_path: Path) -> None:
    directory = _project(tmp_path, {"roles.yaml": ROLES}, {})
    assert _messages(tmp_path / "tenants" / "_shared")[0].startswith("tenants/_shared: is a base")
    (directory / "tenant.yaml").write_text("extends: ../nowhere\ndomain: sandbox\n")
    assert _messages(directory) == ['tenants/dev/tenant.yaml:1:10: extends: no folder "../nowhere"']
