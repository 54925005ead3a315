import pytest

from tests.conftest import configure_broker
from tests.factories import ArticleFactory, ChecklistItemFactory


@pytest.fixture
def checklist(db):
    """An article whose checklist is extracted, with two open items."""
    article = ArticleFactory(checklist_status="ready")
    money = ChecklistItemFactory(article=article)
    date = ChecklistItemFactory(
        article=article, kind="date", start=article.body.index("Monday"), end=article.body.index("Monday") + 6
    )
    return article, money, date


@pytest.fixture
def broker_up(transactional_db):
    """The broker takes every message (kombu's in-memory transport), and each request's
    transaction really commits, so an upsert's extraction is queued before the API answers."""
    previous = configure_broker(task_always_eager=False, broker_url="memory://localhost/")
    yield
    configure_broker(**previous)
