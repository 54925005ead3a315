"""The admin works for every model: lists, filters, search, and items inline on the article."""

import pytest
from django.urls import reverse

from articles.models import ExtractionRun
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


@pytest.mark.parametrize("model", ["article", "checklistitem", "note", "extractionrun", "articlerevision"])
def test_every_model_has_a_searchable_list(staff_client, checklist, model):
    url = reverse(f"admin:articles_{model}_changelist")

    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "council"}).status_code == 200


def test_the_article_list_shows_progress(staff_client, checklist):
    ChecklistItemFactory(article=checklist.article, kind="date", start=0, end=3, text=checklist.article.body[:3])

    response = staff_client.get(reverse("admin:articles_article_changelist"))

    assert "1 / 2" in response.content.decode()


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
