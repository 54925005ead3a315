"""With its cache (Redis) unreachable the API still answers: throttling steps aside, logged."""

import logging

import pytest

UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Port 1 on the loopback: nothing listens there, so every connection is refused.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def cache_unreachable(settings):
    settings.CACHES = UNREACHABLE_CACHE  # Django reopens its caches when the setting changes


def test_reads_work_and_the_outage_is_logged_when_the_throttle_cache_is_down(api, checklist, cache_unreachable, caplog):
    article, money, date = checklist

    with caplog.at_level(logging.WARNING, logger="articles.api.throttling"):
        listing = api("cms").get("/api/v1/articles/")
        items = api("reporter").get(f"/api/v1/articles/{article.pk}/items/")

    assert (listing.status_code, items.status_code) == (200, 200)
    assert "throttling skipped, the cache is unavailable" in caplog.text

