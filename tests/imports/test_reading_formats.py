"""Reading each format into a ParsedArticle: plain Python, no database."""

import datetime
import subprocess
import sys

import pytest

from articles import importers
from articles.extraction import InvalidText
from articles.importers import EntryError, UnreadableInput

UTC = datetime.timezone.utc


def only(results):
    assert len(results) == 1
    assert not isinstance(results[0], EntryError), results[0]
    return results[0]


def read_fixture(fixture_bytes, name: str):
    """The one article in fixture file ``name``, read the way import_articles reads a file."""
    return only(importers.parse(fixture_bytes(name), filename=name))


def test_an_html_page_gives_its_article_text_and_metadata_without_scripts_or_navigation(fixture_bytes):
    article = read_fixture(fixture_bytes, "page.html")

    assert article.format == "html"
    assert article.title == "City hires 40 building inspectors"
    assert article.byline == "Jane Doe"
    assert article.url == "https://courier.example.org/city/inspectors-hired"
    assert article.published_at == datetime.datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert "the largest intake since 1998" in article.body
    assert '"We are finally catching up with the backlog," Ruiz told reporters' in article.body
    for never in ("SCRIPT TEXT", "STYLE TEXT", "dataLayer", "Subscribe to our newsletter", "Most read", "Copyright"):
        assert never not in article.body


def test_html_paragraphs_are_separated_by_blank_lines(fixture_bytes):
    body = read_fixture(fixture_bytes, "page.html").body

    paragraphs = body.split("\n\n")
    assert paragraphs[0].startswith("The city has hired 40 new building inspectors"), "the <h1> is the title, not the body"
    assert all("\n" not in paragraph for paragraph in paragraphs)


def test_html_text_gets_the_same_cleaning_as_plain_text():
    page = (
        "<html><body><article><h1>Rates rise</h1>"
        "<p>The bank raised its rate to 5.25% on Thursday, the highest since 2001, officials said.</p>"
        "<p>READ: Why mortgages are getting dearer</p>"
        "<p>Economists had expected the increase, according to a survey of 40 analysts.</p>"
        "</article></body></html>"
    )

    body = importers.parse_html(page).body

    assert "READ:" not in body
    assert "5.25%" in body and "40 analysts" in body


def test_a_short_html_fragment_keeps_all_its_text():
    article = importers.parse_html("<p>Sales rose 5%.</p><p>The firm hired 30 people.</p>")

    assert article.body == "Sales rose 5%.\n\nThe firm hired 30 people."


def test_plain_text_in_windows_1252_is_decoded_and_its_headline_found(fixture_bytes):
    article = read_fixture(fixture_bytes, "cp1252.txt")

    assert article.title == "Café owners say rents rose 20% – the highest in a decade"
    assert "the traders’ association said" in article.body


def test_ninjs_2_reads_main_headline_by_and_html_body(fixture_bytes):
    article = read_fixture(fixture_bytes, "ninjs2.json")

    assert article.format == "ninjs"
    assert article.external_id == "urn:newsml:wire.example.org:20240305:budget-vote"
    assert article.title == "Council passes $4.5-million budget without new taxes"
    assert article.byline == "Sam Lee, Wire Service"
    assert article.published_at == datetime.datetime(2024, 3, 5, 17, 45, tzinfo=UTC), "first created, not this version"
    assert article.body.startswith("The city council approved a $4.5-million budget on Monday")
    assert "\n\n\"We balanced it without new taxes,\"" in article.body
    assert "alert" not in article.body


def test_ninjs_1_reads_headline_byline_and_body_html(fixture_bytes):
    article = read_fixture(fixture_bytes, "ninjs1.json")

    assert article.format == "ninjs"
    assert article.external_id == "http://wire.example.org/2024/03/07/bridge-opening"
    assert article.title == "New bridge opens two years late"
    assert article.byline == "Maria Gomez"
    assert article.published_at == datetime.datetime(2024, 3, 7, 9, 30, tzinfo=UTC)
    assert "$12 million over budget" in article.body


def test_ninjs_body_text_is_preferred_to_html_and_guid_serves_as_id():
    article = only(importers.parse_json(
        '{"guid": "tag:wire,2024:9", "headline": "Plain", "body_text": "Prices rose 3%.", "body_html": "<p>Other</p>"}'
    ))

    assert article.external_id == "tag:wire,2024:9"
    assert article.body == "Prices rose 3%."


def test_a_ninjs_item_without_text_is_skipped_with_its_type():
    assert importers.parse_json('{"uri": "urn:x:1", "type": "picture", "headline": "A photo"}') == [
        importers.EntrySkipped("urn:x:1", "the ninjs item 'A photo' is a picture, not an article to check")
    ]


def test_json_in_the_api_shape_keeps_its_own_source_and_body_exactly(fixture_bytes):
    first, second = importers.parse(fixture_bytes("api.json"), filename="api.json")

    assert (first.source, first.external_id, first.byline) == ("desk-cms", "story-101", "Lee Chan")
    assert first.published_at == datetime.datetime(2024, 4, 2, 9, 0, tzinfo=UTC)
    assert first.body.startswith("Unemployment fell to 3.9% in March")
    assert second.external_id == "story-102" and second.byline is None


def test_one_bad_entry_in_a_json_list_is_reported_and_the_others_read():
    results = importers.parse_json(
        '[{"external_id": "a", "body": "Sales rose 5%."}, {"external_id": "b", "body": ""}, 7,'
        ' {"external_id": "c", "body": "x", "published_at": "last Tuesday"}]'
    )

    assert not isinstance(results[0], EntryError)
    assert results[1] == EntryError("b", "the article body is empty")
    assert results[2] == EntryError("entry 3", "expected an object, found int")
    assert isinstance(results[3], EntryError) and "published_at is not an ISO 8601" in results[3].reason


def test_an_rss_feed_gives_one_article_per_item_from_full_content_or_summary(fixture_bytes):
    budget, library = importers.parse(fixture_bytes("feed.rss"), filename="feed.rss")

    assert budget.external_id == "courier-city-1001"
    assert budget.url == "https://courier.example.org/city/budget"
    assert budget.byline == "Jane Doe"
    assert budget.published_at == datetime.datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
    assert budget.body == (
        "The city council approved a $4.5-million budget on Monday, Mayor Ann Lee said.\n\n"
        '"We balanced it without new taxes," she told reporters.'
    ), "content:encoded wins over the description, and scripts are dropped"
    assert library.external_id == "https://courier.example.org/city/library"
    assert library.body.startswith("The central library will open on Sundays")


def test_an_atom_feed_entry_gives_its_id_author_and_html_content(fixture_bytes):
    entry = read_fixture(fixture_bytes, "feed.atom")

    assert entry.external_id == "tag:wire.example.org,2024:science-77"
    assert entry.byline == "Priya Natarajan"
    assert entry.published_at == datetime.datetime(2024, 3, 8, 15, 0, tzinfo=UTC)
    assert entry.body.startswith("River temperatures rose by 12% over two decades")


def test_a_feed_entry_with_only_a_link_is_left_for_fetching():
    feed = b"""<rss version="2.0"><channel><title>T</title>
      <item><title>Linked</title><link>https://example.org/linked</link></item></channel></rss>"""

    entry = only(importers.parse(feed))

    assert entry.needs_fetch and entry.body == ""
    assert entry.external_id == entry.url == "https://example.org/linked"


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "expected"),
    [
        (b"Plain words.", "story.txt", None, "text"),
        (b"<html><body>x</body></html>", "story.txt", None, "text"),  # a .txt is always text
        (b"<!DOCTYPE html><html>", None, None, "html"),
        (b"\xef\xbb\xbf  <html lang=en>", "page.bin", None, "html"),
        (b'<?xml version="1.0"?>\n<rss version="2.0">', "news.xml", None, "feed"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', None, "text/xml", "feed"),
        (b'<rss version="2.0">', None, "text/html", "feed"),  # content beats a wrong Content-Type
        (b'{"uri": "urn:1", "headline": "H"}', "x.json", None, "json"),
        (b'  [{"external_id": "1"}]', None, None, "json"),
        (b"Just words from a server", None, "text/plain", "text"),
    ],
)
def test_format_is_detected_from_name_type_and_content(data, filename, content_type, expected):
    assert importers.detect_format(data, filename=filename, content_type=content_type) == expected


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.json", "empty"),
        (b"   \n", "a.html", "empty"),
        (b"\x00\x01\x02PK\x03\x04" * 50, "a.html", "binary"),
        (b"Just words", "a.json", "not JSON although the name ends in .json"),
        (b'<?xml version="1.0"?><NewsML/>', "a.xml", "XML is not an RSS or Atom feed"),
        (b"words", "a.docx", "unknown format '.docx'"),
    ],
)
def test_unreadable_inputs_are_refused_with_a_reason(data, filename, message):
    with pytest.raises(UnreadableInput, match=message):
        importers.parse(data, filename=filename)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"external_id": "a", "body": "x",}', "JSON is malformed: .* line 1, column"),
        (b'{"title": "no body"}', "neither an article in the API's shape nor ninjs"),
        (b"[]", "holds no articles"),
        (b'{"external_id": "a", "body": 5}', "body must be a string"),
    ],
)
def test_bad_json_is_refused_with_a_reason(data, message):
    with pytest.raises(UnreadableInput, match=message):
        importers.parse(data, filename="doc.json")


def test_import_errors_are_invalid_text_so_existing_handlers_catch_them():
    assert issubclass(UnreadableInput, InvalidText)


def test_the_importers_do_not_import_django():
    code = "import sys, articles.importers; assert not [m for m in sys.modules if m.startswith('django')], 'django'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
