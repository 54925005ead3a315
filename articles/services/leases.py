"""Who is extracting an article right now, known to PostgreSQL rather than guessed from time.

A worker holds a session-level advisory lock on the article while it extracts. When the
worker dies, its database connection closes and PostgreSQL releases the lock at once, so
recovery can tell a running extraction from an orphaned one without waiting for a timeout.
Other databases (SQLite, the quick start's in-process tasks) have no such locks: every
lease is granted and recovery falls back to the age of the checklist status.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import DatabaseError, connection

# The first key of every extraction lock, so that they never collide with other advisory locks.
EXTRACTION_LOCK_SPACE = 0x46430001


def leases_supported() -> bool:
    return connection.vendor == "postgresql"


@contextlib.contextmanager
def extraction_lease(article_id: int) -> Iterator[bool]:
    """Hold the article's extraction lease for the block; yields False if another worker holds it."""
    if not leases_supported():
        yield True
        return
    key = (_lock_key(article_id),)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", key)
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                # A broken connection has released the lock already.
                cursor.execute("SELECT pg_advisory_unlock(%s)", key)


def orphaned_among(article_ids: list[int]) -> list[int]:
    """The articles among ``article_ids`` whose lease nobody holds (call inside a transaction).

    Each lease found free stays taken until the transaction ends, so no worker can start on
    those articles while the caller puts them back in the queue.
    """
    if not article_ids:
        return []
    orphaned = []
    with connection.cursor() as cursor:
        for article_id in article_ids:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", (_lock_key(article_id),))
            if cursor.fetchone()[0]:
                orphaned.append(article_id)
    return orphaned


def _lock_key(article_id: int) -> int:
    # One 64-bit key: the space in the high half, the article in the low half.
    return EXTRACTION_LOCK_SPACE * 2**32 + article_id % 2**32
