"""The service keeps its PostgreSQL tables fast to read whatever the server's autovacuum
does: a table where a small share of rows changed is vacuumed and analyzed, one pass at a
time, and never inside a transaction."""

import time

import pytest
from django.db import connection, connections, transaction

from articles.models import ChecklistItem
from articles.services.upkeep import BASE_ROWS, UPKEEP_LOCK_KEY, database_upkeep, table_states
from tests.factories import ArticleFactory, ChecklistItemFactory

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL upkeep")


def state_of(table: str):
    return next((s for s in table_states() if s.name == table), None)


def manual_vacuums(table: str) -> int:
    """VACUUMs run by someone, not by autovacuum (which counts apart)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def wait_until_due(table: str, timeout: float = 10.0) -> None:
    """The statistics collector reports a session's changes within about a second."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
        state = state_of(table)
        if state is not None and state.due:
            return
        time.sleep(0.2)
    raise AssertionError(f"{table} never became due: {state_of(table)}")


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_table_with_many_changed_rows_is_vacuumed_and_then_left_alone():
    article = ArticleFactory()
    ChecklistItemFactory.create_batch(BASE_ROWS + 100, article=article)
    ChecklistItem.objects.filter(article=article).update(priority=99)  # every row now has a dead version
    wait_until_due(ChecklistItem._meta.db_table)

    vacuums_before = manual_vacuums(ChecklistItem._meta.db_table)
    first = database_upkeep()
    assert manual_vacuums(ChecklistItem._meta.db_table) == vacuums_before + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
    second = database_upkeep()

    assert ChecklistItem._meta.db_table in first.vacuumed
    assert ChecklistItem._meta.db_table not in second.vacuumed
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relallvisible, relpages FROM pg_class WHERE relname = %s", [ChecklistItem._meta.db_table]
        )
        all_visible, pages = cursor.fetchone()
    assert pages > 0 and all_visible == pages  # counts can now read the index alone


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_pass_never_runs_inside_a_transaction():
    with transaction.atomic():
        result = database_upkeep()

    assert result.vacuumed == () and result.skipped == "inside a transaction"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_one_pass_at_a_time_across_workers():
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [UPKEEP_LOCK_KEY])
        result = database_upkeep()
    finally:
        other.close()

    assert result.skipped == "another pass is running"


@pytest.mark.skipif(connection.vendor == "postgresql", reason="databases without vacuum")
@pytest.mark.django_db(transaction=True)
def test_other_databases_need_no_upkeep():
    assert database_upkeep().skipped == "not PostgreSQL"


@needs_postgresql
@pytest.mark.pipeline
def test_a_worker_that_extracts_sends_the_upkeep_pass_itself(celery_worker, sample_paths):
    from articles.services import article_upsert
    from factcheck import celery as celery_module

    article = ArticleFactory()
    ChecklistItemFactory.create_batch(BASE_ROWS + 100, article=article)
    ChecklistItem.objects.filter(article=article).update(priority=99)
    wait_until_due(ChecklistItem._meta.db_table)
    celery_module._next_upkeep[0] = 0.0  # no pass sent yet by this process
    vacuums_before = manual_vacuums(ChecklistItem._meta.db_table)

    article_upsert(source="test", external_id="upkeep", body=sample_paths[0].read_text())

    deadline = time.monotonic() + 60
    while manual_vacuums(ChecklistItem._meta.db_table) == vacuums_before:
        assert time.monotonic() < deadline, "the worker never vacuumed the changed table"
        time.sleep(0.2)
