import logging

import pytest

from articles.extraction import Claim
from articles.models import ChecklistItem, ChecklistStatus, ExtractionRun, ItemState, RunStatus
from articles.services import article_upsert, checklist_extract, checklist_store
from tests.factories import ArticleFactory, ChecklistItemFactory, NoteFactory, UserFactory, extract_again

pytestmark = pytest.mark.django_db


def claim_for(article, words: str, kind: str = "number") -> Claim:
    start = article.body.index(words)
    return Claim(kind=kind, start=start, end=start + len(words), text=words, sentence=article.body, guidance="Check it.")


def test_extraction_stores_items_whose_text_is_the_body_at_their_offsets():
    article = ArticleFactory()

    run = checklist_extract(article_id=article.pk, task_id="task-1")

    article.refresh_from_db()
    assert article.checklist_status == ChecklistStatus.READY
    assert run.status == RunStatus.SUCCEEDED
    assert run.task_id == "task-1"
    assert run.item_count == article.items.count() > 0
    for item in article.items.all():
        assert article.body[item.start : item.end] == item.text


def test_extracting_twice_gives_the_same_items_and_no_duplicates():
    article = ArticleFactory()
    checklist_extract(article_id=article.pk)
    first = list(article.items.values_list("pk", "kind", "start", "end", "text", "version"))

    extract_again(article)

    assert list(article.items.values_list("pk", "kind", "start", "end", "text", "version")) == first
    assert ExtractionRun.objects.filter(article=article, status=RunStatus.SUCCEEDED).count() == 2


def test_extracting_a_deleted_article_does_nothing():
    assert checklist_extract(article_id=987654) is None
    assert not ExtractionRun.objects.exists()


def test_a_run_left_unfinished_by_a_dead_worker_is_closed_when_the_next_one_starts():
    article = ArticleFactory()
    abandoned = ExtractionRun.objects.create(article=article, extractor_version="test")

    checklist_extract(article_id=article.pk)

    abandoned.refresh_from_db()
    assert abandoned.status == RunStatus.FAILED
    assert "stopped before finishing" in abandoned.error


def test_storing_keeps_the_work_on_items_that_are_found_again():
    article = ArticleFactory()
    checker = UserFactory()
    item = ChecklistItemFactory(article=article, verified=True, assignee=checker)

    checklist_store(article=article, claims=[claim_for(article, item.text, kind=item.kind)])

    item.refresh_from_db()
    assert item.state == ItemState.VERIFIED
    assert item.assignee == checker
    assert article.items.count() == 1


def test_storing_drops_untouched_items_no_longer_found_but_keeps_touched_ones():
    article = ArticleFactory()
    untouched = ChecklistItemFactory(article=article)
    annotated = ChecklistItemFactory(article=article, kind="date", start=0, end=3, text=article.body[:3])
    NoteFactory(item=annotated)

    checklist_store(article=article, claims=[])

    assert not ChecklistItem.objects.filter(pk=untouched.pk).exists()
    assert ChecklistItem.objects.filter(pk=annotated.pk).exists()


def test_a_new_reading_over_the_words_of_a_worked_item_adds_no_second_item_of_that_kind():
    article = ArticleFactory()
    verified = ChecklistItemFactory(article=article, verified=True)  # "$4.5-million"
    wider = claim_for(article, "$4.5-million budget", kind=verified.kind)

    checklist_store(article=article, claims=[wider])

    assert list(article.items.values_list("pk", flat=True)) == [verified.pk]
    verified.refresh_from_db()
    assert (verified.text, verified.state) == ("$4.5-million", ItemState.VERIFIED)


def test_a_new_reading_over_the_words_of_an_untouched_item_replaces_it():
    article = ArticleFactory()
    untouched = ChecklistItemFactory(article=article)
    wider = claim_for(article, "$4.5-million budget", kind=untouched.kind)

    checklist_store(article=article, claims=[wider])

    assert list(article.items.values_list("text", flat=True)) == ["$4.5-million budget"]


def test_storing_never_touches_manual_items():
    article = ArticleFactory()
    manual = ChecklistItemFactory(article=article, origin="manual")

    checklist_store(article=article, claims=[])

    assert ChecklistItem.objects.filter(pk=manual.pk).exists()


def test_storing_refreshes_guidance_and_raises_the_version():
    article = ArticleFactory()
    item = ChecklistItemFactory(article=article, guidance="old")
    claim = claim_for(article, item.text, kind=item.kind)

    checklist_store(article=article, claims=[claim])

    item.refresh_from_db()
    assert item.guidance == "Check it."
    assert item.version == 2


def test_a_broker_outage_leaves_the_article_saved_and_pending(unreachable_broker, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.WARNING, logger="articles.services.checklists"):
        with django_capture_on_commit_callbacks(execute=True):
            result = article_upsert(source="cms", external_id="outage", body="Sales rose 12% in May, the CEO said.")

    result.article.refresh_from_db()
    assert result.article.checklist_status == ChecklistStatus.PENDING
    assert result.article.extraction_waiting_for_broker
    assert "could not enqueue extraction" in caplog.text


def test_a_message_delivered_twice_extracts_once():
    article = ArticleFactory()
    checklist_extract(article_id=article.pk)
    items = list(article.items.values_list("pk", "version"))

    assert checklist_extract(article_id=article.pk) is None

    assert list(article.items.values_list("pk", "version")) == items
    assert ExtractionRun.objects.filter(article=article).count() == 1


