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


@pytest.mark.parametrize("code", ["40P01", "40001"])  # deadlock detected, serialization failure
def test_a_request_cancelled_by_the_database_for_a_concurrent_one_gets_409_try_again(db, code):
    """The database cancels one of two transactions waiting on each other: the client is told
    to send the request again, not given a server error."""
    from django.db import OperationalError, connection, transaction

    from articles.api.exceptions import api_exception_handler

    if connection.vendor != "postgresql":
        pytest.skip("error codes of PostgreSQL")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DO $$ BEGIN RAISE EXCEPTION 'cancelled' USING ERRCODE = '{code}'; END $$")
    except OperationalError as error:
        cancelled = error

    answer = api_exception_handler(cancelled, {})

    assert answer.status_code == 409
    assert "Try again" in answer.data["detail"]
