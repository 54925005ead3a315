"""Webhook deliveries whose message was lost are sent again; finished ones never are."""

import datetime

import pytest
from django.utils import timezone

from articles.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from articles.services.webhooks import webhooks_recover

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription():
    return WebhookSubscription.objects.create(url="https://cms.example.org/hooks", events=["item.updated"])


def delivery(subscription, *, age: datetime.timedelta, attempts: int = 0, status=DeliveryStatus.PENDING):
    made = WebhookDelivery.objects.create(
        subscription=subscription,
        event="item.updated",
        message_id=f"msg_{WebhookDelivery.objects.count()}",
        payload={},
        status=status,
        attempt_count=attempts,
    )
    WebhookDelivery.objects.filter(pk=made.pk).update(created_at=timezone.now() - age)
    for number in range(1, attempts + 1):
        attempt = WebhookAttempt.objects.create(delivery=made, number=number, status_code=500)
        WebhookAttempt.objects.filter(pk=attempt.pk).update(attempted_at=timezone.now() - age)
    return made


def recover():
    return webhooks_recover(
        never_tried_after=datetime.timedelta(minutes=1), retry_lost_after=datetime.timedelta(minutes=10)
    )


def test_a_delivery_never_tried_is_sent_again_after_a_minute(broker, subscription):
    lost = delivery(subscription, age=datetime.timedelta(minutes=5))
    delivery(subscription, age=datetime.timedelta(seconds=5))

    assert recover() == [lost.pk]


def test_a_retry_that_never_came_is_sent_again_once_no_retry_could_still_be_waiting(broker, subscription):
    lost_retry = delivery(subscription, age=datetime.timedelta(hours=1), attempts=2)
    delivery(subscription, age=datetime.timedelta(minutes=2), attempts=2)

    assert recover() == [lost_retry.pk]


def test_a_delivery_out_of_attempts_is_given_up_and_finished_ones_are_left_alone(broker, subscription, settings):
    exhausted = delivery(subscription, age=datetime.timedelta(hours=1), attempts=settings.WEBHOOK_MAX_ATTEMPTS)
    delivery(subscription, age=datetime.timedelta(hours=1), attempts=1, status=DeliveryStatus.SUCCEEDED)
    delivery(subscription, age=datetime.timedelta(hours=1), attempts=8, status=DeliveryStatus.FAILED)

    assert recover() == []
    exhausted.refresh_from_db()
    assert exhausted.status == DeliveryStatus.FAILED
