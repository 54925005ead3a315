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
