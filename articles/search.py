"""Searching articles by their words: PostgreSQL full-text search, or a plain fallback elsewhere.

On PostgreSQL an article's title, byline and body make one text-search document
(``articles_search_document``, an SQL function created by migration 0011, English
stemming), kept in ``ArticleSearchDocument`` by a trigger and indexed by the GIN index
``article_search``: a search reads the index, never the articles' text. The query is read as
a web search engine would (``websearch_to_tsquery``): words are all required, ``"a phrase"``
in quotes, ``-word`` excludes, ``or`` between alternatives; "councils" finds "council".

The function indexes the whole text when it fits in one text-search document (at most 1 MB
of distinct words, which any prose does); an article of more distinct words than that
(tables of figures, lists of codes) is indexed by as much of its beginning as fits, instead
of refusing to save it.

Elsewhere (SQLite, the demo) the words are looked for in the title and the byline only.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib.postgres.search import SearchQuery
from django.db import connections, transaction
from django.db.models import Q, QuerySet, Value

from .models import Article, ArticleSearchDocument

SEARCH_CONFIG = "english"
SEARCH_ALIAS = "search_document"


def uses_full_text(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def search_articles(queryset: QuerySet, words: str) -> QuerySet:
    """The articles of ``queryset`` whose title, byline or text hold ``words``."""
    words = (words or "").strip()
    if not words:
        return queryset
    if uses_full_text(queryset):
        query = SearchQuery(words, config=SEARCH_CONFIG, search_type="websearch")
        found = ArticleSearchDocument.objects.filter(document=query).values("article_id")
        # The alias marks the queryset as a search (``is_search``), for its index plan.
        return queryset.alias(**{SEARCH_ALIAS: Value(True)}).filter(pk__in=found)
    return queryset.filter(Q(title__icontains=words) | Q(byline__icontains=words))


def is_search(queryset) -> bool:
    """Whether ``queryset`` is a full-text search of ``search_articles``."""
    return isinstance(queryset, QuerySet) and SEARCH_ALIAS in queryset.query.annotations


@contextmanager
def index_search_plan(queryset: QuerySet):
    """Evaluate a full-text search inside this block: PostgreSQL is told to answer it from the
    search index, never by reading every article's text.

    The planner cannot know that working out a document costs reading and parsing the article
    (it costs each call as little as an addition): for a word most articles hold it would read
    and parse every article (seconds), and under a ``LIMIT`` it would walk the articles newest
    first and parse each on the way. With sequential and plain index scans off for the block,
    the matches come from the GIN index as a bitmap and are sorted by date: milliseconds, whatever
    the word. The settings are local to the block's transaction and put back when it ends.
    Elsewhere than PostgreSQL this does nothing.
    """
    if not uses_full_text(queryset):
        yield
        return
    connection = connections[queryset.db]
    with transaction.atomic(using=queryset.db):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'), "
                "set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)"
            )
            seqscan, indexscan = cursor.fetchone()[:2]
        yield
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_seqscan', %s, true), set_config('enable_indexscan', %s, true)",
                [seqscan, indexscan],
            )


def article_sources(using: str = "default") -> list[str]:
    """Every article source, in order, for the filters: one index probe per source (a loose
    index scan on ``article_source_recent``) rather than reading every article."""
    connection = connections[using]
    table = connection.ops.quote_name(Article._meta.db_table)
    sql = (
        f"WITH RECURSIVE sources(source) AS ("
        f" SELECT MIN(source) FROM {table}"
        f" UNION ALL"
        f" SELECT (SELECT MIN(later.source) FROM {table} later WHERE later.source > sources.source)"
        f" FROM sources WHERE sources.source IS NOT NULL"
        f") SELECT source FROM sources WHERE source IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]
