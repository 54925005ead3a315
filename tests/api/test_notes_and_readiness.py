import pytest

from articles.models import NOTE_MAX_LENGTH

pytestmark = pytest.mark.django_db


def notes_url(item):
    return f"/api/v1/items/{item.pk}/notes/"


def test_a_note_is_added_with_its_author_and_source(api, checklist, cast):
    article, money, date = checklist

    response = api("reporter").post(notes_url(money), {"body": "Called the clerk.", "source": "Jane Roe"}, format="json")

    assert response.status_code == 201
    assert response.json()["author"] == cast.reporter.username
    notes = api("cms").get(notes_url(money)).json()["results"]
    assert [(n["body"], n["source"]) for n in notes] == [("Called the clerk.", "Jane Roe")]


def test_an_empty_note_is_a_400(api, checklist):
    article, money, date = checklist

    assert api("reporter").post(notes_url(money), {"body": ""}, format="json").status_code == 400


def test_a_cms_token_cannot_add_notes(api, checklist):
    article, money, date = checklist

    assert api("cms").post(notes_url(money), {"body": "hi"}, format="json").status_code == 403


def test_readiness_is_false_while_items_are_open_and_lists_them(api, checklist):
    article, money, date = checklist

    data = api("cms").get(f"/api/v1/articles/{article.pk}/readiness/").json()

    assert data["ready"] is False
    assert data["counts"]["open"] == 2
    assert {item["id"] for item in data["blocking"]} == {money.pk, date.pk}


def test_readiness_turns_true_when_every_item_is_resolved(api, checklist):
    article, money, date = checklist
    api("editor").patch(f"/api/v1/items/{money.pk}/", {"state": "verified"}, format="json")
    api("editor").patch(f"/api/v1/items/{date.pk}/", {"state": "dismissed", "note": "Routine."}, format="json")

    data = api("cms").get(f"/api/v1/articles/{article.pk}/readiness/").json()

    assert data["ready"] is True
    assert data["blocking"] == []
    assert data["reason"] == "Every item is resolved."


def test_a_note_over_the_limit_is_a_400_and_one_at_the_limit_is_kept(api, checklist):
    article, money, date = checklist

    too_long = api("reporter").post(notes_url(money), {"body": "x" * (NOTE_MAX_LENGTH + 1)}, format="json")
    at_the_limit = api("reporter").post(notes_url(money), {"body": "x" * NOTE_MAX_LENGTH}, format="json")

    assert too_long.status_code == 400
    assert f"{NOTE_MAX_LENGTH}" in too_long.json()["body"][0]
    assert at_the_limit.status_code == 201
    assert [len(note.body) for note in money.notes.all()] == [NOTE_MAX_LENGTH]


def test_a_notes_source_sent_as_null_counts_as_not_given(api, checklist):
    article, money, date = checklist

    response = api("reporter").post(notes_url(money), {"body": "Called the clerk.", "source": None}, format="json")

    assert response.status_code == 201
    assert response.json()["source"] == ""


@pytest.mark.parametrize("body", [{"body": 123}, {"body": ["Called the clerk."]}, {"body": "Called.", "source": 7}])
def test_a_note_whose_text_is_not_text_is_a_400(api, checklist, body):
    article, money, date = checklist

    assert api("reporter").post(notes_url(money), body, format="json").status_code == 400
    assert not money.notes.exists()


def test_a_note_holding_a_control_character_is_a_400_naming_the_field(api, checklist):
    article, money, date = checklist

    response = api("reporter").post(notes_url(money), {"body": "Called\x00 the clerk."}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("The field 'body' holds the control character U+0000 (NUL)")


def test_readiness_counts_the_blocking_items_and_lists_them_in_text_order(api, checklist):
    article, money, date = checklist

    data = api("cms").get(f"/api/v1/articles/{article.pk}/readiness/").json()

    assert data["blocking_count"] == 2
    assert [item["id"] for item in data["blocking"]] == [money.pk, date.pk]
    assert data["blocking_next"] is None
    assert data["reason"] == "2 required item(s) are not resolved yet."


def test_readiness_lists_the_first_50_blocking_items_and_links_to_the_rest(api, cast):
    from articles.models import ChecklistItem
    from articles.services.progress import article_progress_refresh
    from tests.factories import ArticleFactory

    article = ArticleFactory(checklist_status="ready", body="word " * 100)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(article=article, kind="statement", start=5 * n, end=5 * n + 4, text="word",
                      state="verified" if n % 4 == 0 else "open")
        for n in range(80)
    )
    article_progress_refresh([article.pk])
    blocking = list(article.items.exclude(state="verified").order_by("start").values_list("pk", flat=True))

    data = api("cms").get(f"/api/v1/articles/{article.pk}/readiness/").json()

    assert (data["blocking_count"], len(data["blocking"])) == (60, 50)
    assert [item["id"] for item in data["blocking"]] == blocking[:50]
    assert data["reason"] == "60 required item(s) are not resolved yet."
    assert data["blocking_next"].endswith(f"/api/v1/articles/{article.pk}/items/?blocking=true&page=2&page_size=50")
    rest = api("cms").get(data["blocking_next"]).json()
    assert [item["id"] for item in rest["results"]] == blocking[50:]
    assert (rest["count"], rest["next"]) == (60, None)


def test_the_readiness_schema_documents_the_bounded_list(api):
    schema = api("cms").get("/api/v1/schema/?format=json").json()["components"]["schemas"]["Readiness"]

    assert {"blocking_count", "blocking", "blocking_next"} <= set(schema["properties"])
    assert schema["properties"]["blocking_next"]["nullable"] is True
