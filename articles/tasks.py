import datetime
import logging
import random

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services

logger = logging.getLogger(__name__)

# Errors that a later attempt can get past: the database restarting or unreachable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
MAX_RETRIES = 5


def retry_countdown(retries: int) -> int:
    """Exponential backoff with jitter, capped far below the broker's visibility timeout."""
    return min(300, 5 * 2**retries) + random.randint(0, 5)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def extract_article_checklist(self, article_id: int) -> int | None:
    """Extract and store the checklist of one article; returns the number of items found."""
    try:
        run = services.checklist_extract(article_id=article_id, task_id=self.request.id or "")
    except TRANSIENT_ERRORS as error:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from None
        services.checklist_mark_failed(article_id=article_id)
        raise
    except Exception:
        logger.exception("extraction of article %s failed", article_id)
        services.checklist_mark_failed(article_id=article_id)
        raise
    return run.item_count if run else None


@shared_task
def requeue_stale_extractions() -> int:
    """Beat: enqueue again extractions lost to a dead worker or a broker outage."""
    stale_after = datetime.timedelta(seconds=settings.EXTRACTION_STALE_AFTER_SECONDS)
    return len(services.checklist_requeue_stale(older_than=stale_after))


@shared_task(bind=True, max_retries=settings.WEBHOOK_MAX_ATTEMPTS - 1)
def deliver_webhook(self, delivery_id: int) -> bool:
    """Send one webhook delivery; retried with backoff until it succeeds or attempts run out."""
    from .services.webhooks import webhook_attempt_delivery, webhook_give_up

    attempt = webhook_attempt_delivery(delivery_id=delivery_id)
    if attempt is None or attempt.succeeded:
        return attempt is not None
    # In-process mode (no broker) makes one attempt only: retrying would block the request.
    if not self.request.is_eager and self.request.retries < self.max_retries:
        raise self.retry(countdown=retry_countdown(self.request.retries))
    webhook_give_up(delivery_id=delivery_id)
    return False


@shared_task
def poll_feeds(feed_ids: list[int] | None = None) -> dict[str, int]:
    """Beat: poll every active feed (or the given ones) and import new and changed entries.

    Safe to run twice: a feed polled by another worker at the same moment is skipped, a 304
    imports nothing, and an unchanged entry writes nothing.
    """
    from .services.imports import feeds_poll

    report = feeds_poll(feed_ids=feed_ids)
    for item in report.failures:
        logger.warning("feed import failed: %s: %s", item.label, item.reason)
    return report.counts()
