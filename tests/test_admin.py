"""The admin works for every model: lists, filters, search, and items inline on the article."""

import pytest
from django.urls import reverse

from articles.models import ChecklistItem, ExtractionRun, TierRule
from tests.factories import ArticleFactory, ChecklistItemFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def checklist():
    item = ChecklistItemFactory(verified=True)
    NoteFactory(item=item, body="Matches the <b>council</b> minutes.")
    ExtractionRun.objects.create(article=item.article, extractor_version="test", item_count=1)
    return item


@pytest.mark.parametrize(
    "model",
    [
        "article", "checklistitem", "note", "extractionrun", "articlerevision", "webhooksubscription",
        "webhookdelivery", "tierrule",
    ],
)
def test_every_model_has_a_searchable_list(staff_client, checklist, model):
    url = reverse(f"admin:articles_{model}_changelist")

    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "council"}).status_code == 200


def test_the_article_list_shows_progress(staff_client, checklist):
    ChecklistItemFactory(article=checklist.article, kind="date", start=0, end=3, text=checklist.article.body[:3])

    response = staff_client.get(reverse("admin:articles_article_changelist"))

    assert "1 / 2 required" in response.content.decode()


def test_the_article_page_shows_its_items_inline(staff_client, checklist):
    response = staff_client.get(reverse("admin:articles_article_change", args=[checklist.article.pk]))

    assert response.status_code == 200
    assert checklist.text in response.content.decode()


def test_items_can_be_filtered_by_state_kind_and_assignee(staff_client, checklist):
    checker = UserFactory(username="checker")
    ChecklistItemFactory(article=checklist.article, kind="date", start=0, end=3, text="The", assignee=checker)
    url = reverse("admin:articles_checklistitem_changelist")

    response = staff_client.get(url, {"state": "verified", "kind": "money"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1

    response = staff_client.get(url, {"assignee__id__exact": checker.pk})
    assert response.context["cl"].result_count == 1


def test_notes_are_escaped_in_the_admin(staff_client, checklist):
    response = staff_client.get(reverse("admin:articles_note_changelist"))

    assert "Matches the &lt;b&gt;council&lt;/b&gt; minutes." in response.content.decode()


def test_the_admin_requires_a_staff_login(client):
    response = client.get(reverse("admin:articles_article_changelist"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def run_action(client, action, items, **extra):
    return client.post(
        reverse("admin:articles_checklistitem_changelist"),
        {"action": action, "_selected_action": [item.pk for item in items], **extra},
        follow=True,
    )


@pytest.fixture
def editor_client(client, cast):
    cast.editor.is_staff = True
    cast.editor.save()
    client.force_login(cast.editor)
    return client


def test_the_assign_action_assigns_the_chosen_person(editor_client, cast):
    items = [ChecklistItemFactory(), ChecklistItemFactory()]

    response = run_action(editor_client, "assign_to", items, assignee=cast.checker.pk)

    assert "2 item(s) assigned to carl-checker" in response.content.decode()
    for item in items:
        item.refresh_from_db()
        assert item.assignee == cast.checker


def test_the_assign_action_sets_a_due_time_when_given(editor_client, cast):
    item = ChecklistItemFactory()

    run_action(editor_client, "assign_to", [item], assignee=cast.checker.pk, due_at="2030-01-02 17:30")

    item.refresh_from_db()
    assert (item.assignee, item.due_at.strftime("%Y-%m-%d %H:%M")) == (cast.checker, "2030-01-02 17:30")


def test_the_article_action_assigns_every_open_item_of_a_kind(editor_client, cast):
    article = ArticleFactory()
    money = ChecklistItemFactory(article=article)
    date = ChecklistItemFactory(article=article, kind="date", start=0, end=3, text="The")
    verified = ChecklistItemFactory(
        article=article, kind="money", start=article.body.index("Monday"), end=article.body.index("Monday") + 6,
        text="Monday", state="verified",
    )

    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "assign_open_items_of_kind", "_selected_action": [article.pk], "kind": "money",
         "assignee": cast.checker.pk},
        follow=True,
    )

    assert "1 open money item(s) assigned to carl-checker" in response.content.decode()
    assert ChecklistItem.objects.get(pk=money.pk).assignee == cast.checker
    assert ChecklistItem.objects.get(pk=date.pk).assignee is None
    assert ChecklistItem.objects.get(pk=verified.pk).assignee is None


def test_the_verify_action_goes_through_the_workflow(editor_client, cast):
    item = ChecklistItemFactory()

    run_action(editor_client, "mark_verified", [item])

    item.refresh_from_db()
    assert item.state == "verified"
    assert item.state_changed_by == cast.editor
    assert item.history.first().history_change_reason == "verify"


def test_dismissing_without_a_note_is_refused_with_the_reason(editor_client):
    item = ChecklistItemFactory()

    response = run_action(editor_client, "dismiss", [item], note="")

    item.refresh_from_db()
    assert item.state == "open"
    assert "a note is required" in response.content.decode()


def test_dismissing_with_a_note_keeps_the_note(editor_client):
    item = ChecklistItemFactory()

    run_action(editor_client, "dismiss", [item], note="Opinion, not a claim.")

    item.refresh_from_db()
    assert item.state == "dismissed"
    assert item.notes.get().body == "Opinion, not a claim."


def test_a_checker_cannot_verify_someone_elses_item_from_the_admin(client, cast):
    cast.checker.is_staff = True
    cast.checker.save()
    client.force_login(cast.checker)
    item = ChecklistItemFactory(assignee=cast.other_checker)

    response = run_action(client, "mark_verified", [item])

    item.refresh_from_db()
    assert item.state == "open"
    assert "only change the state of items assigned to you" in response.content.decode()


def test_my_items_lists_only_what_is_assigned_to_the_signed_in_user(editor_client, cast):
    mine = ChecklistItemFactory(assignee=cast.editor)
    ChecklistItemFactory(assignee=cast.checker)

    response = editor_client.get(reverse("admin:articles_checklistitem_changelist"), {"assigned": "me"})

    assert list(response.context["cl"].result_list) == [mine]


def test_the_article_page_says_whether_it_is_ready_and_why_not(editor_client):
    # The page reads the progress the article keeps: the item is created on an extracted article.
    item = ChecklistItemFactory(article=ArticleFactory(checklist_status="ready"))

    response = editor_client.get(reverse("admin:articles_article_change", args=[item.article.pk]))

    assert "No: 1 required item(s) are not resolved yet." in response.content.decode()


def test_item_history_is_visible_in_the_admin(editor_client, cast):
    item = ChecklistItemFactory()
    run_action(editor_client, "mark_verified", [item])

    response = editor_client.get(reverse("admin:articles_checklistitem_history", args=[item.pk]))

    assert response.status_code == 200
    assert "edna-editor" in response.content.decode()


def test_a_webhook_to_a_private_address_is_refused_in_the_admin(staff_client):
    from articles.models import WebhookSubscription

    response = staff_client.post(
        reverse("admin:articles_webhooksubscription_add"),
        {"url": "http://127.0.0.1/hook", "events": ["item.updated"], "description": "", "is_active": "on"},
    )

    assert response.status_code == 200
    assert "cannot receive webhooks" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_a_webhook_added_in_the_admin_gets_a_secret(staff_client, settings):
    from articles.models import WebhookSubscription

    settings.ALLOW_PRIVATE_URLS = True
    staff_client.post(
        reverse("admin:articles_webhooksubscription_add"),
        {"url": "http://127.0.0.1/hook", "events": ["item.updated"], "description": "CMS", "is_active": "on"},
    )

    subscription = WebhookSubscription.objects.get()
    assert subscription.secret.startswith("whsec_")
    assert subscription.events == ["item.updated"]


def test_an_editor_moves_items_to_recommended_with_a_note(editor_client, cast):
    item = ChecklistItemFactory()

    refused = run_action(editor_client, "make_recommended", [item], note="")
    item.refresh_from_db()
    assert item.tier == "required" and "a note is required" in refused.content.decode()

    run_action(editor_client, "make_recommended", [item], note="Background, not the story.")
    item.refresh_from_db()
    assert (item.tier, item.tier_pinned) == ("recommended", True)
    assert item.history.first().history_change_reason == "moved to recommended: Background, not the story."


def test_editing_the_tier_policy_in_the_admin_retiers_open_items_and_is_audited(editor_client, cast):
    item = ChecklistItemFactory(article__checklist_status="ready")  # an open money item
    rule = TierRule.objects.create(position=1, kind="money", tier="required")

    response = editor_client.post(
        reverse("admin:articles_tierrule_change", args=[rule.pk]),
        {"position": 1, "kind": "money", "source_type": "", "min_priority": 0, "tier": "recommended",
         "description": "Amounts are checked by the business desk."},
        follow=True,
    )

    item.refresh_from_db()
    assert response.status_code == 200
    assert "1 open item(s) changed tier" in response.content.decode()
    assert item.tier == "recommended"
    assert rule.history.first().history_user == cast.editor


def test_admin_names_say_what_things_are(staff_client, checklist):
    articles = staff_client.get(reverse("admin:articles_article_changelist")).content.decode()
    index = staff_client.get(reverse("admin:index")).content.decode()

    assert "Ready to publish" in articles and "Extracted" in articles
    assert "Webhook deliveries" in index and "Webhook deliverys" not in index
