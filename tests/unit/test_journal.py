"""One apply at a time per tenant and target; an unfinished apply of the same files resumes."""

import pytest

from reconciler.core.journal import ApplyLocked, Journal


def test_a_second_apply_of_the_same_tenant_and_target_is_refused(tmp_path):
    first = Journal(tmp_path, "example", "embedded sandbox")
    second = Journal(tmp_path, "example", "embedded sandbox")
    with (
        first.lock(),
        pytest.raises(ApplyLocked, match="another apply of tenant example on embedded"),
        second.lock(),
    ):
        pass
    with second.lock():
        pass


def test_applies_of_other_targets_do_not_wait(tmp_path):
    with (
        Journal(tmp_path, "example", "embedded sandbox").lock(),
        Journal(tmp_path, "example", "https://acme.eu.auth0.com").lock(),
    ):
        pass


def test_an_unfinished_apply_of_the_same_files_is_a_resume(tmp_path):
    journal = Journal(tmp_path, "example", "t")
    assert not journal.resuming("files-1")
    journal.begin("files-1")
    assert journal.resuming("files-1")
    assert not journal.resuming("files-2")
    journal.finish()
    assert not journal.resuming("files-1")
