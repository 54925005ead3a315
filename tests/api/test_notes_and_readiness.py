import pytest

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
