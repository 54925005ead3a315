import datetime
import logging
import random

from celery import shared_task
from kombu.exceptions import ChannelError
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError

from . import services

logger = logging.getLogger(__name__)

# Errors that a later attempt can get past: the database restarting or unreachable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
MAX_RETRIES = 5


RETRY_COUNTDOWN_CAP_SECONDS = 300
# Sent notifications are listed on each person's page this long, then forgotten.
NOTIFICATIONS_KEPT_DAYS = 90


def retry_countdown(retries: int) -> int:
    """Exponential backoff with jitter, capped far below the broker's visibility timeout."""
    return min(RETRY_COUNTDOWN_CAP_SECONDS, 5 * 2**retries) + random.randint(0, 5)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def extract_article_checklist(self, article_id: int) -> int | None:
    """Extract and store the checklist of one article; returns the number of items found."""
    try:
        run = services.checklist_extract(article_id=article_id, task_id=self.request.id or "", link_now=False)
    except TRANSIENT_ERRORS as error:
        if self.request.retries < self.max_retries:
            countdown = retry_countdown(self.request.retries)
            services.checklist_retry_later(article_id=article_id, countdown=countdown)
            raise self.retry(exc=error, countdown=countdown) from None
        services.checklist_mark_failed(article_id=article_id)
        raise
    except Exception:
        logger.exception("extraction of article %s failed", article_id)
        services.checklist_mark_failed(article_id=article_id)
        raise
    return run.item_count if run else None


@shared_task(bind=True, max_retries=MAX_RETRIES)
def link_article_to_desk(self, article_id: int) -> int | None:
    """Link one stored checklist to the story desk; returns how many links it has."""
    from .services.stories import desk_link

    try:
        result = desk_link(article_id=article_id)
    except (*TRANSIENT_ERRORS, IntegrityError) as error:
        # The database away; or a claim of another article, compared before the locks, deleted
        # by its own new extraction meanwhile (a link to it refused): the next attempt reads again.
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from None
    return result.links if result else None


@shared_task
def recover_desk_links() -> int:
    """Beat: send again the linking of checklists whose message was lost; returns how many."""
    from .services.stories import desk_links_recover

    return len(
        desk_links_recover(
            queue_is_empty=extraction_queue_is_empty,
            lost_after=datetime.timedelta(seconds=settings.EXTRACTION_LOST_AFTER_SECONDS),
        )
    )


@shared_task(bind=True, max_retries=MAX_RETRIES)
def read_source_document(self, source_id: int) -> str | None:
    """Read one attached source into text, then match its article's claims against its sources."""
    from .services.evidence import source_read

    try:
        source = source_read(source_id=source_id)
    except TRANSIENT_ERRORS as error:
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from None
    return source.status if source else None


@shared_task(bind=True, max_retries=MAX_RETRIES)
def match_article_evidence(self, article_id: int) -> int:
    """Match an article's claims against its sources again (after it was extracted again)."""
    from .services.evidence import evidence_match_article

    try:
        return evidence_match_article(article_id=article_id)
    except TRANSIENT_ERRORS as error:
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from None


@shared_task
def recover_extractions() -> dict[str, int]:
    """Beat, and every worker as it starts: send again the extractions that would otherwise
    never happen (saved while Redis was away, lost with a message, held by a dead worker)."""
    recovery = services.checklist_recover(
        queue_is_empty=extraction_queue_is_empty,
        lost_after=datetime.timedelta(seconds=settings.EXTRACTION_LOST_AFTER_SECONDS),
        stale_after=datetime.timedelta(seconds=settings.EXTRACTION_STALE_AFTER_SECONDS),
    )
    return {"never_sent": len(recovery.never_sent), "lost": len(recovery.lost), "orphaned": len(recovery.orphaned)}


@shared_task
def database_upkeep() -> list[str]:
    """Beat, and workers as they work: vacuum and analyze the service's tables that changed
    enough since the last pass (see services/upkeep.py); the tables vacuumed."""
    from .services.upkeep import database_upkeep as upkeep

    return list(upkeep().vacuumed)


def extraction_queue_is_empty() -> bool:
    """Whether the broker holds no waiting extraction message, at any priority, right now."""
    app = extract_article_checklist.app
    queue = app.amqp.router.route({}, extract_article_checklist.name)["queue"].name
    with app.connection_for_read() as connection:
        try:
            _, message_count, _ = connection.default_channel.queue_declare(queue=queue, passive=True)
        except ChannelError:  # Redis drops an empty queue's keys: "not found" is empty
            return True
    return message_count == 0


@shared_task
def recover_webhook_deliveries() -> int:
    """Beat: send again webhook deliveries whose message was lost; returns how many."""
    from .services.webhooks import webhooks_recover

    return len(
        webhooks_recover(
            never_tried_after=datetime.timedelta(minutes=1),
            # Longer than the longest wait between two attempts.
            retry_lost_after=datetime.timedelta(seconds=2 * RETRY_COUNTDOWN_CAP_SECONDS),
        )
    )


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


@shared_task(bind=True, max_retries=5)
def send_notifications(self, recipient_id: int, channel: str) -> int:
    """Send everything waiting for one person on one channel as one message; retried with
    backoff while the mail server or the chat webhook is away (then beat tries again)."""
    from .services.notifications import NotificationNotSent, notifications_send

    try:
        return notifications_send(recipient_id=recipient_id, channel=channel)
    except TRANSIENT_ERRORS as error:
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from None
    except NotificationNotSent:
        # In-process mode (no broker) makes one attempt: retrying would block the request.
        if not self.request.is_eager and self.request.retries < self.max_retries:
            raise self.retry(countdown=retry_countdown(self.request.retries)) from None
        return 0


@shared_task
def recover_notifications() -> int:
    """Beat: send again the messages still waiting (lost with Redis, or their server was away)."""
    from .services.notifications import notifications_recover

    # Longer than the longest wait between two attempts of the task: never beside its retries.
    return len(notifications_recover(retry_after=datetime.timedelta(seconds=2 * RETRY_COUNTDOWN_CAP_SECONDS)))


@shared_task
def remind_due_items() -> int:
    """Beat: remind assignees of their items due soon (each item and due time once)."""
    from .services.notifications import notify_due_soon

    return notify_due_soon()


@shared_task
def send_morning_digests() -> int:
    """Beat, each morning: every person's open items, once a day; and the messages sent more
    than NOTIFICATIONS_KEPT_DAYS ago are forgotten."""
    from .services.notifications import notifications_prune, notify_digest

    notifications_prune(older_than=datetime.timedelta(days=NOTIFICATIONS_KEPT_DAYS))
    return notify_digest()
