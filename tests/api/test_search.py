"""Searching articles (`?q=` on the article list and on the queue page).

On PostgreSQL the title, byline and text are searched through the GIN index `article_search`
on the articles' search documents (English full-text search: stemmed words, all required),
kept by a trigger; on SQLite (the demo) the title and byline are searched for the words as
typed.
"""

import random
import string

import pytest
from django.db import connection
from django.urls import reverse

from articles.search import index_search_plan, search_articles
from articles.models import Article, ArticleSearchDocument, ChecklistStatus
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
on_sqlite = pytest.mark.skipif(connection.vendor == "postgresql", reason="the fallback is for other databases")


@pytest.fixture
def stories(db):
    return {
        "harbour": ArticleFactory(
            title="Harbour expansion approved", byline="Marco Bianchi",
            body="The port authority said the councils agreed to dredge the harbour by 2027.",
        ),
        "schools": ArticleFactory(
            title="Schools get new funding", byline="Grace Mensah",
            body="The education ministry announced $12 million for rural schools on Tuesday.",
        ),
        "transit": ArticleFactory(title="Transit strike ends", byline="Ann Lee", body="Bus drivers returned to work."),
    }


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {article["title"] for article in response.json()["results"]}


def test_an_empty_search_filters_nothing(api, stories):
    assert titles(api("reporter").get(ARTICLES, {"q": "  "})) == {s.title for s in stories.values()}


def test_the_title_and_the_byline_are_searched(api, stories):
    assert titles(api("reporter").get(ARTICLES, {"q": "harbour"})) == {"Harbour expansion approved"}
    assert titles(api("reporter").get(ARTICLES, {"q": "Mensah"})) == {"Schools get new funding"}


def test_a_search_combines_with_the_other_filters(api, stories):
    Article.objects.filter(pk=stories["harbour"].pk).update(source="wire")

    assert titles(api("reporter").get(ARTICLES, {"q": "harbour", "source": "wire"})) == {"Harbour expansion approved"}
    assert titles(api("reporter").get(ARTICLES, {"q": "harbour", "source": "test"})) == set()


def test_a_search_over_the_length_limit_is_a_400_naming_it(api, stories):
    response = api("reporter").get(ARTICLES, {"q": "word " * 50})

    assert response.status_code == 400
    assert list(response.json()) == ["q"]


def test_the_search_parameter_is_in_the_schema(api):
    schema = api("reporter").get("/api/v1/schema/?format=json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}

    assert "q" in parameters
    assert "full-text" in parameters["q"]["description"]


@on_postgresql
def test_the_text_is_searched_by_stemmed_words(api, stories):
    assert titles(api("reporter").get(ARTICLES, {"q": "council dredging"})) == {"Harbour expansion approved"}
    assert titles(api("reporter").get(ARTICLES, {"q": "announcement rural"})) == {"Schools get new funding"}
    assert titles(api("reporter").get(ARTICLES, {"q": "harbour -dredge"})) == set()
    assert titles(api("reporter").get(ARTICLES, {"q": '"bus drivers" or ministry'})) == {
        "Transit strike ends", "Schools get new funding"
    }


@on_postgresql
def test_a_search_is_answered_from_the_search_index(stories):
    articles = search_articles(Article.objects.defer("body").order_by("-updated_at", "-pk"), "harbour")
    sql, params = articles[:25].query.sql_with_params()

    with index_search_plan(articles), connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "article_search" in plan, plan
    assert "Seq Scan" not in plan, plan


def document_version(article) -> str:
    """The transaction that last wrote the article's search document."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM articles_articlesearchdocument WHERE article_id = %s", [article.pk])
        return cursor.fetchone()[0]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_search_document_is_written_again_only_when_the_words_change(api):
    article = ArticleFactory(title="Harbour expansion approved", body="The councils agreed to dredge the harbour.")
    written = document_version(article)

    Article.objects.filter(pk=article.pk).update(checklist_status=ChecklistStatus.READY, item_total=12)
    assert document_version(article) == written

    Article.objects.filter(pk=article.pk).update(title="Harbour dredging postponed")
    assert document_version(article) != written
    assert titles(api("reporter").get(ARTICLES, {"q": "postponed"})) == {"Harbour dredging postponed"}

    article.delete()
    assert not ArticleSearchDocument.objects.exists()


@on_postgresql
def test_the_search_plan_is_put_back_afterwards(stories):
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        before = cursor.fetchone()[0]
        with index_search_plan(Article.objects.all()):
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == before


@on_postgresql
def test_an_article_of_more_distinct_words_than_a_search_document_holds_is_saved_and_found(api, db):
    """A megabyte of distinct codes is more than one text-search document holds: the article is
    saved all the same, and found by the words of its beginning."""
    rnd = random.Random(7)
    codes = " ".join("".join(rnd.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(120_000))
    body = "Quarterly ledger of shipping codes. " + codes[:960_000]

    article = ArticleFactory(title="Shipping codes", body=body)

    assert Article.objects.filter(pk=article.pk).exists()
    assert titles(api("reporter").get(ARTICLES, {"q": "ledger"})) == {"Shipping codes"}


@on_sqlite
def test_elsewhere_the_title_and_byline_are_searched_as_typed(api, stories):
    assert titles(api("reporter").get(ARTICLES, {"q": "HARBOUR EXP"})) == {"Harbour expansion approved"}
    assert titles(api("reporter").get(ARTICLES, {"q": "dredge"})) == set()  # the text is not searched here


def test_the_queue_searches_the_same_way(client, cast, stories):
    client.force_login(cast.editor)

    content = client.get(reverse("newsroom:home"), {"q": "harbour"}).content.decode().split('id="my-items"')[0]

    assert "Harbour expansion approved" in content
    assert "Schools get new funding" not in content
