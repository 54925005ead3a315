"""Feeds polled by beat: a real feed on a local web server, polled by the real poll_feeds task."""

import pytest

from articles.models import Article, Feed
from articles.tasks import poll_feeds

pytestmark = pytest.mark.django_db


def rss(*items: str) -> str:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>City</title>{"".join(items)}</channel></rss>'


def item(guid: str, title: str, html: str = "", link: str = "", updated: str = "Tue, 05 Mar 2024 10:00:00 +0000") -> str:
    description = f"<description><![CDATA[{html}]]></description>" if html else ""
    return f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link><pubDate>{updated}</pubDate>{description}</item>"


BUDGET = item("c-1", "Budget passes", "<p>The council approved a $4.5-million budget on Monday, the mayor said.</p>",
              "https://courier.example.org/budget")
LIBRARY = item("c-2", "Library opens", "<p>The library will open on Sundays after 2,400 people signed a petition.</p>",
               "https://courier.example.org/library")


@pytest.fixture
def feed(site):
    url = site.serve("/city.rss", rss(BUDGET, LIBRARY), content_type="application/rss+xml", etag='"v1"')
    return Feed.objects.create(name="Courier city", url=url)


def test_polling_imports_every_entry_under_the_feeds_name(feed):
    counts = poll_feeds()

    assert counts == {"new": 2, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    budget = Article.objects.get(source="Courier city", external_id="c-1")
    assert budget.title == "Budget passes"
    assert budget.url == "https://courier.example.org/budget"
    assert budget.body == "The council approved a $4.5-million budget on Monday, the mayor said."
    feed.refresh_from_db()
    assert feed.etag == '"v1"' and feed.last_error == "" and feed.last_polled_at is not None
    assert feed.last_result == "2 new, 0 updated, 0 unchanged, 0 failed"


def test_a_second_poll_asks_conditionally_and_imports_nothing(feed, site):
    poll_feeds()
    before = list(Article.objects.order_by("pk").values_list("pk", "updated_at", "revision"))

    counts = poll_feeds()

    assert counts == {"new": 0, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    assert site.requests_for("/city.rss")[-1]["if-none-match"] == '"v1"'
    assert list(Article.objects.order_by("pk").values_list("pk", "updated_at", "revision")) == before
    feed.refresh_from_db()
    assert feed.last_result == "not modified"


def test_a_feed_without_validators_is_read_again_but_unchanged_entries_change_nothing(feed, site):
    site.serve("/city.rss", rss(BUDGET, LIBRARY), content_type="application/rss+xml")  # no ETag
    poll_feeds()
    before = list(Article.objects.order_by("pk").values_list("pk", "updated_at", "revision"))

    assert poll_feeds() == {"new": 0, "updated": 0, "unchanged": 2, "skipped": 0, "failed": 0}
    assert list(Article.objects.order_by("pk").values_list("pk", "updated_at", "revision")) == before


def test_an_edited_entry_updates_its_article_and_a_new_one_is_added(feed, site):
    poll_feeds()
    edited = BUDGET.replace("$4.5-million", "$4.9-million")
    added = item("c-3", "Bridge opens", "<p>The bridge opened two years late, at a cost of $12 million.</p>")
    site.serve("/city.rss", rss(edited, LIBRARY, added), content_type="application/rss+xml", etag='"v2"')

    counts = poll_feeds()

    assert counts == {"new": 1, "updated": 1, "unchanged": 1, "skipped": 0, "failed": 0}
    budget = Article.objects.get(external_id="c-1")
    assert "$4.9-million" in budget.body and budget.revision == 2
    assert Article.objects.filter(source="Courier city").count() == 3


def test_an_entry_with_only_a_link_is_fetched_and_fetched_again_only_when_updated(feed, site, fixture_bytes):
    page = site.serve("/story", fixture_bytes("page.html"))
    site.serve("/city.rss", rss(item("c-9", "Inspectors", link=page)), content_type="application/rss+xml")

    assert poll_feeds()["new"] == 1
    article = Article.objects.get(external_id="c-9")
    assert article.title == "Inspectors" and article.url == page
    assert "the largest intake since 1998" in article.body

    assert poll_feeds()["unchanged"] == 1
    assert len(site.requests_for("/story")) == 1, "an entry not updated since is not fetched again"


def test_a_failing_feed_records_its_error_and_other_feeds_are_still_polled(feed, site):
    broken = Feed.objects.create(name="Broken", url=site.base + "/gone.rss")

    counts = poll_feeds()

    assert counts["new"] == 2 and counts["failed"] == 1
    broken.refresh_from_db()
    assert "answered 404" in broken.last_error


def test_a_failed_entry_keeps_the_feed_unvalidated_so_it_is_tried_again(feed, site):
    site.serve("/city.rss", rss(BUDGET, item("c-5", "Dead link", link=site.base + "/missing")),
               content_type="application/rss+xml", etag='"v3"')

    counts = poll_feeds()

    assert counts == {"new": 1, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 1}
    feed.refresh_from_db()
    assert feed.etag == "", "next poll must not get a 304 and skip the failed entry"
    assert "c-5" in feed.last_error and "404" in feed.last_error


def test_inactive_feeds_are_skipped_unless_asked_for_by_id(feed):
    Feed.objects.filter(pk=feed.pk).update(is_active=False)

    assert poll_feeds() == {"new": 0, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    assert poll_feeds([feed.pk])["new"] == 2


def test_a_feed_on_a_private_address_is_refused_when_not_allowed(feed, settings):
    settings.ALLOW_PRIVATE_URLS = False

    assert poll_feeds()["failed"] == 1
    feed.refresh_from_db()
    assert "private or local address" in feed.last_error
    assert not Article.objects.exists()


def test_beat_polls_feeds_on_the_configured_interval(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["poll-feeds"]

    assert entry["task"] == "articles.tasks.poll_feeds"
    assert entry["schedule"] == float(settings.FEED_POLL_SECONDS) == 300.0
