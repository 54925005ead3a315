"""The story desk end to end: the five samples posted through the API, a real Redis broker
and a real Celery worker; then what an editor and a checker see and do."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import ChecklistItem
from tests.test_pipeline import wait_until_linked_to_the_desk

pytestmark = pytest.mark.pipeline

STARTED = "We already started working on that"
READY = "We are ready to organize a joint production"


def client_of(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def quote_in(client, article_id: int, starting: str) -> dict:
    items = client.get(f"/api/v1/articles/{article_id}/items/", {"kind": "quote", "page_size": 500}).json()["results"]
    (found,) = [item for item in items if item["text"].startswith(starting)]
    return found


def test_five_articles_of_one_story_share_their_claims_and_verdicts(celery_worker, cast, sample_paths, settings):
    settings.PUBLISHER_NAME = "The Desk"
    cms, editor, checker = (client_of(cast.by_role(role)) for role in ("cms", "editor", "checker"))
    ids = []
    for path in sample_paths:
        answer = cms.post(
            "/api/v1/articles/",
            {"source": "cms", "external_id": path.stem, "title": f"Story part {path.stem[:3]}", "url": f"https://news.example/{path.stem}", "body": path.read_text(encoding="utf-8")},
            format="json",
        )
        assert answer.status_code == 201, answer.content
        ids.append(answer.json()["id"])
    wait_until_linked_to_the_desk()

    # All five in one story.
    stories = cms.get("/api/v1/stories/").json()["results"]
    assert len(stories) == 1 and sorted(a["id"] for a in stories[0]["articles"]) == sorted(ids)
    assert {cms.get(f"/api/v1/articles/{pk}/").json()["story"] for pk in ids} == {stories[0]["id"]}

    # The ready-to-organise quote: a variant, with a consistency check in the later article.
    ready_000, ready_001 = quote_in(cms, ids[0], READY), quote_in(cms, ids[1], READY)
    assert {"article": ids[0], "item": ready_000["id"], "relation": "variant"}.items() <= ready_001["related"][0].items()
    assert ChecklistItem.objects.filter(article_id=ids[1], kind="consistency", origin="linked", start=ready_001["start"]).exists()

    # "We already started working on that": the same claim; verified in 000 by an editor ...
    started_000, started_001 = quote_in(cms, ids[0], STARTED), quote_in(cms, ids[1], STARTED)
    assert [(r["item"], r["relation"], r["state"]) for r in started_001["related"]] == [(started_000["id"], "same", "open")]
    editor.post(f"/api/v1/items/{started_000['id']}/notes/", {"body": "On the briefing tape", "source": "https://tape.example/42"}, format="json")
    assert editor.patch(f"/api/v1/items/{started_000['id']}/", {"state": "verified"}, format="json").status_code == 200

    # ... 001 lists that verdict, and the checker adopts it in one action.
    (related,) = quote_in(cms, ids[1], STARTED)["related"]
    assert related["state"] == "verified" and related["verdict_by"] == cast.by_role("editor").username
    assert related["sources"] == 1 and related["can_adopt"] is True
    ChecklistItem.objects.filter(pk=started_001["id"]).update(assignee=cast.by_role("checker"))
    adopted = checker.post(f"/api/v1/items/{started_001['id']}/adopt/", {"from": started_000["id"]}, format="json")
    assert adopted.status_code == 200, adopted.content
    assert adopted.json()["state"] == "verified"
    note = checker.get(f"/api/v1/items/{started_001['id']}/notes/").json()["results"][-1]
    assert "adopted" in note["body"] and "https://tape.example/42" in note["body"]
    assert f"#item-{started_000['id']}" in note["source"]

    # A variant's verdict cannot be adopted as is.
    editor.patch(f"/api/v1/items/{ready_000['id']}/", {"state": "verified"}, format="json")
    refused = editor.post(f"/api/v1/items/{ready_001['id']}/adopt/", {"from": ready_000["id"]}, format="json")
    assert refused.status_code == 400 and "variant" in refused.json()["detail"]

    # ClaimReview for the verified item; 409 for an open one.
    review = cms.get(f"/api/v1/items/{started_000['id']}/claimreview/").json()
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["alternateName"] == "True"
    assert review["itemReviewed"]["author"]["name"] and review["itemReviewed"]["appearance"]["url"].startswith("https://news.example/")
    assert review["author"]["name"] == "The Desk" and review["datePublished"] and review["url"] and review["claimReviewed"]
    assert cms.get(f"/api/v1/items/{quote_in(cms, ids[2], 'Of course')['id']}/claimreview/").status_code == 409
