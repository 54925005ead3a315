"""Each person's notification settings (page and API), and naming an article's editor."""

import pytest
from django.core import mail
from django.urls import reverse

from articles.models import Notification, NotificationSettings
from articles.services.items import item_assign

pytestmark = pytest.mark.django_db

ALL_EVENTS = {"assigned", "due_soon", "article_ready", "incorrect", "digest"}


# --- the API -------------------------------------------------------------------------------


def test_everything_is_on_until_a_person_changes_it(api):
    response = api("checker").get("/api/v1/notification-settings/")

    assert response.status_code == 200
    assert response.json() == {
        "chat_webhook_url": "",
        "email": dict.fromkeys(ALL_EVENTS, True),
        "chat": dict.fromkeys(ALL_EVENTS, True),
    }


def test_a_person_turns_events_off_and_sets_a_chat_webhook(api, cast, chat):
    response = api("checker").put(
        "/api/v1/notification-settings/",
        {"chat_webhook_url": chat.url, "email": {"digest": False}, "chat": {"assigned": False}},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["email"]["digest"] is False
    assert response.json()["email"]["assigned"] is True  # left out: unchanged
    preferences = NotificationSettings.objects.get(user=cast.checker)
    assert preferences.chat_webhook_url == chat.url
    assert sorted(preferences.muted) == ["chat:assigned", "email:digest"]


def test_a_private_chat_address_is_refused_by_default(api):
    response = api("checker").put(
        "/api/v1/notification-settings/", {"chat_webhook_url": "http://10.0.0.5/hooks/x"}, format="json"
    )

    assert response.status_code == 400
    assert "cannot receive chat messages" in response.json()["detail"]
    assert not NotificationSettings.objects.exists()


@pytest.mark.parametrize("payload", [{"email": {"digest": "sometimes"}}, {"email": "off"}, [1, 2]])
def test_malformed_settings_are_a_clear_400(api, payload):
    response = api("checker").put("/api/v1/notification-settings/", payload, format="json")

    assert response.status_code == 400


def test_settings_need_a_signed_in_newsroom_user(client, api):
    assert client.get("/api/v1/notification-settings/").status_code in (401, 403)
    assert api("outsider").get("/api/v1/notification-settings/").status_code == 403


# --- the page --------------------------------------------------------------------------------


def test_the_page_shows_the_grid_and_saves_it(client, cast):
    client.force_login(cast.checker)
    page = client.get(reverse("newsroom:notification_settings"))
    assert page.status_code == 200
    assert 'name="email:assigned" checked' in page.content.decode()

    boxes = {f"{channel}:{event}": "on" for channel in ("email", "chat") for event in ALL_EVENTS}
    del boxes["email:due_soon"]
    response = client.post(reverse("newsroom:notification_settings"), {**boxes, "chat_webhook_url": ""})

    assert response.status_code == 302
    assert NotificationSettings.objects.get(user=cast.checker).muted == ["email:due_soon"]
    page = client.get(reverse("newsroom:notification_settings")).content.decode()
    assert 'name="email:due_soon">' in page and "Your notification settings are saved." in page


def test_the_page_refuses_a_private_chat_address_and_says_why(client, cast):
    client.force_login(cast.checker)

    response = client.post(reverse("newsroom:notification_settings"), {"chat_webhook_url": "http://127.0.0.1:9/x"})

    assert response.status_code == 400
    assert "cannot receive chat messages" in response.content.decode()


def test_the_page_lists_the_last_messages_with_their_words_escaped(client, cast):
    Notification.objects.create(
        recipient=cast.checker, channel="email", event="assigned", text='<script>alert("x")</script> assigned you',
        link="/items/1/",
    )
    client.force_login(cast.checker)

    page = client.get(reverse("newsroom:notification_settings")).content.decode()

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; assigned you" in page
    assert '<script>alert("x")' not in page


# --- the article's editor ----------------------------------------------------------------------


def test_an_editor_names_the_article_editor_through_the_api(api, cast, budget):
    article, *_ = budget
    second_editor = type(cast.editor).objects.create(username="ed-second")
    second_editor.groups.add(*cast.editor.groups.all())

    response = api("editor").post(f"/api/v1/articles/{article.pk}/editor/", {"editor": "ed-second"}, format="json")

    assert response.status_code == 200
    assert response.json()["editor"] == "ed-second"
    assert api("editor").get(f"/api/v1/articles/{article.pk}/").json()["editor"] == "ed-second"


@pytest.mark.parametrize(("role", "editor", "status"), [
    ("checker", "edna-editor", 403),  # only editors name editors
    ("editor", "carl-checker", 400),  # a checker cannot be an article's editor
    ("editor", "nobody-by-that-name", 400),
    ("editor", 42, 400),
])
def test_naming_an_editor_is_refused_clearly(api, budget, role, editor, status):
    article, *_ = budget

    response = api(role).post(f"/api/v1/articles/{article.pk}/editor/", {"editor": editor}, format="json")

    assert response.status_code == status
    article.refresh_from_db()
    assert article.editor is None


def test_the_first_editor_to_assign_items_takes_the_article_on_but_not_a_named_one(people, budget):
    article, money, date, _ = budget

    item_assign(item_id=money.pk, assignee=people.checker, by=people.checker)  # a checker claims: no editor
    article.refresh_from_db()
    assert article.editor is None

    item_assign(item_id=date.pk, assignee=people.checker, by=people.editor)
    article.refresh_from_db()
    assert article.editor == people.editor


def test_the_article_page_shows_the_editor_and_lets_an_editor_change_it(client, people, budget):
    article, *_ = budget
    client.force_login(people.editor)

    response = client.post(reverse("newsroom:article_editor", args=[article.pk]), {"editor": people.editor.pk})

    assert response.status_code == 302
    page = client.get(reverse("newsroom:article", args=[article.pk])).content.decode()
    assert 'data-testid="article-editor">Editor: edna-editor<' in page
    assert mail.outbox == []


def test_a_checker_cannot_change_the_editor_from_the_page(client, people, budget):
    article, *_ = budget
    client.force_login(people.checker)

    response = client.post(reverse("newsroom:article_editor", args=[article.pk]), {"editor": people.editor.pk})

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.editor is None


@pytest.mark.parametrize("method", ["patch", "post", "delete"])
def test_settings_offer_only_reading_and_replacing(api, method):
    response = getattr(api("checker"), method)("/api/v1/notification-settings/", {}, format="json")

    assert response.status_code == 405


def test_the_admin_offers_editors_and_keeps_an_article_editor_who_is_no_longer_one(client, people, budget):
    article, *_ = budget
    former = type(people.editor).objects.create(username="fred-former")
    article.editor = former
    article.save(update_fields=["editor"])
    admin_user = type(people.editor).objects.create(username="ada-admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)

    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    editor_select = page[page.index('name="editor"'):]
    editor_select = editor_select[: editor_select.index("</select>")]
    assert f'<option value="{former.pk}" selected>fred-former</option>' in editor_select
    assert "edna-editor" in editor_select and "ada-admin" in editor_select
    assert "carl-checker" not in editor_select
