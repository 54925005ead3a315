"""Webhooks: subscriptions, the deliveries an event creates, and one signed attempt at a time.

Deliveries are rows written in the same transaction as the change they announce, and
sent by a Celery task after commit, so a rolled-back change never announces itself and a
lost message can be sent again. Signatures follow Standard Webhooks (webhook-id,
webhook-timestamp, webhook-signature: HMAC-SHA256).
"""

from __future__ import annotations

import datetime
import json
import logging
import time
import uuid
from collections.abc import Callable

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from standardwebhooks import Webhook

from ..models import (
    Article,
    ChecklistItem,
    DeliveryStatus,
    ItemState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
    new_webhook_secret,
)
from ..outbound import UnsafeURL, check_outbound_url, outbound_session
from .errors import WorkflowError
from .queueing import enqueue_after_commit

logger = logging.getLogger(__name__)


class WebhookRejected(WorkflowError):
    pass


def webhook_subscribe(
    *,
    url: str,
    events: list[str],
    by,
    description: str = "",
    is_active: bool = True,
    subscription: WebhookSubscription | None = None,
) -> WebhookSubscription:
    """Create a subscription, or change ``subscription``; the URL must be one we may contact."""
    unknown = set(events) - set(WebhookEvent.values)
    if unknown or not events:
        raise WebhookRejected(f"Choose events among: {', '.join(WebhookEvent.values)}.")
    try:
        check_outbound_url(url, allow_private=settings.ALLOW_PRIVATE_URLS)
    except UnsafeURL as error:
        raise WebhookRejected(f"This address cannot receive webhooks: {error}.") from None
    subscription = subscription or WebhookSubscription(created_by=by)
    subscription.url = url
    subscription.events = sorted(set(events))
    subscription.description = description
    subscription.is_active = is_active
    subscription.save()
    return subscription


def webhook_rotate_secret(*, subscription: WebhookSubscription) -> str:
    """Give the subscription a new signing secret and return it: the only time it is shown.

    Deliveries still waiting are signed with the new secret when they are sent.
    """
    subscription.secret = new_webhook_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    return subscription.secret


# --- events -----------------------------------------------------------------------------


def webhooks_dispatch(
    *, event: str, payload: dict | Callable[[], dict | None], active: list[WebhookSubscription] | None = None
) -> list[WebhookDelivery]:
    """Create a delivery for every active subscription to ``event``; each is sent after commit.

    ``payload`` may be a function: it is called only when someone subscribes, and returning
    None sends nothing. ``active``: the active subscriptions, when the caller has read them
    for several events.
    """
    if active is None:
        active = _active_subscriptions()
    subscriptions = [s for s in active if event in s.events]
    if not subscriptions:
        return []
    if callable(payload):
        payload = payload()
        if payload is None:
            return []
    body = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    deliveries = []
    for subscription in subscriptions:
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event=event, message_id=f"msg_{uuid.uuid4().hex}", payload=body
        )
        enqueue_after_commit("deliver_webhook", delivery.pk, what=f"webhook delivery {delivery.pk}")
        deliveries.append(delivery)
    return deliveries


def webhooks_item_changed(*, item: ChecklistItem, previous_state: str, no_longer_required: bool = False) -> None:
    """``item.updated``, and ``article.ready`` when the change may have cleared the last blocker."""
    from ..api.serializers import ItemSerializer  # the same shape as GET /api/v1/items/{id}/

    webhooks_dispatch(event=WebhookEvent.ITEM_UPDATED, payload=lambda: {"item": ItemSerializer(item).data})
    just_resolved = item.state in ItemState.resolved() and previous_state not in ItemState.resolved()
    if just_resolved or no_longer_required:
        _dispatch_if_ready(item.article)


def webhooks_checklist_ready(*, article: Article, item_count: int, required_count: int) -> None:
    active = _active_subscriptions()  # one read for both events: every extraction asks
    webhooks_dispatch(
        event=WebhookEvent.CHECKLIST_READY,
        payload={"article": _article_reference(article), "item_count": item_count, "required_count": required_count},
        active=active,
    )
    _dispatch_if_ready(article, active=active)


def _active_subscriptions() -> list[WebhookSubscription]:
    return list(WebhookSubscription.objects.filter(is_active=True))


def _dispatch_if_ready(article: Article, *, active: list[WebhookSubscription] | None = None) -> None:
    """Announce ``article.ready`` when the article is ready (its readiness is read only for subscribers)."""
    from ..selectors import article_readiness

    def payload():
        readiness = article_readiness(article)
        if not readiness.ready:
            return None
        return {
            "article": _article_reference(article),
            "counts": readiness.counts,
            "required_total": readiness.required_total,
            "recommended_open": readiness.recommended_open,
        }

    webhooks_dispatch(event=WebhookEvent.ARTICLE_READY, payload=payload, active=active)


def _article_reference(article: Article) -> dict:
    return {
        "id": article.pk,
        "source": article.source,
        "external_id": article.external_id,
        "revision": article.revision,
        "checklist_status": article.checklist_status,
    }


# --- delivery ---------------------------------------------------------------------------


def webhook_attempt_delivery(*, delivery_id: int) -> WebhookAttempt | None:
    """Make one signed attempt; None when the delivery is already finished (a repeated task)."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return None
    subscription = delivery.subscription
    body = json.dumps(
        {"type": delivery.event, "timestamp": delivery.created_at.isoformat(), "data": delivery.payload},
        cls=DjangoJSONEncoder,
    )
    now = timezone.now()
    headers = {
        "content-type": "application/json",
        "user-agent": "factcheck-webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(subscription.secret).sign(delivery.message_id, now, body),
    }
    status_code, error = None, ""
    started = time.monotonic()
    try:
        # The session resolves the receiver's host once, checks every address and connects to a
        # checked one (no second lookup, no proxy); a redirect is not followed. Only the start of
        # an error answer is read: a receiver cannot make the worker download more.
        with outbound_session() as session, session.post(
            subscription.url,
            data=body.encode(),
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
            stream=True,
        ) as response:
            status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}: {_start_of_answer(response)}"
    except (UnsafeURL, requests.RequestException) as failure:
        error = f"{type(failure).__name__}: {failure}"
    duration_ms = int((time.monotonic() - started) * 1000)

    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.attempt_count += 1
        attempt = WebhookAttempt.objects.create(
            delivery=delivery, number=delivery.attempt_count, status_code=status_code, error=error,
            duration_ms=duration_ms,
        )
        if attempt.succeeded:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.finished_at = timezone.now()
        delivery.save(update_fields=["attempt_count", "status", "finished_at"])
    return attempt


def _start_of_answer(response, limit: int = 500) -> str:
    """The first characters of a receiver's answer, reading no more than a few KB of it."""
    start = next(response.iter_content(4 * limit), b"")
    try:
        return start.decode(response.encoding or "utf-8", "replace")[:limit]
    except LookupError:  # a charset Python does not know
        return start.decode("utf-8", "replace")[:limit]


def webhook_give_up(*, delivery_id: int) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, finished_at=timezone.now()
    )


def webhooks_recover(
    *, never_tried_after: datetime.timedelta, retry_lost_after: datetime.timedelta
) -> list[int]:
    """Send again the deliveries whose message was lost (broker away, a dead worker's retry).

    A delivery never attempted ``never_tried_after`` after it was created, or whose last
    attempt is older than ``retry_lost_after`` (longer than any retry waits), is sent again;
    one out of attempts is given up. Receivers deduplicate on ``webhook-id``, so a delivery
    sent twice is harmless.
    """
    now = timezone.now()
    pending = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).annotate(
        last_attempt_at=Max("attempts__attempted_at")
    )
    lost = list(
        pending.filter(
            Q(attempt_count=0, created_at__lt=now - never_tried_after)
            | Q(attempt_count__gt=0, last_attempt_at__lt=now - retry_lost_after)
        )
        .order_by("pk")
        .values_list("pk", "attempt_count")
    )
    resent = []
    for delivery_id, attempt_count in lost:
        if attempt_count >= settings.WEBHOOK_MAX_ATTEMPTS:
            webhook_give_up(delivery_id=delivery_id)
            continue
        enqueue_after_commit("deliver_webhook", delivery_id, what=f"webhook delivery {delivery_id}", recovered=True)
        resent.append(delivery_id)
    if resent:
        logger.warning("sent again %d webhook deliveries whose message was lost", len(resent))
    return resent
