"""Feeds in the admin: editors and the CMS role manage them; "Poll now" imports at once."""

import pytest
from django.test import Client

from articles.models import Article, Feed
from factcheck.celery import app as celery_app
from tests.imports.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def staff_client(user) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("role", "allowed"), [("editor", True), ("cms", True), ("checker", False), ("reporter", False)])
def test_who_may_manage_feeds(cast, role, allowed):
    user = cast.by_role(role)

    assert user.has_perms(["articles.add_feed", "articles.change_feed", "articles.delete_feed"]) is allowed


def test_a_feed_on_a_private_address_cannot_be_added(cast, settings):
    settings.ALLOW_PRIVATE_URLS = False
    client = staff_client(cast.editor)

    response = client.post("/admin/articles/feed/add/", {"name": "Intranet", "url": "http://127.0.0.1/feed", "is_active": "on"})

    assert response.status_code == 200
    assert "This address cannot be polled" in response.content.decode()
    assert not Feed.objects.exists()


@pytest.fixture
def tasks_in_process():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_poll_now_imports_the_chosen_feeds_even_inactive_ones(cast, site, django_capture_on_commit_callbacks,
                                                               tasks_in_process):
    url = site.serve("/city.rss", (FIXTURES / "feed.rss").read_bytes())
    feed = Feed.objects.create(name="Courier city", url=url, is_active=False)
    client = staff_client(cast.editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/articles/feed/", {"action": "poll_now", "_selected_action": [feed.pk]}, follow=True)

    assert "Polling 1 feed(s)" in response.content.decode()
    assert Article.objects.filter(source="Courier city").count() == 2
