"""Notifications through a real Redis broker and a real Celery worker."""

import datetime
import time

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from articles.models import Notification, NotificationStatus
from articles.services.notifications import notifications_recover
from tests.conftest import configure_broker
from tests.notifications.conftest import chat_on
from tests.test_pipeline import wait_for

pytestmark = pytest.mark.pipeline


def test_a_bulk_assignment_through_the_api_is_one_email_and_one_chat_message(
    celery_worker, api, people, budget, chat, settings
):
    settings.SITE_URL = "https://desk.example"
    article, money, date, quote = budget
    chat_on(people.checker, chat.url)

    response = api("editor").post(
        "/api/v1/items/assign/", {"items": [money.pk, date.pk, quote.pk], "assignee": "carl-checker"}, format="json"
    )

    assert response.status_code == 200
    wait_for(lambda: len(mail.outbox) == 1 and len(chat.requests) == 1, "the worker's messages", timeout=30)
    time.sleep(1)  # nothing else follows
    (message,) = mail.outbox
    assert message.to == [people.checker.email]
    assert message.subject == "Fact-check desk: 3 items assigned to you"
    assert len(chat.requests) == 1
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_a_message_that_could_not_be_queued_while_redis_was_away_is_sent_by_recovery(
    celery_worker, api, people, budget, redis_broker_url
):
    _, money, *_ = budget
    configure_broker(broker_url="redis://127.0.0.1:1/0")  # Redis goes away for the web process
    try:
        response = api("editor").post(
            "/api/v1/items/assign/", {"items": [money.pk], "assignee": "carl-checker"}, format="json"
        )
    finally:
        configure_broker(broker_url=redis_broker_url)

    assert response.status_code == 200  # the assignment is saved; the message waits
    assert Notification.objects.get().status == NotificationStatus.PENDING
    assert mail.outbox == []

    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))  # a minute on: lost
    with transaction.atomic():  # beat's pass
        assert notifications_recover(retry_after=datetime.timedelta(minutes=10)) == [(people.checker.pk, "email")]

    wait_for(lambda: len(mail.outbox) == 1, "the recovered message", timeout=30)
    wait_for(lambda: Notification.objects.get().status == NotificationStatus.SENT, "the record of it", timeout=10)
