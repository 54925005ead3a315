"""The pipeline end to end: import, a real Redis broker, a real Celery worker, the database."""

import time

import pytest
from django.core.management import call_command

from articles.models import Article, ChecklistItem, ChecklistStatus, ExtractionRun, RunStatus
from articles.services import article_upsert

pytestmark = pytest.mark.pipeline


def wait_for(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(0.1)


def wait_until_checklists_settle() -> None:
    unsettled = [ChecklistStatus.PENDING, ChecklistStatus.RUNNING]
    wait_for(lambda: not Article.objects.filter(checklist_status__in=unsettled).exists(), "checklist extraction")


def wait_until_linked_to_the_desk() -> None:
    """The worker links each stored checklist in a task of its own, after the extractions."""
    wait_until_checklists_settle()
    wait_for(lambda: not Article.objects.filter(desk_link_pending=True).exists(), "desk linking")


def test_imported_samples_get_their_checklists_from_the_worker(celery_worker, sample_paths):
    call_command("import_articles", *map(str, sample_paths))

    wait_until_checklists_settle()
    assert Article.objects.count() == len(sample_paths)
    for article in Article.objects.all():
        assert article.checklist_status == ChecklistStatus.READY
        assert article.items.exists()
        run = article.extraction_runs.get()
        assert run.status == RunStatus.SUCCEEDED
        assert run.task_id
        assert run.item_count == article.items.filter(origin="auto").count()  # the engine's; the desk adds checks
        for item in article.items.all():
            assert article.body[item.start : item.end] == item.text


def test_a_message_delivered_twice_through_the_worker_changes_nothing(celery_worker, sample_paths):
    from articles.tasks import extract_article_checklist

    call_command("import_articles", str(sample_paths[0]))
    wait_until_checklists_settle()
    article = Article.objects.get()
    first = list(article.items.values_list("pk", "kind", "start", "end", "version"))

    extract_article_checklist.delay(article.pk)
    # The worker takes messages in order: once the next article is extracted, so was the repeat.
    article_upsert(source="test", external_id="after-the-repeat", body=sample_paths[1].read_text())
    wait_until_checklists_settle()

    assert list(article.items.values_list("pk", "kind", "start", "end", "version")) == first
    assert article.extraction_runs.count() == 1


def test_an_edited_body_is_extracted_again_and_keeps_verified_items(celery_worker, sample_paths):
    body = sample_paths[0].read_text()
    article = article_upsert(source="test", external_id="edited", body=body).article
    wait_until_checklists_settle()
    kept = article.items.order_by("start").first()
    kept.state = "verified"
    kept.save()

    article_upsert(source="test", external_id="edited", body=body + "\n\nA new paragraph with 12 more words.")
    wait_until_checklists_settle()

    article.refresh_from_db()
    assert article.revision == 2
    assert article.checklist_status == ChecklistStatus.READY
    assert ChecklistItem.objects.get(pk=kept.pk).state == "verified"
    assert ExtractionRun.objects.filter(article=article, status=RunStatus.SUCCEEDED).count() == 2


def test_the_worker_delivers_a_signed_checklist_ready_webhook(celery_worker, settings, cast):
    from standardwebhooks import Webhook

    from articles.services.webhooks import webhook_subscribe
    from tests.http_receiver import Receiver

    settings.ALLOW_PRIVATE_URLS = True
    receiver = Receiver()
    try:
        subscription = webhook_subscribe(url=receiver.url, events=["checklist.ready"], by=cast.cms)
        article = article_upsert(source="cms", external_id="hooked", body="Exports rose 12% in 2025, the ministry said.").article

        wait_for(lambda: len(receiver.requests) == 1, "the webhook delivery")
    finally:
        receiver.close()
    headers, body = receiver.requests[0]
    payload = Webhook(subscription.secret).verify(body, headers)
    assert payload["type"] == "checklist.ready"
    assert payload["data"]["article"]["id"] == article.pk
    wait_for(lambda: subscription.deliveries.get().attempts.count() == 1, "the attempt log")
