"""Webhooks: managed through the API, signed per Standard Webhooks, retried, every attempt logged."""

import json

import pytest
from standardwebhooks import Webhook

from articles.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from articles.services.webhooks import webhook_attempt_delivery, webhook_subscribe
from articles.services.items import item_set_tier, item_verify
from tests.factories import ChecklistItemFactory

pytestmark = pytest.mark.django_db


def deliveries_sent(django_capture_on_commit_callbacks, action):
    with django_capture_on_commit_callbacks(execute=False):
        action()
    return list(WebhookDelivery.objects.order_by("pk"))


def test_a_cms_subscribes_through_the_api_and_gets_a_secret_once(api, receiver):
    response = api("cms").post(
        "/api/v1/webhooks/", {"url": receiver.url, "events": ["item.updated", "article.ready"]}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["secret"].startswith("whsec_")
    assert response.json()["events"] == ["article.ready", "item.updated"]


def test_an_unknown_event_is_refused(api, receiver):
    response = api("cms").post("/api/v1/webhooks/", {"url": receiver.url, "events": ["item.deleted"]}, format="json")

    assert response.status_code == 400


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/hook", "http://localhost/hook", "http://10.1.2.3/hook", "ftp://example.org/hook"]
)
def test_private_and_non_http_addresses_are_refused_by_default(api, url):
    response = api("cms").post("/api/v1/webhooks/", {"url": url, "events": ["item.updated"]}, format="json")

    assert response.status_code == 400
    assert not WebhookSubscription.objects.exists()


def test_a_reporter_cannot_manage_webhooks(api, receiver):
    response = api("reporter").post("/api/v1/webhooks/", {"url": receiver.url, "events": ["item.updated"]}, format="json")

    assert response.status_code == 403


def test_subscriptions_are_visible_only_to_who_made_them(api, receiver, cast):
    api("cms").post("/api/v1/webhooks/", {"url": receiver.url, "events": ["item.updated"]}, format="json")

    assert api("cms").get("/api/v1/webhooks/").json()["count"] == 1
    assert api("editor").get("/api/v1/webhooks/").json()["count"] == 0


def test_an_item_change_is_delivered_signed_and_verifiable_by_the_receiver(
    receiver, cast, django_capture_on_commit_callbacks
):
    subscription = webhook_subscribe(url=receiver.url, events=["item.updated"], by=cast.cms)
    item = ChecklistItemFactory()

    [delivery] = deliveries_sent(django_capture_on_commit_callbacks,
                                 lambda: item_verify(item_id=item.pk, by=cast.editor))
    attempt = webhook_attempt_delivery(delivery_id=delivery.pk)

    assert attempt.succeeded
    [(headers, body)] = receiver.requests
    payload = Webhook(subscription.secret).verify(body, headers)
    assert payload["type"] == "item.updated"
    assert payload["data"]["item"]["id"] == item.pk
    assert payload["data"]["item"]["state"] == "verified"
    assert headers["webhook-id"] == delivery.message_id
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED


def test_a_tampered_body_fails_verification(receiver, cast, django_capture_on_commit_callbacks):
    from standardwebhooks.webhooks import WebhookVerificationError

    subscription = webhook_subscribe(url=receiver.url, events=["item.updated"], by=cast.cms)
    item = ChecklistItemFactory()
    [delivery] = deliveries_sent(django_capture_on_commit_callbacks, lambda: item_verify(item_id=item.pk, by=cast.editor))
    webhook_attempt_delivery(delivery_id=delivery.pk)
    [(headers, body)] = receiver.requests

    with pytest.raises(WebhookVerificationError):
        Webhook(subscription.secret).verify(body.replace(b"verified", b"incorrect"), headers)


def test_resolving_the_last_item_announces_the_article_ready(receiver, cast, django_capture_on_commit_callbacks):
    webhook_subscribe(url=receiver.url, events=["article.ready"], by=cast.cms)
    item = ChecklistItemFactory(article__checklist_status="ready")

    [delivery] = deliveries_sent(django_capture_on_commit_callbacks, lambda: item_verify(item_id=item.pk, by=cast.editor))

    assert delivery.event == "article.ready"
    assert delivery.payload["article"]["id"] == item.article_id


def test_moving_the_last_open_item_to_recommended_announces_the_article_ready(
    receiver, cast, django_capture_on_commit_callbacks
):
    webhook_subscribe(url=receiver.url, events=["article.ready"], by=cast.cms)
    item = ChecklistItemFactory(article__checklist_status="ready")

    [delivery] = deliveries_sent(
        django_capture_on_commit_callbacks,
        lambda: item_set_tier(item_id=item.pk, tier="recommended", note="Background only.", by=cast.editor),
    )

    assert delivery.event == "article.ready"
    assert (delivery.payload["required_total"], delivery.payload["recommended_open"]) == (0, 1)


def test_a_failed_attempt_is_logged_and_the_delivery_stays_pending_for_a_retry(
    receiver, cast, django_capture_on_commit_callbacks
):
    webhook_subscribe(url=receiver.url, events=["item.updated"], by=cast.cms)
    item = ChecklistItemFactory()
    [delivery] = deliveries_sent(django_capture_on_commit_callbacks, lambda: item_verify(item_id=item.pk, by=cast.editor))
    receiver.replies = [503]

    first = webhook_attempt_delivery(delivery_id=delivery.pk)
    second = webhook_attempt_delivery(delivery_id=delivery.pk)

    assert (first.status_code, first.succeeded) == (503, False)
    assert "HTTP 503" in first.error
    assert second.succeeded
    assert [a.number for a in delivery.attempts.all()] == [1, 2]
    assert len({headers["webhook-id"] for headers, _ in receiver.requests}) == 1, "retries keep the message id"


def test_an_unreachable_receiver_is_logged_as_an_attempt(cast, settings, django_capture_on_commit_callbacks):
    settings.ALLOW_PRIVATE_URLS = True
    webhook_subscribe(url="http://127.0.0.1:1/nothing-listens", events=["item.updated"], by=cast.cms)
    item = ChecklistItemFactory()
    [delivery] = deliveries_sent(django_capture_on_commit_callbacks, lambda: item_verify(item_id=item.pk, by=cast.editor))

    attempt = webhook_attempt_delivery(delivery_id=delivery.pk)

    assert attempt.status_code is None
    assert "ConnectionError" in attempt.error


def test_a_finished_delivery_is_not_sent_again(receiver, cast, django_capture_on_commit_callbacks):
    webhook_subscribe(url=receiver.url, events=["item.updated"], by=cast.cms)
    item = ChecklistItemFactory()
    [delivery] = deliveries_sent(django_capture_on_commit_callbacks, lambda: item_verify(item_id=item.pk, by=cast.editor))
    webhook_attempt_delivery(delivery_id=delivery.pk)

    assert webhook_attempt_delivery(delivery_id=delivery.pk) is None
    assert len(receiver.requests) == 1


def test_no_subscription_means_no_delivery(cast, django_capture_on_commit_callbacks):
    item = ChecklistItemFactory()

    assert deliveries_sent(django_capture_on_commit_callbacks, lambda: item_verify(item_id=item.pk, by=cast.editor)) == []


def test_the_payload_is_json(receiver, cast, django_capture_on_commit_callbacks):
    webhook_subscribe(url=receiver.url, events=["item.updated"], by=cast.cms)
    item = ChecklistItemFactory()
    [delivery] = deliveries_sent(django_capture_on_commit_callbacks, lambda: item_verify(item_id=item.pk, by=cast.editor))
    webhook_attempt_delivery(delivery_id=delivery.pk)

    headers, body = receiver.requests[0]
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["data"]["item"]["text"] == item.text


# --- the signing secret: shown once, rotated on demand -----------------------------------------


def subscribe(api, receiver, role="cms", **fields):
    return api(role).post("/api/v1/webhooks/", {"url": receiver.url, "events": ["item.updated"], **fields}, format="json")


def test_the_secret_is_never_shown_again_after_the_subscription_is_created(api, receiver):
    created = subscribe(api, receiver).json()
    url = f"/api/v1/webhooks/{created['id']}/"

    listed = api("cms").get("/api/v1/webhooks/").json()["results"]
    detail = api("cms").get(url).json()
    patched = api("cms").patch(url, {"description": "CMS hook"}, format="json").json()
    put = api("cms").put(url, {"url": receiver.url, "events": ["article.ready"]}, format="json").json()

    assert created["secret"].startswith("whsec_")
    for shown in (*listed, detail, patched, put):
        assert "secret" not in shown
    assert (patched["description"], put["events"]) == ("CMS hook", ["article.ready"])


def test_rotating_the_secret_shows_the_new_one_once_and_signs_with_it(api, receiver):
    created = subscribe(api, receiver).json()

    rotated = api("cms").post(f"/api/v1/webhooks/{created['id']}/rotate-secret/")

    assert rotated.status_code == 200
    new_secret = rotated.json()["secret"]
    assert new_secret.startswith("whsec_") and new_secret != created["secret"]
    assert WebhookSubscription.objects.get(pk=created["id"]).secret == new_secret
    assert "secret" not in api("cms").get(f"/api/v1/webhooks/{created['id']}/").json()


def test_rotating_needs_the_right_to_change_webhooks_and_sees_only_your_own(api, receiver):
    created = subscribe(api, receiver).json()
    secret = WebhookSubscription.objects.get(pk=created["id"]).secret

    by_reporter = api("reporter").post(f"/api/v1/webhooks/{created['id']}/rotate-secret/")
    by_another_editor = api("editor").post(f"/api/v1/webhooks/{created['id']}/rotate-secret/")

    assert (by_reporter.status_code, by_another_editor.status_code) == (403, 404)
    assert WebhookSubscription.objects.get(pk=created["id"]).secret == secret


def test_optional_fields_of_a_subscription_sent_as_null_count_as_not_given(api, receiver):
    created = subscribe(api, receiver, description=None, is_active=None)
    url = f"/api/v1/webhooks/{created.json()['id']}/"
    api("cms").patch(url, {"description": "CMS hook", "is_active": False}, format="json")

    patched = api("cms").patch(url, {"description": None, "is_active": None, "url": None, "events": None}, format="json")
    put = api("cms").put(url, {"url": receiver.url, "events": ["item.updated"], "description": None}, format="json")

    assert created.status_code == 201 and created.json()["is_active"] is True
    assert patched.status_code == 200
    assert (patched.json()["description"], patched.json()["is_active"]) == ("CMS hook", False)
    assert put.status_code == 200
    assert put.json()["description"] == "CMS hook"


def test_a_subscription_needs_its_url_and_events_and_text_where_text_belongs(api, receiver):
    assert subscribe(api, receiver, url=None).status_code == 400
    assert subscribe(api, receiver, events=None).status_code == 400
    assert subscribe(api, receiver, description=42).status_code == 400
    assert not WebhookSubscription.objects.exists()
