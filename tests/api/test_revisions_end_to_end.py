"""A CMS posts an article, a desk checks it, the CMS posts an edited version: the work survives."""

import pytest

from tests.test_pipeline import wait_until_checklists_settle

pytestmark = pytest.mark.pipeline

URL = "/api/v1/articles/"
QUOTE = "We already started working on that."
AMOUNT = "$233-million"


def items_of(client, article_id) -> list[dict]:
    response = client.get(f"{URL}{article_id}/items/", {"page_size": 500})
    assert response.status_code == 200
    return response.json()["results"]


def test_an_edited_version_keeps_the_verified_quote_and_reopens_the_changed_amount(celery_worker, api, sample_paths):
    body = next(path for path in sample_paths if path.name.startswith("001_")).read_text()
    cms, editor = api("cms"), api("editor")
    story = {"source": "cms", "external_id": "story-1", "title": "Russia offers arms hub", "body": body}
    article_id = cms.post(URL, story, format="json").json()["id"]
    wait_until_checklists_settle()

    items = items_of(editor, article_id)
    quote = next(i for i in items if i["kind"] == "quote" and i["text"] == QUOTE)
    money = next(i for i in items if i["kind"] == "money" and i["text"] == AMOUNT)
    for checked in (quote, money):
        response = editor.patch(
            f"/api/v1/items/{checked['id']}/", {"state": "verified", "version": checked["version"]}, format="json"
        )
        assert response.status_code == 200, response.content
    assert editor.post(f"/api/v1/items/{quote['id']}/notes/", {"body": "Matches the audio."}, format="json").status_code == 201

    inserted = "UPDATE: The embassy confirmed the briefing.\n\n"
    edited = {**story, "body": inserted + body.replace(AMOUNT, "$250-million")}
    assert cms.post(URL, edited, format="json").status_code == 200
    wait_until_checklists_settle()

    after = {i["id"]: i for i in items_of(editor, article_id)}
    kept = after[quote["id"]]
    assert kept["state"] == "verified"
    assert kept["start"] == quote["start"] + len(inserted)
    assert kept["text"] == QUOTE
    notes = editor.get(f"/api/v1/items/{quote['id']}/notes/").json()
    assert [n["body"] for n in notes.get("results", notes)] == ["Matches the audio."]
    changed = after[money["id"]]
    assert changed["state"] != "verified"
    assert (changed["anchor"], changed["previous_text"], changed["text"]) == ("changed", AMOUNT, "$250-million")
    spans = [(i["kind"], i["start"], i["end"]) for i in after.values() if i["anchor"] != "removed"]
    assert len(spans) == len(set(spans))
