"""Recovery sends again every extraction that would otherwise never happen, and nothing else."""

import datetime

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article, ChecklistStatus, ExtractionRun, RunStatus
from articles.services import article_upsert, checklist_extract, checklist_recover
from articles.services.leases import _lock_key
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

A_MINUTE_AGO = datetime.timedelta(minutes=1)


def recover(*, queue_is_empty: bool = True):
    return checklist_recover(
        queue_is_empty=lambda: queue_is_empty,
        lost_after=datetime.timedelta(seconds=30),
        stale_after=datetime.timedelta(minutes=10),
    )


def article_in(status: str, *, due: datetime.timedelta | None, changed: datetime.timedelta = A_MINUTE_AGO) -> Article:
    article = ArticleFactory()
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        checklist_status=status,
        checklist_due_at=None if due is None else now - due,
        checklist_changed_at=now - changed,
    )
    return article


def test_a_message_that_reached_the_broker_gives_the_article_a_due_time(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = article_upsert(source="cms", external_id="queued", body="Sales rose 12% in May, the CEO said.").article

    article.refresh_from_db()
    assert article.checklist_status == ChecklistStatus.PENDING
    assert article.checklist_due_at is not None
    assert not article.extraction_waiting_for_broker


def test_articles_saved_while_the_broker_was_away_are_sent_when_it_is_back(broker, django_capture_on_commit_callbacks):
    never_sent = article_in(ChecklistStatus.PENDING, due=None)
    just_saved = article_in(ChecklistStatus.PENDING, due=None, changed=datetime.timedelta(0))

    with django_capture_on_commit_callbacks(execute=True):
        recovery = recover()

    assert recovery.never_sent == [never_sent.pk]
    never_sent.refresh_from_db()
    assert never_sent.checklist_due_at is not None
    just_saved.refresh_from_db()
    assert just_saved.checklist_due_at is None, "its own message may be on its way; left to the next pass"


def test_an_overdue_article_is_sent_again_only_once_the_queue_is_empty(broker, django_capture_on_commit_callbacks):
    overdue = article_in(ChecklistStatus.PENDING, due=datetime.timedelta(minutes=5))
    article_in(ChecklistStatus.PENDING, due=datetime.timedelta(seconds=5))

    assert recover(queue_is_empty=False).lost == [], "still waiting its turn behind other messages"
    with django_capture_on_commit_callbacks(execute=True):
        recovery = recover(queue_is_empty=True)

    assert recovery.lost == [overdue.pk]
    overdue.refresh_from_db()
    assert timezone.now() - overdue.checklist_due_at < datetime.timedelta(seconds=5)


def test_finished_and_failed_checklists_are_left_alone(broker):
    article_in(ChecklistStatus.READY, due=datetime.timedelta(hours=1), changed=datetime.timedelta(hours=1))
    article_in(ChecklistStatus.FAILED, due=datetime.timedelta(hours=1), changed=datetime.timedelta(hours=1))

    assert recover().article_ids == []


def require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("leases need PostgreSQL")


def test_a_running_extraction_whose_worker_died_is_put_back_in_the_queue(broker, django_capture_on_commit_callbacks):
    require_postgresql()
    orphaned = article_in(ChecklistStatus.RUNNING, due=A_MINUTE_AGO, changed=datetime.timedelta(seconds=1))
    run = ExtractionRun.objects.create(article=orphaned, content_hash=orphaned.content_hash)

    with django_capture_on_commit_callbacks(execute=True):
        recovery = recover()

    assert recovery.orphaned == [orphaned.pk]
    orphaned.refresh_from_db()
    run.refresh_from_db()
    assert orphaned.checklist_status == ChecklistStatus.PENDING
    assert run.status == RunStatus.FAILED


def test_a_running_extraction_whose_worker_lives_is_left_to_it(broker):
    require_postgresql()
    running = article_in(ChecklistStatus.RUNNING, due=datetime.timedelta(hours=1), changed=datetime.timedelta(hours=1))
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname=settings["NAME"], autocommit=True
    ) as worker:
        worker.execute("SELECT pg_advisory_lock(%s)", (_lock_key(running.pk),))

        assert recover().orphaned == []
        assert checklist_extract(article_id=running.pk) is None, "a second worker does not run it alongside"

    running.refresh_from_db()
    assert running.checklist_status == ChecklistStatus.RUNNING
