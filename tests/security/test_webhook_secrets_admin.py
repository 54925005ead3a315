"""Webhook signing secrets in the admin: never displayed, except once, to the person who created
the subscription or rotated its secret, in the message that confirms it."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from articles.models import WebhookSubscription
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/webhooksubscription/"
ADD = CHANGELIST + "add/"


@pytest.fixture
def admin_client(settings):
    settings.ALLOW_PRIVATE_URLS = True
    client = Client()
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def subscriptions():
    return [
        WebhookSubscription.objects.create(url="http://127.0.0.1:9/cms", events=["item.updated"], description="CMS"),
        WebhookSubscription.objects.create(url="http://127.0.0.1:9/bot", events=["article.ready"], description="Bot"),
    ]


def secrets_shown(html: str) -> list[str]:
    return re.findall(r"whsec_[A-Za-z0-9+/=]+", html)


def test_the_list_and_the_change_form_never_show_the_secret(admin_client, subscriptions):
    listing = admin_client.get(CHANGELIST).content.decode()
    change = admin_client.get(f"{CHANGELIST}{subscriptions[0].pk}/change/").content.decode()
    add = admin_client.get(ADD).content.decode()

    assert "CMS" in listing and "Bot" in listing
    assert "http://127.0.0.1:9/cms" in change
    for page in (listing, change, add):
        assert secrets_shown(page) == []
        assert "whsec_" not in page
        assert subscriptions[0].secret not in page and subscriptions[1].secret not in page


def test_a_new_subscription_shows_its_secret_once_in_the_success_message(admin_client):
    response = admin_client.post(
        ADD, {"url": "http://127.0.0.1:9/hook", "events": ["item.updated"], "description": "Desk", "is_active": "on"},
        follow=True,
    )

    subscription = WebhookSubscription.objects.get()
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1
    assert "was added successfully" in messages[0] and subscription.secret in messages[0]
    assert "will not be shown again" in messages[0]
    assert secrets_shown(response.content.decode()) == [subscription.secret]
    assert secrets_shown(admin_client.get(response.redirect_chain[-1][0]).content.decode()) == [], "only once"


def test_saving_a_change_does_not_show_the_secret(admin_client, subscriptions):
    response = admin_client.post(
        f"{CHANGELIST}{subscriptions[0].pk}/change/",
        {"url": "http://127.0.0.1:9/cms2", "events": ["item.updated"], "description": "CMS", "is_active": "on"},
        follow=True,
    )

    assert "was changed successfully" in response.content.decode()
    assert secrets_shown(response.content.decode()) == []


def test_rotating_gives_each_subscription_a_new_secret_shown_once_to_who_rotated_it(admin_client, subscriptions):
    old = {s.pk: s.secret for s in subscriptions}

    response = admin_client.post(
        CHANGELIST, {"action": "rotate_secret", "_selected_action": [s.pk for s in subscriptions]}, follow=True
    )

    new = {s.pk: s.secret for s in WebhookSubscription.objects.all()}
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 2, "one message per subscription"
    for subscription in subscriptions:
        assert new[subscription.pk] != old[subscription.pk]
        [message] = [m for m in messages if f"“{subscription.description}”" in m]
        assert new[subscription.pk] in message and "new signing secret" in message
    assert sorted(secrets_shown(response.content.decode())) == sorted(new.values())
    assert secrets_shown(admin_client.get(CHANGELIST).content.decode()) == [], "only once"


def test_only_someone_who_may_change_subscriptions_can_rotate(subscriptions):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_webhooksubscription"))
    client = Client()
    client.force_login(viewer)
    secret = subscriptions[0].secret

    listing = client.get(CHANGELIST)
    client.post(CHANGELIST, {"action": "rotate_secret", "_selected_action": [subscriptions[0].pk]})

    assert listing.status_code == 200 and "Rotate signing secret" not in listing.content.decode()
    assert WebhookSubscription.objects.get(pk=subscriptions[0].pk).secret == secret


def test_rotation_signs_later_deliveries_with_the_new_secret(admin_client, subscriptions):
    from standardwebhooks import Webhook

    from articles.models import WebhookDelivery
    from articles.services.webhooks import webhook_attempt_delivery
    from tests.http_receiver import Receiver

    receiver = Receiver()
    try:
        subscription = subscriptions[0]
        subscription.url = receiver.url
        subscription.save()
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event="item.updated", message_id="msg_rotated", payload={"n": 1}
        )
        response = admin_client.post(
            CHANGELIST, {"action": "rotate_secret", "_selected_action": [subscription.pk]}, follow=True
        )
        [shown] = secrets_shown(response.content.decode())

        webhook_attempt_delivery(delivery_id=delivery.pk)
    finally:
        receiver.close()

    headers, body = receiver.requests[0]
    Webhook(shown).verify(body, headers)  # raises if the signature was made with another secret
