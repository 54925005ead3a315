"""The workers' shared memory of sentence readings, in Redis.

Each process remembers the entities, parses and check-worthiness scores of the sentences it
read recently (``articles/memo.py``). With this store the worker processes also share them:
a sentence one process read, the others find in Redis instead of reading it again. It pays
when sentences come back in another process: a wire story imported under several sources,
the untouched paragraphs of an edited article, a story's quotes across its articles.

Values expire after ``FACTCHECK_SHARED_READINGS_TTL`` seconds (0 turns sharing off). Redis
being away never stops an extraction: the store answers nothing, logs once, and is asked
again after a pause.
"""

from __future__ import annotations

import logging
import time

import redis

logger = logging.getLogger(__name__)

KEY_PREFIX = "factcheck:readings:"
# After a failure the store is left alone this long, so a Redis outage costs an extraction
# one short timeout, not one per sentence batch.
RETRY_AFTER_SECONDS = 30.0
SOCKET_TIMEOUT_SECONDS = 0.5


class RedisReadings:
    """A ``memo.SharedStore`` in Redis: MGET to read, one pipelined SET with expiry to write."""

    def __init__(self, url: str, *, ttl_seconds: int) -> None:
        self.ttl_seconds = ttl_seconds
        self._client = redis.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_SECONDS, socket_connect_timeout=SOCKET_TIMEOUT_SECONDS
        )
        self._resting_until = 0.0

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        if not keys or self._resting():
            return {}
        try:
            values = self._client.mget([KEY_PREFIX + key for key in keys])
        except redis.RedisError as error:
            self._rest(error)
            return {}
        return {key: value for key, value in zip(keys, values) if value is not None}

    def set_many(self, values: dict[str, bytes]) -> None:
        if not values or self._resting():
            return
        try:
            with self._client.pipeline(transaction=False) as pipe:
                for key, value in values.items():
                    pipe.set(KEY_PREFIX + key, value, ex=self.ttl_seconds)
                pipe.execute()
        except redis.RedisError as error:
            self._rest(error)

    def _resting(self) -> bool:
        return time.monotonic() < self._resting_until

    def _rest(self, error: Exception) -> None:
        logger.warning(
            "shared readings unavailable (%s); extracting without them for %.0f s", error, RETRY_AFTER_SECONDS
        )
        self._resting_until = time.monotonic() + RETRY_AFTER_SECONDS


def share_readings(url: str | None, ttl_seconds: int) -> RedisReadings | None:
    """Share this process's sentence readings through Redis at ``url`` (nothing without a URL
    or with a TTL of 0); the store, or None."""
    from .memo import share_with

    if not url or ttl_seconds <= 0:
        share_with(None)
        return None
    store = RedisReadings(url, ttl_seconds=ttl_seconds)
    share_with(store)
    return store
