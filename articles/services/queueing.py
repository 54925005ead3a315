"""Sending Celery tasks from services: after the transaction commits, never failing the caller."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

# What sending a task raises when Redis is away: kombu's error, or the client's own.
BrokerUnavailable = (OperationalError, RedisError, OSError)

logger = logging.getLogger(__name__)


def enqueue_after_commit(
    task_name: str,
    *args,
    what: str,
    on_sent: Callable[[], None] | None = None,
    recovered: bool = False,
    once_per_transaction: bool = False,
    priority: int | None = None,
) -> None:
    """Send ``articles.tasks.<task_name>(*args)`` once the current transaction commits.

    With the broker down the work is not lost: its rows are saved, and beat (or the next
    attempt) sends it again; the outage is logged as "could not enqueue <what>".
    ``on_sent`` runs only when the message reached the broker. Work ``recovered`` (sent
    again) goes ahead of any backlog: it was first in line. ``once_per_transaction``: the
    same task with the same arguments, already waiting for this transaction to commit, is
    not sent twice (a task that does everything waiting, like sending a person's messages).
    ``priority`` (Redis serves lower numbers first) lets work that can wait go behind the rest.
    """
    priority = settings.RECOVERY_PRIORITY if recovered else priority
    if once_per_transaction and _waiting_for_commit(task_name, args):
        return
    transaction.on_commit(TaskAfterCommit(task_name, args, what, on_sent, priority))


def enqueue_each_after_commit(
    task_name: str, args_list: Sequence[tuple], *, what: str, on_sent: Callable[[list[tuple]], None] | None = None
) -> None:
    """Send ``articles.tasks.<task_name>(*args)`` for each of ``args_list`` once the current
    transaction commits, over one connection to the broker (an import of many articles).

    ``on_sent`` receives the arguments whose messages reached the broker; with the broker
    down the rest are not lost (see ``enqueue_after_commit``) and one warning says so.
    """
    args_list = list(args_list)
    transaction.on_commit(partial(_send_each, task_name, args_list, what, on_sent))


def _send_each(
    task_name: str, args_list: list[tuple], what: str, on_sent: Callable[[list[tuple]], None] | None
) -> None:
    from .. import tasks

    task = getattr(tasks, task_name)
    sent: list[tuple] = []
    try:
        with task.app.producer_or_acquire() as producer:
            for args in args_list:
                task.apply_async(args, producer=producer)
                sent.append(args)
    except BrokerUnavailable as error:
        logger.warning("could not enqueue %s of %s: %s", len(args_list) - len(sent), what, error)
    if sent and on_sent is not None:
        on_sent(sent)


@dataclass
class TaskAfterCommit:
    """A task to send when the transaction commits (the callback given to ``on_commit``)."""

    task_name: str
    args: tuple
    what: str
    on_sent: Callable[[], None] | None
    priority: int | None
    ran: bool = False

    def __call__(self) -> None:
        self.ran = True
        _send(self.task_name, self.args, self.what, self.on_sent, self.priority)


def _waiting_for_commit(task_name: str, args: tuple) -> bool:
    """Whether the current transaction will already send this task with these arguments.

    Django keeps the callbacks of the open transaction (and drops those of a savepoint rolled
    back) in ``run_on_commit``: a callback listed there, not run yet, is one that will run.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    return any(
        isinstance(callback, TaskAfterCommit) and not callback.ran
        and (callback.task_name, callback.args) == (task_name, args)
        for _, callback, *_ in connection.run_on_commit
    )


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
