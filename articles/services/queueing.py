"""Sending Celery tasks from services: after the transaction commits, never failing the caller."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

# What sending a task raises when Redis is away: kombu's error, or the client's own.
BrokerUnavailable = (OperationalError, RedisError, OSError)

logger = logging.getLogger(__name__)


def enqueue_after_commit(
    task_name: str, *args, what: str, on_sent: Callable[[], None] | None = None, recovered: bool = False
) -> None:
    """Send ``articles.tasks.<task_name>(*args)`` once the current transaction commits.

    With the broker down the work is not lost: its rows are saved, and beat (or the next
    attempt) sends it again; the outage is logged as "could not enqueue <what>".
    ``on_sent`` runs only when the message reached the broker. Work ``recovered`` (sent
    again) goes ahead of any backlog: it was first in line.
    """
    priority = settings.RECOVERY_PRIORITY if recovered else None
    transaction.on_commit(partial(_send, task_name, args, what, on_sent, priority))


def _send(task_name: str, args: tuple, what: str, on_sent: Callable[[], None] | None, priority: int | None) -> None:
    from .. import tasks

    try:
        options = {} if priority is None else {"priority": priority}
        getattr(tasks, task_name).apply_async(args, **options)
    except BrokerUnavailable as error:
        logger.warning("could not enqueue %s: %s", what, error)
        return
    if on_sent is not None:
        on_sent()
