import json

import pytest

from articles.models import Article, ArticleRevision

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/"
STORY = {
    "source": "cms",
    "external_id": "story-1",
    "title": "Council passes budget",
    "body": "The council approved a $4.5-million budget on Monday, Mayor Ann Lee said.",
    "url": "https://news.example.org/budget",
    "published_at": "2026-11-20T10:00:00Z",
}


def test_calls_without_a_token_are_refused(client):
    assert client.get(URL).status_code == 401
    assert client.post(URL, STORY, content_type="application/json").status_code == 401


def test_a_wrong_token_is_refused(client):
    response = client.get(URL, HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 401


def test_posting_a_new_article_creates_it(broker_up, api):
    response = api("cms").post(URL, STORY, format="json")

    assert response.status_code == 201
    data = response.json()
    assert data["outcome"] == "new"
    assert data["checklist_status"] in {"pending", "running", "ready"}
    assert data["checklist_due_at"] is not None, "the extraction is queued"
    article = Article.objects.get(pk=data["id"])
    assert (article.source, article.external_id, article.title) == ("cms", "story-1", "Council passes budget")


def test_posting_the_same_article_again_is_200_and_changes_nothing(broker_up, api):
    first = api("cms").post(URL, STORY, format="json").json()

    response = api("cms").post(URL, STORY, format="json")

    assert response.status_code == 200
    assert response.json()["id"] == first["id"]
    assert response.json()["outcome"] == "unchanged"
    assert ArticleRevision.objects.count() == 1


def test_posting_a_changed_body_makes_a_new_revision(broker_up, api):
    api("cms").post(URL, STORY, format="json")

    response = api("cms").post(URL, {**STORY, "body": STORY["body"] + " It passed 7-2."}, format="json")

    assert response.status_code == 200
    assert response.json()["outcome"] == "updated"
    assert response.json()["revision"] == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [({**STORY, "body": ""}, 400), ({**STORY, "body": "   \n "}, 400), ({k: v for k, v in STORY.items() if k != "body"}, 400)],
)
def test_an_empty_or_missing_body_is_a_400(api, body, status):
    response = api("cms").post(URL, body, format="json")

    assert response.status_code == status
    assert "body" in response.json()
    assert not Article.objects.exists()


def test_malformed_json_is_a_400_with_a_message(api):
    response = api("cms").post(URL, data='{"source": "cms", "body": ', content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_body_over_the_limit_is_a_413(api, settings):
    settings.ARTICLE_MAX_BYTES = 1_000

    response = api("cms").post(URL, {**STORY, "body": "Sales rose 5%. " * 100}, format="json")

    assert response.status_code == 413
    assert "limit is 1,000 bytes" in response.json()["detail"]
    assert not Article.objects.exists()


def test_a_request_over_the_limit_is_refused_before_parsing(api, settings):
    settings.API_MAX_REQUEST_BYTES = 2_000

    response = api("cms").post(URL, data=json.dumps({**STORY, "body": "x" * 5_000}), content_type="application/json")

    assert response.status_code == 413


def test_a_body_with_nul_bytes_is_refused(api):
    response = api("cms").post(URL, {**STORY, "body": "\x00\x01\x02 binary"}, format="json")

    assert response.status_code == 400
    assert not Article.objects.exists()


def test_the_list_is_paginated_and_filterable(api):
    api("cms").post(URL, STORY, format="json")
    api("cms").post(URL, {**STORY, "source": "wire", "external_id": "w-1"}, format="json")

    everything = api("reporter").get(URL).json()
    wire = api("reporter").get(URL, {"source": "wire"}).json()

    assert everything["count"] == 2
    assert [a["external_id"] for a in wire["results"]] == ["w-1"]
    assert api("reporter").get(URL, {"checklist_status": "nonsense"}).status_code == 400


def test_the_ready_filter_lists_only_publishable_articles(api, checklist):
    article, money, date = checklist

    assert api("reporter").get(URL, {"ready": "true"}).json()["count"] == 0
    assert api("reporter").get(URL, {"ready": "false"}).json()["count"] == 1


def test_updated_since_filters_by_last_change(api, checklist):
    assert api("reporter").get(URL, {"updated_since": "2999-01-01T00:00:00Z"}).json()["count"] == 0
    assert api("reporter").get(URL, {"updated_since": "2000-01-01T00:00:00Z"}).json()["count"] == 1


def test_updated_since_accepts_any_offset_and_refuses_moments_out_of_range(api, checklist):
    far_west = api("reporter").get(URL, {"updated_since": "2000-01-01T00:00:00-20:20"})
    assert far_west.status_code == 200
    assert far_west.json()["count"] == 1

    before_the_calendar = api("reporter").get(URL, {"updated_since": "0001-01-01T00:00:00+05:00"})
    assert before_the_calendar.status_code == 400
    assert "out of range" in before_the_calendar.json()["updated_since"][0]


def test_an_article_shows_its_status_and_counts_by_state(api, checklist):
    article, money, date = checklist

    data = api("reporter").get(f"{URL}{article.pk}/").json()

    assert data["checklist_status"] == "ready"
    assert data["counts"]["open"] == 2
    assert data["item_total"] == 2
    assert data["ready"] is False
    assert data["body"] == article.body


def test_an_unknown_article_is_a_404(api):
    assert api("reporter").get(f"{URL}999999/").status_code == 404


def test_a_reporter_cannot_create_articles(api):
    assert api("reporter").post(URL, STORY, format="json").status_code == 403


def test_optional_fields_sent_as_null_count_as_not_given(broker_up, api):
    story = {**STORY, "title": None, "byline": None, "url": None, "published_at": None}

    response = api("cms").post(URL, story, format="json")

    assert response.status_code == 201, response.content
    article = Article.objects.get()
    assert article.byline == "" and article.url == ""


def test_while_the_broker_is_unreachable_an_upsert_is_accepted_with_202_and_stays_pending(
    transactional_db, unreachable_broker, api
):
    created = api("cms").post(URL, STORY, format="json")
    again = api("cms").post(URL, STORY, format="json")
    edited = api("cms").post(URL, {**STORY, "body": STORY["body"] + " It passed 7-2."}, format="json")

    assert [response.status_code for response in (created, again, edited)] == [202, 202, 202]
    assert [response.json()["outcome"] for response in (created, again, edited)] == ["new", "unchanged", "updated"]
    assert edited.json()["checklist_status"] == "pending"
    assert edited.json()["checklist_due_at"] is None
    article = Article.objects.get()
    assert article.revision == 2 and article.extraction_waiting_for_broker


def test_a_body_that_is_not_text_is_a_400(api):
    response = api("cms").post(URL, {**STORY, "body": 123}, format="json")

    assert response.status_code == 400
    assert "body" in response.json()
    assert not Article.objects.exists()


def test_json_nested_too_deeply_is_a_400_not_a_server_error(api):
    deep = "[" * 2000 + "]" * 2000
    response = api("cms").post(
        URL, data=f'{{"source": "cms", "external_id": "x", "body": "Text.", "extra": {deep}}}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize(("field", "value"), [("title", "Council\x0bbudget"), ("body", "The council\x1f met.")])
def test_a_control_character_in_an_article_is_a_400_naming_the_field(api, field, value):
    response = api("cms").post(URL, {**STORY, field: value}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"The field '{field}' holds the control character U+00")
    assert not Article.objects.exists()


def test_an_article_without_an_address_shows_an_empty_url_and_when_its_extraction_is_due(api, checklist):
    article, money, date = checklist

    data = api("reporter").get(f"{URL}{article.pk}/").json()

    assert data["url"] == ""
    assert "checklist_due_at" in data
