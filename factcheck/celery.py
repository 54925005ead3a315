import gc
import logging
import os
import threading
import time

from celery import Celery, states
from celery.signals import task_postrun, worker_init, worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def load_models(**kwargs):
    """Load the language pipeline and the check-worthiness model once, before the pool forks,
    not inside the first task."""
    from articles.extraction import nlp
    from articles.extraction.engine import default_sentence_scorer

    nlp.pipeline()
    default_sentence_scorer()
    # Everything loaded so far lives as long as the worker: keep it out of the garbage
    # collector's sight, so that its full collections (set off by the tens of thousands of
    # objects a long article's extraction makes) no longer walk the models every time, and
    # the pool processes forked next do not copy the pages a collection would touch.
    gc.freeze()


@worker_process_init.connect
def one_arithmetic_thread_per_process(**kwargs):
    """Each pool process does its matrix arithmetic (the check-worthiness encoder) on one
    thread. The pool already runs one process per core; letting each start a BLAS thread per
    core as well oversubscribes the cores, and the threads' spin-waiting then makes extraction
    more than twice as slow."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


@worker_init.connect
def share_sentence_readings(**kwargs):
    """The worker's processes share their sentence readings through Redis (redis-py opens new
    connections in each process after the fork)."""
    from django.conf import settings

    from articles.shared_readings import share_readings

    share_readings(settings.SHARED_READINGS_URL, settings.SHARED_READINGS_TTL)


@worker_init.connect
def keep_database_connections(sender=None, **kwargs):
    """Let each worker process keep its database connection from one task to the next.

    Celery's Django fix-up closes every connection before and after each task, so every
    task paid for a new PostgreSQL session. Instead, before and after a task a connection
    is closed only when it is broken or older than ``CONN_MAX_AGE`` (Django's
    ``close_old_connections``, as around a web request); with ``CONN_HEALTH_CHECKS`` a
    connection the server dropped while the worker was idle is noticed at the task's first
    query and opened again, so the task does not fail. A task that did not succeed closes
    it (see ``close_connections_after_failure``).

    Only a process's main thread keeps its connection (a prefork child, or a solo worker):
    it lives as long as the process. A worker thread (the threads pool, a worker started in
    a thread by the tests) closes its connection after each task as before, since nothing
    would close it when the thread ends.
    """
    from celery.fixups.django import DjangoFixup

    for fixup in app._fixups or ():
        if not isinstance(fixup, DjangoFixup):
            continue
        worker_fixup = fixup.worker_fixup
        close_every_time = worker_fixup.close_database

        def close_database(**kwargs):
            if threading.current_thread() is threading.main_thread():
                from django.db import close_old_connections

                close_old_connections()
            else:
                close_every_time(**kwargs)

        worker_fixup.close_database = close_database


@task_postrun.connect
def close_connections_after_failure(sender=None, state=None, **kwargs):
    """After a task that failed or is retried, start the next one on a new connection: nothing
    the failure left behind in the session (a lock, a transaction) outlives it."""
    if state == states.SUCCESS or getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import connections

    connections.close_all()


_next_upkeep = [0.0]


@task_postrun.connect
def send_database_upkeep_while_extracting(sender=None, state=None, **kwargs):
    """A worker process that extracts sends the database upkeep pass at most once every
    ``UPKEEP_SECONDS``, so the tables stay fast to read even where beat does not run."""
    if state != states.SUCCESS or getattr(sender, "name", "") != "articles.tasks.extract_article_checklist":
        return
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    now = time.monotonic()
    if now < _next_upkeep[0]:
        return
    from django.conf import settings

    from articles.services.queueing import BrokerUnavailable
    from articles.tasks import database_upkeep

    _next_upkeep[0] = now + settings.UPKEEP_SECONDS
    try:
        database_upkeep.apply_async(expires=float(settings.UPKEEP_SECONDS))
    except BrokerUnavailable as error:
        logging.getLogger(__name__).warning("could not enqueue database upkeep: %s", error)


@worker_ready.connect
def recover_extractions_now(sender, **kwargs):
    """A worker that starts (say, in place of one that died) sends extraction recovery at once
    rather than waiting for beat's next pass."""
    from django.conf import settings

    from articles.tasks import recover_extractions

    recover_extractions.apply_async(priority=settings.RECOVERY_PRIORITY)
