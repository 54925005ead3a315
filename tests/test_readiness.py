import pytest

from articles.models import ChecklistStatus
from articles.selectors import article_readiness
from tests.factories import ArticleFactory, ChecklistItemFactory

pytestmark = pytest.mark.django_db


def article_with(*states):
    article = ArticleFactory(checklist_status=ChecklistStatus.READY)
    for offset, state in enumerate(states):
        ChecklistItemFactory(article=article, kind="number", start=offset, end=offset + 2, state=state)
    return article


def test_an_article_is_ready_when_every_item_is_verified_unverifiable_or_dismissed():
    readiness = article_readiness(article_with("verified", "unverifiable", "dismissed"))

    assert readiness.ready
    assert readiness.blocking == []
    assert (readiness.resolved, readiness.total) == (3, 3)


@pytest.mark.parametrize("blocking_state", ["open", "in_progress", "incorrect"])
def test_an_open_in_progress_or_incorrect_item_blocks(blocking_state):
    readiness = article_readiness(article_with("verified", blocking_state))

    assert not readiness.ready
    assert [item.state for item in readiness.blocking] == [blocking_state]
    assert readiness.counts[blocking_state] == 1


def test_an_incorrect_item_is_named_as_the_reason():
    assert "marked incorrect" in article_readiness(article_with("incorrect")).reason


def test_an_article_whose_checklist_is_not_ready_is_not_ready():
    article = article_with("verified")
    article.checklist_status = ChecklistStatus.RUNNING

    readiness = article_readiness(article)

    assert not readiness.ready
    assert readiness.reason == "The checklist is running."
