"""The event log is append-only in the database itself, on PostgreSQL and on SQLite: raw SQL
cannot rewrite or remove an event, nor delete a case that has a history. Only an explicit
unlock, for one block, lets the tools (demo loader, benchmarks, flush) through."""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tests.world import build_world
from workflow.eventlog import event_log_unlocked
from workflow.models import Case, CaseEvent
from workflow.services import case_comment


def _history(case) -> list[tuple]:
    return list(CaseEvent.objects.filter(case=case).values_list("id", "kind", "note", "created_at"))


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _unlock_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM workflow_caseevent_unlock")
        return cursor.fetchone()[0]


def test_raw_sql_cannot_rewrite_an_event(world):
    before = _history(world.case)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _raw("UPDATE workflow_caseevent SET note = %s", ["sửa lịch sử"])
    assert _history(world.case) == before


def test_raw_sql_cannot_remove_an_event(world):
    before = _history(world.case)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM workflow_caseevent WHERE case_id = %s", [world.case.pk])
    assert _history(world.case) == before


def test_the_orm_cannot_rewrite_or_remove_events_either(world):
    case_comment(case=world.case, actor=world.so_ldtbxh, text="Đã nhận.")
    before = _history(world.case)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.filter(case=world.case).update(note="")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.filter(case=world.case).delete()
    assert _history(world.case) == before


def test_deleting_a_case_with_a_history_is_refused_with_a_clear_error(world):
    before = _history(world.case)
    with pytest.raises(ProtectedError, match=r"CaseEvent\.case"):
        Case.objects.get(pk=world.case.pk).delete()
    assert Case.objects.filter(pk=world.case.pk).exists()
    assert _history(world.case) == before


def test_raw_sql_cannot_delete_a_case_with_a_history(world):
    with pytest.raises(IntegrityError, match="không xóa được"), transaction.atomic():
        _raw("DELETE FROM workflow_case WHERE id = %s", [world.case.pk])
    assert Case.objects.filter(pk=world.case.pk).exists()


def test_an_explicit_unlock_lets_one_block_restamp_and_locks_again(world):
    imported = timezone.make_aware(datetime.datetime(2024, 3, 1, 8, 0))
    with event_log_unlocked("test: imported history"):
        CaseEvent.objects.filter(case=world.case).update(created_at=imported)
    assert CaseEvent.objects.get(case=world.case).created_at == imported
    assert _unlock_rows() == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.filter(case=world.case).update(created_at=timezone.now())
    assert CaseEvent.objects.get(case=world.case).created_at == imported


def test_a_failing_unlocked_block_leaves_the_log_locked(world):
    with pytest.raises(RuntimeError), event_log_unlocked("test: fails halfway"):
        CaseEvent.objects.filter(case=world.case).update(note="tạm")
        raise RuntimeError("halfway")
    assert _unlock_rows() == 0
    assert CaseEvent.objects.get(case=world.case).note == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.filter(case=world.case).delete()


def test_flush_still_empties_every_table_for_the_test_runner(transactional_db):
    build_world()
    assert CaseEvent.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not CaseEvent.objects.exists() and not Case.objects.exists()
    assert _unlock_rows() == 0


@pytest.mark.postgres
def test_truncate_is_refused_too_on_postgresql(transactional_db):
    world = build_world()  # committed, so that no deferred check stands in the way
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _raw("TRUNCATE workflow_caseevent CASCADE")
    assert CaseEvent.objects.filter(case=world.case).exists()
