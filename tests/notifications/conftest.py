import pytest

from articles.models import NotificationSettings
from tests.conftest import configure_broker
from tests.factories import ArticleFactory, ChecklistItemFactory


@pytest.fixture
def people(cast):
    """The cast with email addresses: the editor, two checkers and a reporter."""
    for user in (cast.editor, cast.checker, cast.other_checker, cast.reporter):
        user.email = f"{user.username}@newsroom.example"
        user.save(update_fields=["email"])
    return cast


@pytest.fixture
def in_process_tasks(settings):
    """Tasks run where they are sent (the quick start's mode, with no broker), so a commit's
    messages are sent by the time the test looks; the real worker has its own tests."""
    previous = configure_broker(task_always_eager=True)
    settings.SITE_URL = "https://desk.example"
    yield
    configure_broker(**previous)


@pytest.fixture
def budget(db):
    """An extracted article with three open items: money, a date, a quote."""
    article = ArticleFactory(title="Council budget", checklist_status="ready")
    body = article.body
    money = ChecklistItemFactory(article=article)
    date = ChecklistItemFactory(article=article, kind="date", start=body.index("Monday"), end=body.index("Monday") + 6)
    quote_start = body.index("We balanced")
    quote = ChecklistItemFactory(
        article=article, kind="quote", start=quote_start, end=quote_start + len("We balanced it without new taxes"),
        speaker="Ann Lee",
    )
    return article, money, date, quote


@pytest.fixture
def chat(receiver):
    """The loopback receiver standing in for a Slack-compatible incoming webhook."""
    return receiver


def chat_on(user, url: str, muted=()) -> NotificationSettings:
    preferences, _ = NotificationSettings.objects.update_or_create(
        user=user, defaults={"chat_webhook_url": url, "muted": list(muted)}
    )
    return preferences
