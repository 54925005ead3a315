"""Names and titles of things: every imported article has a real title, the body does not
repeat it, and the boilerplate lines the cleaner drops leave no gaps behind.

Everything goes through the real import path (``import_path``, ``import_articles``,
``importers.parse``), and ``extract_claims --json`` is checked to print the title and body
exactly as they are stored.
"""

import io
import json
import re
import shutil

import pytest
from django.core.management import call_command

from articles import importers
from articles.extraction import cli
from articles.models import Article, ArticleRevision
from articles.services.imports import import_path, import_url
from tests.imports.conftest import FIXTURES

LEAD = "The city council approved a $4.5-million budget on Monday, Mayor Ann Lee said."
SECOND = '"We balanced it without new taxes," she told reporters.'


def imported(tmp_path, name: str, content: str | bytes) -> Article:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    report = import_path(path)
    assert not report.failures, report.failures
    return Article.objects.get(source="file", external_id=path.stem)


def only(results):
    [article] = results
    return article


def blank_line_runs(body: str) -> list[str]:
    """Places where more than one blank line separates two paragraphs, or a blank line holds spaces."""
    return re.findall(r"\n[ \t]*\n[ \t]*\n|\n[ \t]+\n", body)


# 1. Every article gets a title ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_headline_on_the_first_line_of_a_text_file_is_the_title(tmp_path):
    article = imported(tmp_path, "budget.txt", f"Council passes budget without new taxes\n\n{LEAD}\n\n{SECOND}\n")

    assert article.title == "Council passes budget without new taxes"
    assert str(article) == "Council passes budget without new taxes"


@pytest.mark.django_db
def test_a_text_file_without_a_headline_is_titled_by_its_first_sentence_after_the_dateline(tmp_path):
    article = imported(tmp_path, "000_lead.txt", f"MANILA, Oct. 22 (Xinhua) -- {LEAD}\n\n{SECOND}\n")

    assert article.title == "The city council approved a $4.5-million budget on Monday, Mayor Ann Lee said"
    assert str(article) != "file:000_lead", "never the source:id fallback"
    assert article.body.startswith("MANILA, Oct. 22 (Xinhua) -- The city council"), "the lead stays in the body"


@pytest.mark.django_db
def test_a_long_first_sentence_is_shortened_on_a_word_boundary(tmp_path):
    lead = (
        "Russia intended to set up a gun-manufacturing company in the Philippines, Russian Ambassador "
        "to the Philippines Igor Khovaev said here on Tuesday."
    )
    article = imported(tmp_path, "arms.txt", f"{lead}\n\nHe gave no date.\n")

    assert article.title == "Russia intended to set up a gun-manufacturing company in the Philippines…"
    assert len(article.title) <= 101


@pytest.mark.django_db
def test_a_first_sentence_without_a_clause_break_is_cut_between_words(tmp_path):
    words = "officials from forty neighbouring towns gathered in the old market hall to discuss shared water supplies"
    article = imported(tmp_path, "towns.txt", f"On Monday {words} and road repairs for hours.\n\nNo vote was held.\n")

    assert article.title.endswith("…") and len(article.title) <= 101
    assert article.body.startswith(article.title[:-1]), "cut between two whole words of the sentence"
    assert article.body[len(article.title) - 1] == " "


@pytest.mark.django_db
def test_every_sample_article_gets_a_real_title_through_the_command(tmp_path, sample_paths):
    for path in sample_paths:
        shutil.copy(path, tmp_path)

    call_command("import_articles", str(tmp_path))

    titles = dict(Article.objects.values_list("external_id", "title"))
    assert len(titles) == len(sample_paths)
    for external_id, title in titles.items():
        assert title and not title.startswith("file:"), external_id
        assert len(title) <= 101
    assert titles["002_fa2cfc2c0d3a07cf"] == "Russia eyes closer military cooperation with PH, says Russian ambassador"
    assert titles["000_7689f722447e022a"] == "Russia intended to set up a gun-manufacturing company in the Philippines…"


def test_a_page_is_titled_by_its_own_title_and_a_page_without_one_by_its_first_sentence():
    titled = only(importers.parse((FIXTURES / "page.html").read_bytes(), filename="page.html"))
    untitled = only(importers.parse(f"<html><body><p>{LEAD}</p><p>{SECOND}</p></body></html>".encode(), filename="a.html"))

    assert titled.title == "City hires 40 building inspectors"
    assert untitled.title == "The city council approved a $4.5-million budget on Monday, Mayor Ann Lee said"


def test_json_in_the_api_shape_without_a_title_gets_one_and_keeps_its_body_exactly():
    body = f"Budget passes\n\n{LEAD}"
    article = only(importers.parse(json.dumps({"external_id": "b-1", "body": body}).encode(), filename="b.json"))

    assert article.title == "Budget passes"
    assert article.body == body, "the API's shape stores the body exactly as sent"


# 2. The title is not repeated as the first line of the body ----------------------------------


@pytest.mark.django_db
def test_the_body_of_a_text_file_starts_after_its_headline(tmp_path):
    article = imported(tmp_path, "budget.txt", f"Council passes budget without new taxes\n\n\n{LEAD}\n\n{SECOND}\n")

    assert article.body == f"{LEAD}\n\n{SECOND}"


@pytest.mark.django_db
def test_extract_claims_prints_the_title_and_body_as_they_are_stored(tmp_path, sample_paths):
    for path in sample_paths:
        article = imported(tmp_path, path.name, path.read_bytes())
        out = io.StringIO()
        cli.main([str(tmp_path / path.name)], as_json=True, stdout=out)
        [record] = json.loads(out.getvalue())

        assert (record["title"], record["body"]) == (article.title, article.body), path.name
        for item in record["items"]:
            assert article.body[item["start"]:item["end"]] == item["text"]


def test_a_page_does_not_repeat_its_headline_at_the_top_of_the_body():
    page = (
        "<html><head><title>Budget passes | The Courier</title></head><body><article>"
        f"<h1>Budget passes</h1><p>{LEAD}</p><p>{SECOND}</p></article></body></html>"
    )

    article = only(importers.parse(page.encode(), filename="budget.html"))

    assert article.title == "Budget passes"
    assert article.body == f"{LEAD}\n\n{SECOND}"


def test_a_first_paragraph_that_is_not_the_title_stays_in_the_body():
    page = (
        "<html><head><title>Budget passes</title></head><body><article>"
        f"<h2>City hall</h2><p>{LEAD}</p><p>{SECOND}</p></article></body></html>"
    )

    article = only(importers.parse(page.encode(), filename="budget.html"))

    assert article.title == "Budget passes"
    assert article.body.startswith("City hall\n\n")


def test_a_feed_entry_does_not_repeat_its_title_at_the_top_of_its_content():
    feed = f"""<rss version="2.0"><channel><title>City</title><item><guid>b-1</guid><title>Budget passes</title>
      <description><![CDATA[<p>Budget passes</p><p>{LEAD}</p>]]></description></item></channel></rss>"""

    entry = only(importers.parse(feed.encode(), filename="city.rss"))

    assert (entry.title, entry.body) == ("Budget passes", LEAD)


def test_a_ninjs_body_does_not_repeat_its_headline():
    ninjs = {"uri": "urn:x:1", "headline": "Budget passes", "body_text": f"Budget passes\n\n{LEAD}"}

    article = only(importers.parse(json.dumps(ninjs).encode(), filename="b.json"))

    assert (article.title, article.body) == ("Budget passes", LEAD)


@pytest.mark.django_db
def test_a_linked_page_keeps_the_feed_entrys_title_and_does_not_repeat_its_own_headline(site):
    page = site.serve("/story", (FIXTURES / "page.html").read_bytes())
    feed = site.serve(
        "/city.rss",
        f'<rss version="2.0"><channel><title>City</title><item><guid>c-9</guid><title>Inspectors</title>'
        f"<link>{page}</link></item></channel></rss>",
        content_type="application/rss+xml",
    )

    assert not import_url(feed).failures

    article = Article.objects.get(external_id="c-9")
    assert article.title == "Inspectors"
    assert article.body.startswith("The city has hired 40 new building inspectors")


# 3. Dropped boilerplate lines leave no gaps ---------------------------------------------------


@pytest.mark.django_db
def test_cms_settings_lines_between_paragraphs_leave_one_paragraph_break(tmp_path):
    text = f"Budget passes\n\nenablePagination: false\nmaxItemsPerPage: 10\n\n{LEAD}\n\nshowComments: true\n\n{SECOND}\n"

    article = imported(tmp_path, "budget.txt", text)

    assert article.body == f"{LEAD}\n\n{SECOND}"


@pytest.mark.django_db
def test_a_related_link_inside_a_paragraph_leaves_no_blank_line(tmp_path):
    text = f"{LEAD}\nREAD: Mayor pledges new parks\n{SECOND}\n\nThe vote was 7-2.\n"

    article = imported(tmp_path, "budget.txt", text)

    assert article.body == f"{LEAD}\n{SECOND}\n\nThe vote was 7-2."


@pytest.mark.django_db
def test_a_related_link_in_its_own_paragraph_and_a_sign_off_leave_no_gap(tmp_path):
    text = f"{LEAD}\n\n   \nREAD MORE: Mayor pledges new parks\n\n{SECOND}\n\nThe vote was 7-2.\n\nJE\n"

    article = imported(tmp_path, "budget.txt", text)

    assert article.body == f"{LEAD}\n\n{SECOND}\n\nThe vote was 7-2."
    assert blank_line_runs(article.body) == []


def test_a_related_link_paragraph_on_a_page_leaves_one_paragraph_break():
    page = f"<html><body><article><p>{LEAD}</p><p>READ: Why mortgages are getting dearer</p><p>{SECOND}</p></article></body></html>"

    article = only(importers.parse(page.encode(), filename="rates.html"))

    assert article.body == f"{LEAD}\n\n{SECOND}"


@pytest.mark.django_db
def test_the_sample_with_cms_settings_starts_straight_with_its_first_paragraph(tmp_path, sample_paths):
    [path] = [p for p in sample_paths if p.name.startswith("002_")]

    article = imported(tmp_path, path.name, path.read_bytes())

    assert article.body.startswith("Metro Manila (CNN Philippines) — Stronger military ties")
    assert "enablePagination" not in article.body


# Re-imports ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reimporting_an_unchanged_file_keeps_its_title_body_and_hash(tmp_path):
    text = f"Budget passes\n\nenablePagination: false\n\n{LEAD}\n\nREAD: Parks\n\n{SECOND}\n\nJE\n"
    first = imported(tmp_path, "budget.txt", text)

    report = import_path(tmp_path / "budget.txt")

    again = Article.objects.get(pk=first.pk)
    assert [item.outcome for item in report.items] == ["unchanged"]
    assert (again.title, again.body, again.content_hash, again.revision) == (
        first.title, first.body, first.content_hash, 1
    )
    assert ArticleRevision.objects.filter(article=again).count() == 1
