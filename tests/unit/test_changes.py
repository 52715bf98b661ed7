"""Which organizations `--changed-since` selects from `git diff --name-status` entries."""

from reconciler.core.changes import classify


def test_organization_files_select_their_organizations():
    changes = classify(
        [
            ("M", ("organizations/acme.yaml",)),
            ("A", ("organizations/beta.yml",)),
            ("R087", ("organizations/old.yaml", "organizations/new.yaml")),
        ]
    )
    assert changes.organizations == {"acme", "beta", "old", "new"}
    assert changes.only == {"acme", "beta", "old", "new"}
    assert changes.list_all is True  # `old` may now be unmanaged


def test_modified_files_alone_read_the_organizations_by_name():
    changes = classify([("M", ("organizations/acme.yaml",))])
    assert (changes.only, changes.list_all) == (frozenset({"acme"}), False)


def test_files_the_loader_skips_select_nothing():
    changes = classify([("A", ("organizations/.draft.yaml",)), ("M", ("organizations/notes.md",))])
    assert (changes.only, changes.list_all) == (frozenset(), False)


def test_a_tenant_wide_file_selects_everything():
    changes = classify([("M", ("roles.yaml",)), ("M", ("organizations/acme.yaml",))])
    assert (changes.only, changes.list_all) == (None, True)
