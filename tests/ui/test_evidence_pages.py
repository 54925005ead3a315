"""Sources and evidence on the article page: attach, read, see the passage, verify from it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import ChecklistItem, SourceDocument
from articles.services import article_upsert, checklist_extract
from articles.services.evidence import source_add, source_read

pytestmark = pytest.mark.django_db

TRANSCRIPT = (
    "KHOVAEV: We already started working on that. Our military cooperation is not against anyone.\n\n"
    "KHOVAEV: The $235-million agreement was scrapped.\n"
)


@pytest.fixture
def article(sample_paths, cast):
    article = article_upsert(
        source="desk", external_id="001", title="Arms hub", body=sample_paths[1].read_text(encoding="utf-8")
    ).article
    checklist_extract(article_id=article.pk)
    return article


@pytest.fixture
def with_source(article, cast):
    added = source_add(article_id=article.pk, title="Briefing <b>tape</b>", by=cast.editor, text=TRANSCRIPT)
    source_read(source_id=added.source.pk)
    return added.source


def item(article, starting, kind="quote"):
    return ChecklistItem.objects.get(article=article, kind=kind, text__startswith=starting, origin="auto")


def card(content: str, item) -> str:
    start = content.index(f'<li id="item-{item.pk}"')
    following = re.compile(r'<li id="item-\d+"').search(content, start + 1)
    return content[start : following.start() if following else len(content)]


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def article_url(article, **query) -> str:
    url = reverse("newsroom:article", args=[article.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_an_article_without_sources_invites_attaching_one(login, cast, article):
    content = page(login(cast.reporter), article_url(article))
    assert 'id="sources"' in content and "No sources yet" in content
    assert 'enctype="multipart/form-data"' in content  # reporters attach sources


def test_a_reporter_attaches_pasted_text_and_sees_it_listed(login, cast, article):
    client = login(cast.reporter)
    response = client.post(
        reverse("newsroom:article_source_add", args=[article.pk]), {"title": "Briefing", "text": TRANSCRIPT}, follow=True
    )

    assert response.status_code == 200
    assert "attached" in response.content.decode()
    source = SourceDocument.objects.get(article=article)
    assert source.added_by == cast.reporter and source.kind == "text"


def test_a_file_is_attached_through_the_page(login, cast, article):
    upload = SimpleUploadedFile("briefing.txt", TRANSCRIPT.encode(), content_type="text/plain")
    login(cast.editor).post(reverse("newsroom:article_source_add", args=[article.pk]), {"title": "Briefing", "file": upload})
    assert SourceDocument.objects.get().filename == "briefing.txt"


def test_a_source_given_two_ways_is_refused_with_a_message(login, cast, article):
    response = login(cast.editor).post(
        reverse("newsroom:article_source_add", args=[article.pk]),
        {"title": "Briefing", "text": TRANSCRIPT, "url": "https://example.org/"}, follow=True,
    )
    assert "one of: pasted text, a web address or a file" in response.content.decode()
    assert not SourceDocument.objects.exists()


def test_the_supporting_passage_is_shown_with_the_claims_words_marked(login, cast, article, with_source):
    content = card(page(login(cast.reporter), article_url(article)), item(article, "We already started"))

    assert "Supported by" in content and "Briefing &lt;b&gt;tape&lt;/b&gt;" in content
    assert re.search(r'<mark class="match">[^<]*already started working on that', content)


def test_a_claim_that_differs_shows_the_differing_words(login, cast, article, with_source):
    content = card(page(login(cast.reporter), article_url(article)), item(article, "Our defense cooperation"))

    assert "Differs from" in content
    assert re.search(r'<mark class="differs">[^<]*military', content)


def test_an_editor_verifies_from_the_source_in_one_click(login, cast, article, with_source):
    exact = item(article, "We already started")
    client = login(cast.editor)
    content = card(page(client, article_url(article)), exact)
    assert "Verified: supported by the source" in content

    client.post(reverse("newsroom:item_verify_source", args=[exact.pk]), {"source": with_source.pk, "version": exact.version})

    exact.refresh_from_db()
    assert exact.state == "verified"
    assert "Verified: supported by the source" not in card(page(client, article_url(article)), exact)


def test_a_reporter_sees_no_verify_button(login, cast, article, with_source):
    content = card(page(login(cast.reporter), article_url(article)), item(article, "We already started"))
    assert "Verified: supported by the source" not in content


def test_the_checklist_filters_the_claims_not_found_in_any_source(login, cast, article, with_source):
    content = page(login(cast.reporter), article_url(article, evidence="not_found"))

    assert "Showing only the claims not found in any source" in content
    shown = {int(pk) for pk in re.findall(r'<li id="item-(\d+)"', content)}
    assert shown == set(article.items.filter(evidence_match="not_found").values_list("pk", flat=True))


def test_an_editor_removes_a_source_and_a_reporter_cannot(login, cast, article, with_source):
    url = reverse("newsroom:source_remove", args=[with_source.pk])
    login(cast.reporter).post(url)
    assert SourceDocument.objects.exists()

    login(cast.editor).post(url)
    assert not SourceDocument.objects.exists()
    assert item(article, "We already started").evidence_match is None


def test_a_source_that_could_not_be_read_says_why(login, cast, article):
    added = source_add(
        article_id=article.pk, title="Photo", by=cast.editor, data=b"\x89PNG\r\n\x1a\n" + bytes(100), filename="p.png"
    )
    source_read(source_id=added.source.pk)
    content = page(login(cast.reporter), article_url(article))
    assert "Could not be read" in content and "PNG" in content


def test_a_claim_that_differs_from_its_source_is_shown_first(login, cast, article, with_source):
    content = page(login(cast.reporter), article_url(article))
    first = int(re.search(r'<li id="item-(\d+)"', content).group(1))
    assert ChecklistItem.objects.get(pk=first).evidence_match == "variant"


def test_the_article_page_has_no_two_elements_with_one_id(login, cast, article, with_source):
    content = page(login(cast.editor), article_url(article))
    ids = re.findall(r'\sid="([^"]+)"', content)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
