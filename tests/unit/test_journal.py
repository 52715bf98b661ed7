"""The record of an unfinished apply: running the same files again resumes it only while the
plan changes nothing its plan did not change."""

from reconciler.config.tenant_id import TenantId
from reconciler.core.journal import Journal, changed_objects
from reconciler.engine.plan import Action, Plan, Row


def plan_of(*rows: tuple[str | None, Action, str, str]) -> Plan:
    return Plan(rows=tuple(Row(*row) for row in rows), operations=())


APPROVED = plan_of(
    (None, Action.CREATE, "role", "member"),
    ("acme", Action.CREATE, "organization", "acme"),
    ("acme", Action.CREATE, "member", "alice@acme.com"),
    ("acme", Action.CREATE, "member", "bob@acme.com"),
)


def journal(tmp_path, target: str = "https://tenant.eu.auth0.com") -> Journal:
    return Journal.in_folder(tmp_path, TenantId("example"), target)


def test_the_rest_of_an_unfinished_apply_of_the_same_files_is_a_resume(tmp_path):
    record = journal(tmp_path)
    record.begin("files-1", APPROVED)
    rest = plan_of(
        ("acme", Action.UPDATE, "member", "alice@acme.com"),  # added, roles still to come
        ("acme", Action.CREATE, "member", "bob@acme.com"),
        ("acme", Action.KEEP, "member", "erin@acme.com"),
    )
    assert record.resuming("files-1", rest)
    assert record.resuming("files-1", plan_of())


def test_a_change_the_approved_plan_did_not_make_is_not_a_resume(tmp_path):
    record = journal(tmp_path)
    record.begin("files-1", APPROVED)
    more = plan_of(
        ("acme", Action.CREATE, "member", "bob@acme.com"),
        ("acme", Action.DELETE, "member", "mallory@acme.com"),
    )
    assert not record.resuming("files-1", more)


def test_other_files_another_target_or_a_finished_apply_are_not_a_resume(tmp_path):
    record = journal(tmp_path)
    record.begin("files-1", APPROVED)
    assert not record.resuming("files-2", APPROVED)
    moved = Journal(record.path, TenantId("example"), "https://other.eu.auth0.com")
    assert not moved.resuming("files-1", APPROVED)
    assert not Journal(record.path, TenantId("other"), record.target).resuming("files-1", APPROVED)
    record.finish()
    assert not record.path.exists()
    assert not record.resuming("files-1", APPROVED)


def test_a_damaged_record_is_not_a_resume(tmp_path):
    record = journal(tmp_path)
    record.begin("files-1", APPROVED)
    text = record.path.read_text()
    for damaged in (text[: len(text) // 2], "[]", '{"version": 1}', "[" * 100_000):
        record.path.write_text(damaged)
        assert not record.resuming("files-1", APPROVED)


def test_the_record_names_no_object_and_no_email(tmp_path):
    record = journal(tmp_path)
    record.begin("files-1", APPROVED)
    text = record.path.read_text()
    assert "alice" not in text and "acme" not in text
    assert len(changed_objects(APPROVED)) == 4
    assert record.path.name == "example@https___tenant.eu.auth0.com.apply.json"
    assert [p.name for p in tmp_path.iterdir()] == [record.path.name]
