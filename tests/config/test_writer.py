"""Writing imported files: nothing overwritten unless asked, roles.yaml extended in place."""

from pathlib import Path

import pytest

from reconciler.config.loader import load_tenant
from reconciler.config.writer import WriteRefused, import_files, to_yaml, write_files
from reconciler.model import Organization, Role

SUPPORT = {"support": Role(description="Support desk", permissions={"https://api": ["read"]})}


def tenant(tmp_path: Path, roles: str | None = None) -> Path:
    (tmp_path / "tenant.yaml").write_text("domain: sandbox\n")
    (tmp_path / "sandbox.yaml").write_text("{}\n")
    if roles is not None:
        (tmp_path / "roles.yaml").write_text(roles)
    return tmp_path


def test_roles_are_appended_keeping_comments_and_order(tmp_path):
    old = "# our roles\nroles:\n    admin:   # the boss\n        description: Boss\n"
    directory = tenant(tmp_path, old)
    existing = load_tenant(directory).roles
    (file,) = import_files(directory, existing, {}, SUPPORT, force=False)
    assert file.change == "extended"
    assert file.text == old + (
        "    support:\n"
        "      description: Support desk\n"
        "      permissions:\n"
        "        https://api: [read]\n"
    )
    write_files([file])
    assert list(load_tenant(directory).roles) == ["admin", "support"]


def test_roles_in_flow_style_are_rewritten_only_with_force(tmp_path):
    directory = tenant(tmp_path, "roles: {admin: {description: Boss}}\n")
    existing = load_tenant(directory).roles
    with pytest.raises(WriteRefused, match="pass --force to rewrite the file"):
        import_files(directory, existing, {}, SUPPORT, force=False)
    (file,) = import_files(directory, existing, {}, SUPPORT, force=True)
    assert file.change == "overwritten"
    write_files([file])
    assert list(load_tenant(directory).roles) == ["admin", "support"]


def test_an_existing_organization_file_is_kept_without_force(tmp_path):
    directory = tenant(tmp_path)
    (directory / "organizations").mkdir()
    (directory / "organizations" / "acme.yml").write_text("name: acme\n")
    org = {"acme": Organization(name="acme", display_name="Acme")}
    with pytest.raises(WriteRefused, match=r"acme\.yml exists: pass --force"):
        import_files(directory, {}, org, {}, force=False)
    (file,) = import_files(directory, {}, org, {}, force=True)
    assert file.path.name == "acme.yml"


def test_yaml_puts_short_plain_lists_inline_and_quotes_what_needs_it():
    assert to_yaml(
        {
            "name": "acme",
            "metadata": {"yes": "no", "id": "007"},
            "members": [{"email": "a@b.co", "roles": ["admin"]}],
        }
    ) == (
        "name: acme\n"
        "metadata: {'yes': 'no', id: '007'}\n"
        "members:\n"
        "  - email: a@b.co\n"
        "    roles: [admin]\n"
    )
