"""Fixtures of the newsroom page tests: an article whose items overlap, and signed-in clients."""

import pytest
from django.test import Client

from tests.factories import ArticleFactory, ChecklistItemFactory

BODY = (
    'The city council approved a $4.5-million budget on Monday, Mayor Ann Lee said. '
    '"We balanced it without new taxes," she told reporters.'
)


def span(body: str, words: str) -> dict:
    start = body.index(words)
    return {"start": start, "end": start + len(words), "text": words}


@pytest.fixture
def article(db):
    return ArticleFactory(title="Council budget", body=BODY, checklist_status="ready")


@pytest.fixture
def items(article, cast):
    """Three items: money inside a statement (overlap), and a quote with a speaker."""
    money = ChecklistItemFactory(article=article, kind="money", **span(BODY, "$4.5-million"), priority=80)
    statement = ChecklistItemFactory(
        article=article, kind="statement", **span(BODY, "council approved a $4.5-million budget on Monday"),
        guidance="Check the council minutes.",
    )
    quote = ChecklistItemFactory(
        article=article, kind="quote", **span(BODY, "We balanced it without new taxes,"), speaker="Ann Lee",
        assignee=cast.checker,
    )
    return {"money": money, "statement": statement, "quote": quote}


@pytest.fixture
def login():
    """A test client signed in as ``user``."""

    def signed_in(user, **client_options) -> Client:
        client = Client(**client_options)
        client.force_login(user)
        return client

    return signed_in


DEADLINE_BODY = (
    "The mayor resigned on Friday. "
    '"I leave a city with 12,000 new homes," Lee said on 3 March, calling it the biggest build in decades. '
    "Officials declined to comment. "
    "The council meets again in May."
)


def place(body: str, words: str, **fields):
    """An item on ``words`` whose sentence is the one they stand in (as the engine stores it)."""
    start = body.index(words)
    sentence_start = body.rfind(". ", 0, start)
    sentence_start = 0 if sentence_start < 0 else sentence_start + 2
    sentence_end = body.find(". ", start)
    sentence_end = len(body) if sentence_end < 0 else sentence_end + 1
    return {"start": start, "end": start + len(words), "text": words,
            "sentence": body[sentence_start:sentence_end], **fields}


@pytest.fixture
def deadline(db):
    """A sentence holding a quote, a figure and a date (required), a first sentence with a date
    (required), and three recommended items: one in the quote's sentence, two in later ones."""
    article = ArticleFactory(title="Mayor resigns", body=DEADLINE_BODY, checklist_status="ready")
    body = article.body
    make = lambda words, kind, **fields: ChecklistItemFactory(article=article, kind=kind, **place(body, words, **fields))  # noqa: E731
    return {
        "article": article,
        # Created out of text order on purpose: the page orders by position, not by id.
        "figure": make("12,000 new homes", "number", priority=70),
        "resigned": make("on Friday", "date", priority=40),
        "quote": make("I leave a city with 12,000 new homes,", "quote", speaker="Lee", priority=90),
        "date": make("on 3 March", "date", priority=30),
        "declined": make("Officials declined to comment.", "attribution", tier="recommended", priority=20),
        "superlative": make("the biggest build in decades", "superlative", tier="recommended", priority=35),
        "may": make("in May", "date", tier="recommended", priority=10),
    }
