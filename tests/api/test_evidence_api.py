"""Sources attached to an article, and its claims matched against them, through the API."""

import pytest

from articles.models import ChecklistItem, ItemEvidence, SourceDocument
from articles.services import article_upsert, checklist_extract
from articles.services.evidence import evidence_match_article, source_read

pytestmark = pytest.mark.django_db

TRANSCRIPT = (
    "KHOVAEV: We already started working on that. No third country has the right to interfere in our defense "
    "cooperation. Our military cooperation is not against anyone.\n\n"
    "KHOVAEV: Canada suspended the sale of 16 helicopters. The $235-million agreement was scrapped.\n"
)


@pytest.fixture
def article(sample_paths):
    article = article_upsert(
        source="desk", external_id="001", title="Russia proposes arms hub", body=sample_paths[1].read_text(encoding="utf-8")
    ).article
    checklist_extract(article_id=article.pk)
    return article


def attach(api, article, role="editor", **payload):
    return api(role).post(f"/api/v1/articles/{article.pk}/sources/", {"title": "Briefing", **payload}, format="json")


def read_all(article):
    for source in SourceDocument.objects.filter(article=article):
        source_read(source_id=source.pk)


def item(article, starting, kind="quote"):
    return ChecklistItem.objects.get(article=article, kind=kind, text__startswith=starting, origin="auto")


def test_a_pasted_source_is_attached_pending_then_read(api, article):
    answer = attach(api, article, text=TRANSCRIPT)

    assert answer.status_code == 201
    assert answer.json()["status"] == "pending" and answer.json()["kind"] == "text"
    read_all(article)
    source = api("reporter").get(f"/api/v1/sources/{answer.json()['id']}/").json()
    assert source["status"] == "ready" and source["text"] == TRANSCRIPT


def test_items_carry_their_best_match_and_passages(api, article):
    attach(api, article, text=TRANSCRIPT)
    read_all(article)

    started = api("reporter").get(f"/api/v1/items/{item(article, 'We already started').pk}/").json()
    assert started["evidence_match"] == "exact"
    passage = started["evidence"][0]
    source = SourceDocument.objects.get(article=article)
    assert source.text[passage["start"]:passage["end"]] == passage["passage"]
    jealous = api("reporter").get(f"/api/v1/items/{item(article, 'Your traditional partners').pk}/").json()
    assert jealous["evidence_match"] == "not_found" and jealous["evidence"] == []


def test_without_sources_items_have_no_match(api, article):
    answer = api("reporter").get(f"/api/v1/items/{item(article, 'We already started').pk}/").json()
    assert answer["evidence_match"] is None and answer["evidence"] == []


def test_the_item_list_filters_the_claims_not_found_in_any_source(api, article):
    attach(api, article, text=TRANSCRIPT)
    read_all(article)

    found = api("reporter").get(f"/api/v1/articles/{article.pk}/items/", {"evidence": "not_found", "page_size": 500}).json()
    assert found["results"] and all(i["evidence_match"] == "not_found" for i in found["results"])
    assert api("reporter").get(f"/api/v1/articles/{article.pk}/items/", {"evidence": "maybe"}).status_code == 400


def test_a_claim_that_differs_from_its_source_is_raised_but_keeps_its_state(api, article):
    attach(api, article, text=TRANSCRIPT)
    read_all(article)

    differs = item(article, "Our defense cooperation")
    assert differs.evidence_match == "variant"
    assert differs.priority >= 90 and differs.state == "open"


def test_verifying_from_a_source_needs_an_exact_match_and_cites_the_passage(api, article):
    source_id = attach(api, article, text=TRANSCRIPT).json()["id"]
    read_all(article)
    exact, variant = item(article, "We already started"), item(article, "Our defense cooperation")

    refused = api("editor").post(f"/api/v1/items/{variant.pk}/verify-from-source/", {"source": source_id}, format="json")
    assert refused.status_code == 400 and "word for word" in refused.json()["detail"]
    answer = api("editor").post(f"/api/v1/items/{exact.pk}/verify-from-source/", {"source": source_id}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "verified"
    note = exact.notes.get()
    assert "We already started working on that" in note.body and "Briefing" in note.source
    assert exact.history.first().history_change_reason == f"verify from source {source_id}"


def test_a_reporter_cannot_verify_from_a_source(api, article):
    source_id = attach(api, article, text=TRANSCRIPT).json()["id"]
    read_all(article)
    answer = api("reporter").post(
        f"/api/v1/items/{item(article, 'We already started').pk}/verify-from-source/", {"source": source_id}, format="json"
    )
    assert answer.status_code == 403


def test_the_same_title_again_is_a_new_version_when_the_text_changed(api, article):
    first = attach(api, article, text=TRANSCRIPT).json()
    again = attach(api, article, text=TRANSCRIPT)
    changed = attach(api, article, text=TRANSCRIPT + "\nKHOVAEV: One more thing.")

    assert again.status_code == 200 and again.json()["revision"] == 1
    assert changed.status_code == 200 and changed.json()["revision"] == 2 and changed.json()["id"] == first["id"]


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"title": "Briefing"}, "exactly one"),
        ({"title": "Briefing", "text": "x", "url": "https://example.org/"}, "exactly one"),
        ({"title": "", "text": "x"}, "title"),
        ({"title": "Briefing", "text": "   "}, "empty"),
        ({"title": "Briefing", "text": 12}, "valid string"),
    ],
)
def test_bad_sources_are_refused_with_a_clear_400(api, article, payload, message):
    answer = api("editor").post(f"/api/v1/articles/{article.pk}/sources/", payload, format="json")
    assert answer.status_code == 400 and message in str(answer.json()).lower()


def test_a_file_is_uploaded_as_a_multipart_form(api, article):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("briefing.txt", TRANSCRIPT.encode("cp1252"), content_type="text/plain")
    answer = api("editor").post(f"/api/v1/articles/{article.pk}/sources/", {"title": "Briefing", "file": upload}, format="multipart")

    assert answer.status_code == 201 and answer.json()["filename"] == "briefing.txt"
    read_all(article)
    assert SourceDocument.objects.get().format == "text"
    assert item(article, "We already started").evidence_match == "exact"


def test_an_unreadable_file_fails_with_its_reason(api, article):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png")
    answer = api("editor").post(f"/api/v1/articles/{article.pk}/sources/", {"title": "Photo", "file": upload}, format="multipart")
    read_all(article)

    source = SourceDocument.objects.get(pk=answer.json()["id"])
    assert source.status == "failed" and "PNG" in source.error


def test_only_editors_remove_sources_and_the_claims_are_matched_again(api, article):
    source_id = attach(api, article, text=TRANSCRIPT).json()["id"]
    read_all(article)

    assert api("reporter").delete(f"/api/v1/sources/{source_id}/").status_code == 403
    assert api("editor").delete(f"/api/v1/sources/{source_id}/").status_code == 204
    assert not ItemEvidence.objects.exists()
    assert item(article, "We already started").evidence_match is None


def test_an_edited_article_is_matched_again(api, article):
    attach(api, article, text=TRANSCRIPT)
    read_all(article)
    body = article.body.replace("Our defense cooperation is not against anyone", "Our military cooperation is not against anyone")
    article_upsert(source="desk", external_id="001", body=body)
    checklist_extract(article_id=article.pk)
    evidence_match_article(article_id=article.pk)

    assert item(article, "Our military cooperation").evidence_match == "exact"


def test_sources_are_listed_on_the_article(api, article):
    attach(api, article, text=TRANSCRIPT)
    listed = api("cms").get(f"/api/v1/articles/{article.pk}/sources/").json()
    assert [s["title"] for s in listed] == ["Briefing"]
    assert api("cms").get("/api/v1/articles/999999/sources/").status_code == 404


def test_a_file_over_the_limit_is_refused_with_the_numbers(api, article, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SOURCE_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.txt", b"word " * 400, content_type="text/plain")
    answer = api("editor").post(f"/api/v1/articles/{article.pk}/sources/", {"title": "Big", "file": upload}, format="multipart")

    assert answer.status_code == 400 and "2,000 bytes; the limit is 1,000 bytes" in answer.json()["detail"]
    assert not SourceDocument.objects.exists()


def test_a_web_page_is_fetched_under_the_outbound_rules(api, article, settings):
    settings.ALLOW_PRIVATE_URLS = False
    source_id = attach(api, article, url="http://127.0.0.1:9/transcript").json()["id"]
    read_all(article)

    source = SourceDocument.objects.get(pk=source_id)
    assert source.status == "failed" and "refused" in source.error
