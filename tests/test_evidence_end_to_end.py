"""Evidence end to end: sample 001 and a transcript of the ambassador's briefing posted through
the API, a real Redis broker and a real Celery worker; then what the checklist says of it."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.imports.test_source_documents import make_pdf, text_stream
from tests.test_pipeline import wait_for, wait_until_checklists_settle

pytestmark = pytest.mark.pipeline

# The briefing as the reporter recorded it: one quote word for word, one with a word changed
# ("military" where the story says "defense"), one the story has that the briefing lacks
# ("traditional partners ... jealous"), and the deal at $235 million where the story says $233.
TRANSCRIPT = """Transcript of the press briefing of Ambassador Igor Khovaev, Manila.

KHOVAEV: We are ready to organize a joint production of sophisticated arms and small weapons here in the Philippines. You Filipinos will produce Russian arms and weapons. They will be Philippine products with Russian technology. We already started working on that.

QUESTION: What about the United States?

KHOVAEV: No third country has the right to interfere in our defense cooperation. Our military cooperation is not against anyone.

KHOVAEV: Canada suspended the sale of 16 helicopters. The $235-million agreement was scrapped.
"""


def client_of(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def item_starting(client, article_id: int, starting: str, kind: str) -> dict:
    items = client.get(f"/api/v1/articles/{article_id}/items/", {"kind": kind, "page_size": 500}).json()["results"]
    (found,) = [item for item in items if item["text"].startswith(starting)]
    return found


def test_the_checklist_checks_itself_against_the_reporters_transcript(celery_worker, cast, sample_paths):
    cms, editor = client_of(cast.by_role("cms")), client_of(cast.by_role("editor"))
    body = sample_paths[1].read_text(encoding="utf-8")
    article_id = cms.post(
        "/api/v1/articles/", {"source": "cms", "external_id": "001", "title": "Russia proposes arms hub", "body": body},
        format="json",
    ).json()["id"]
    wait_until_checklists_settle()

    answer = cms.post(f"/api/v1/articles/{article_id}/sources/", {"title": "Briefing transcript", "text": TRANSCRIPT}, format="json")
    assert answer.status_code == 201, answer.content
    source_id = answer.json()["id"]
    wait_for(lambda: cms.get(f"/api/v1/sources/{source_id}/").json()["status"] == "ready", "reading the source")
    wait_for(lambda: item_starting(cms, article_id, "We already started", "quote")["evidence_match"] is not None, "matching")

    exact = item_starting(cms, article_id, "We already started", "quote")
    assert exact["evidence_match"] == "exact"
    (passage, *_) = exact["evidence"]
    assert passage["source"] == source_id and passage["match"] == "exact"
    assert TRANSCRIPT[passage["start"]:passage["end"]] == passage["passage"]
    assert "We already started working on that" in passage["passage"]

    changed = item_starting(cms, article_id, "Our defense cooperation", "quote")
    assert changed["evidence_match"] == "variant"
    (difference,) = changed["evidence"][0]["differences"]
    assert "defense" in difference["claim"] and "military" in difference["source"]

    figure = item_starting(cms, article_id, "$233", "money")
    assert figure["evidence_match"] == "variant"
    assert "$235" in figure["evidence"][0]["passage"]

    absent = item_starting(cms, article_id, "Your traditional partners", "quote")
    assert absent["evidence_match"] == "not_found" and absent["evidence"] == []
    not_found = cms.get(f"/api/v1/articles/{article_id}/items/", {"evidence": "not_found", "page_size": 500}).json()
    assert absent["id"] in [item["id"] for item in not_found["results"]]

    # Verified in one action from the source that says it word for word; refused from a variant.
    verified = editor.post(f"/api/v1/items/{exact['id']}/verify-from-source/", {"source": source_id}, format="json")
    assert verified.status_code == 200 and verified.json()["state"] == "verified"
    note = editor.get(f"/api/v1/items/{exact['id']}/notes/").json()["results"][-1]
    assert "We already started working on that" in note["body"] and "Briefing transcript" in note["source"]
    refused = editor.post(f"/api/v1/items/{changed['id']}/verify-from-source/", {"source": source_id}, format="json")
    assert refused.status_code == 400

    # A PDF of the statement is read by the worker, and its words are matched too.
    pdf = make_pdf([text_stream(["Your traditional partners have no right to be jealous, the ambassador said."])],
                   title="Embassy statement")
    upload = SimpleUploadedFile("statement.pdf", pdf, content_type="application/pdf")
    answer = editor.post(f"/api/v1/articles/{article_id}/sources/", {"title": "Embassy statement", "file": upload}, format="multipart")
    assert answer.status_code == 201, answer.content
    pdf_id = answer.json()["id"]
    wait_for(lambda: cms.get(f"/api/v1/sources/{pdf_id}/").json()["status"] != "pending", "reading the PDF")
    read = cms.get(f"/api/v1/sources/{pdf_id}/").json()
    assert read["status"] == "ready" and read["format"] == "pdf" and "traditional partners" in read["text"]
    wait_for(lambda: item_starting(cms, article_id, "Your traditional partners", "quote")["evidence_match"] == "exact",
             "matching against the PDF")
