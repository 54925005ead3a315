"""import_path and import_url: every format through the one upsert pipeline; what is read is upserted together, what is not fails alone."""

import shutil

import pytest

from articles.models import Article, ArticleRevision
from articles.services.imports import import_path, import_url

pytestmark = pytest.mark.django_db

FIXTURES = ["page.html", "ninjs2.json", "ninjs1.json", "api.json", "feed.rss", "feed.atom", "cp1252.txt"]


def outcomes(report):
    return [(item.label, item.outcome) for item in report.items]


@pytest.fixture
def fixtures_dir(tmp_path):
    from tests.imports.conftest import FIXTURES as SOURCE

    for name in FIXTURES:
        shutil.copy(SOURCE / name, tmp_path / name)
    return tmp_path


def test_each_format_becomes_articles_with_file_stems_or_their_own_ids(fixtures_dir):
    reports = {name: import_path(fixtures_dir / name) for name in FIXTURES}

    assert all(not report.failures for report in reports.values()), [r.failures for r in reports.values()]
    ids = set(Article.objects.values_list("source", "external_id"))
    assert ids == {
        ("file", "page"),
        ("file", "urn:newsml:wire.example.org:20240305:budget-vote"),
        ("file", "http://wire.example.org/2024/03/07/bridge-opening"),
        ("desk-cms", "story-101"),
        ("desk-cms", "story-102"),
        ("file", "courier-city-1001"),
        ("file", "https://courier.example.org/city/library"),
        ("file", "tag:wire.example.org,2024:science-77"),
        ("file", "cp1252"),
    }
    page = Article.objects.get(external_id="page")
    assert page.title == "City hires 40 building inspectors"
    assert page.byline == "Jane Doe"
    assert page.url == "https://courier.example.org/city/inspectors-hired"
    assert page.published_at.isoformat() == "2024-03-05T09:30:00+00:00"
    assert "SCRIPT TEXT" not in page.body
    cafes = Article.objects.get(external_id="cp1252")
    assert cafes.title == "Café owners say rents rose 20% – the highest in a decade"
    assert cafes.body.startswith("The owners of 30 cafés")


def test_reimporting_the_same_files_changes_nothing(fixtures_dir):
    for name in FIXTURES:
        import_path(fixtures_dir / name)
    before = list(Article.objects.order_by("pk").values_list("pk", "updated_at", "revision"))

    reports = [import_path(fixtures_dir / name) for name in FIXTURES]

    assert {item.outcome for report in reports for item in report.items} == {"unchanged"}
    assert list(Article.objects.order_by("pk").values_list("pk", "updated_at", "revision")) == before


def test_an_edited_page_becomes_a_new_revision(fixtures_dir):
    page = fixtures_dir / "page.html"
    import_path(page)
    page.write_text(page.read_text().replace("$2.4 million", "$2.9 million"))

    report = import_path(page)

    assert outcomes(report) == [(str(page), "updated")]
    article = Article.objects.get(external_id="page")
    assert "$2.9 million" in article.body and article.revision == 2
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_a_bad_entry_fails_alone_and_writes_nothing(tmp_path):
    batch = tmp_path / "batch.json"
    batch.write_text(
        '[{"source": "cms", "external_id": "ok", "body": "Sales rose 5% in May."},'
        ' {"source": "cms", "external_id": "empty", "body": "   "},'
        ' {"source": "cms", "body": "No id here."},'
        ' {"source": "cms", "external_id": "late", "body": "Sales fell.", "published_at": "yesterday"}]'
    )

    report = import_path(batch)

    assert report.counts() == {"new": 1, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 3}
    reasons = {item.label: item.reason for item in report.failures}
    assert reasons[f"{batch} [empty]"] == "the article body is empty"
    assert "has no id" in reasons[f"{batch} [entry 3]"]
    assert "published_at is not an ISO 8601" in reasons[f"{batch} [late]"]
    assert list(Article.objects.values_list("external_id", flat=True)) == ["ok"]
    assert ArticleRevision.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.json", b'{"external_id": "x", "body": ', "the JSON is malformed"),
        ("photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
        ("empty.xml", b"", "the file is empty"),
        ("notes.docx", b"PK words", "unknown format '.docx'"),
        ("newsml.xml", b'<?xml version="1.0"?><newsMessage/>', "the NewsML-G2 message holds no items"),
    ],
)
def test_unreadable_files_are_reported_and_nothing_is_written(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)

    report = import_path(path)

    assert report.counts()["failed"] == 1
    assert reason in report.failures[0].reason
    assert not Article.objects.exists()


def test_a_page_imported_by_address_is_keyed_by_its_canonical_url_under_its_host(site, fixture_bytes):
    url = site.serve("/city/inspectors-hired?utm_source=mail", fixture_bytes("page.html"))

    report = import_url(url)

    assert report.counts()["new"] == 1
    article = Article.objects.get()
    assert (article.source, article.external_id) == ("courier.example.org", "https://courier.example.org/city/inspectors-hired")
    assert import_url(url).counts()["unchanged"] == 1


def test_a_page_without_a_canonical_link_is_keyed_by_the_address_it_was_fetched_from(site):
    url = site.serve("/story?id=7&utm_campaign=x", "<html><body><p>Sales rose 5% in May, the firm said.</p></body></html>")

    import_url(url + "#top")

    article = Article.objects.get()
    assert article.source == "127.0.0.1"
    assert article.external_id == f"{site.base}/story?id=7"


def test_a_feed_address_imports_its_entries(site, fixture_bytes):
    url = site.serve("/city.rss", fixture_bytes("feed.rss"), content_type="text/xml")

    report = import_url(url)

    assert report.counts() == {"new": 2, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    assert set(Article.objects.values_list("source", flat=True)) == {"127.0.0.1"}


def test_an_address_that_cannot_be_fetched_is_a_failure_with_the_reason(settings):
    settings.ALLOW_PRIVATE_URLS = False

    report = import_url("http://127.0.0.1:9/story")

    assert report.failures[0].reason.endswith("is a private or local address (127.0.0.1)")
    assert not Article.objects.exists()
