"""Faults an operator meets: Redis stopped and started again, a worker killed mid-batch.

Nothing is lost, nothing is done twice, and everything saved is extracted within a minute
of the broken part coming back, without anyone doing anything.
"""

import re
import time

import pytest
from django.core.management import call_command
from django.db.models import Count
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article, ChecklistItem, ChecklistStatus, ExtractionRun, RunStatus
from articles.services import article_upsert
from tests.conftest import SAMPLES
from tests.faults.conftest import wait_for

pytestmark = pytest.mark.pipeline

RECOVERY_BOUND_SECONDS = 60
OUTAGE_SECONDS = 20


def all_extracted() -> bool:
    return not Article.objects.exclude(checklist_status=ChecklistStatus.READY).exists()


def duplicate_items() -> int:
    """Items sharing article, kind and span: there must never be any."""
    return (
        ChecklistItem.objects.values("article", "kind", "start", "end")
        .annotate(copies=Count("pk"))
        .filter(copies__gt=1)
        .count()
    )


@pytest.fixture
def cms(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cast.cms).key}")
    return client


def upsert(cms, number: int, body: str):
    return cms.post(
        "/api/v1/articles/",
        {"source": "cms", "external_id": f"story-{number}", "body": body, "title": None, "url": None},
        format="json",
    )


def test_articles_sent_while_redis_is_down_are_saved_and_extracted_once_it_is_back(
    private_redis, celery_processes, cms
):
    body = (SAMPLES / "000_7689f722447e022a.txt").read_text()
    celery_processes.start_worker()
    celery_processes.start_beat()
    before = upsert(cms, 0, body)
    wait_for(all_extracted, "extraction before the outage", timeout=90)
    # ...and linked to the desk (its own task, right after): the outage starts on an idle worker.
    wait_for(lambda: not Article.objects.filter(desk_link_pending=True).exists(), "linking before the outage", timeout=30)

    private_redis.stop()
    outage_started = time.monotonic()
    answers = [upsert(cms, number, f"{body}\n\nUpdate {number}: 12 more people came.") for number in range(1, 11)]
    read = cms.get("/api/v1/articles/")

    assert before.status_code == 201
    assert [answer.status_code for answer in answers] == [202] * 10
    assert {answer.json()["checklist_status"] for answer in answers} == {"pending"}
    assert read.status_code == 200
    assert Article.objects.filter(checklist_status=ChecklistStatus.PENDING).count() == 10

    call_command("import_articles", str(SAMPLES / "001_cb18ab48477794f1.txt"), verbosity=0)
    # Long enough for the worker to back off between reconnection attempts.
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - outage_started)))
    private_redis.start()
    waited = wait_for(all_extracted, "extraction after Redis came back", timeout=RECOVERY_BOUND_SECONDS)

    assert Article.objects.count() == 12
    assert duplicate_items() == 0
    print(f"extracted everything {waited:.1f} s after Redis came back")


def test_a_batch_whose_worker_is_killed_midway_is_finished_by_the_next_worker(private_redis, celery_processes):
    # Long articles, so that the kill lands while extractions are running; every sentence
    # numbered with its article, so that none is read from a worker's memory of the others.
    body = "\n\n".join(path.read_text() for path in sorted(SAMPLES.glob("*.txt")))
    batch = 12
    for number in range(batch):
        numbered = re.sub(r"([.!?]) ", rf"\1 [{number}] ", body)
        article_upsert(source="cms", external_id=f"long-{number}", body=f"Part {number}.\n\n{numbered}")
    first = celery_processes.start_worker()
    celery_processes.start_beat()
    wait_for(lambda: Article.objects.filter(checklist_status=ChecklistStatus.READY).count() >= 2, "a start", 120)

    celery_processes.kill(first)
    dropped = list(Article.objects.filter(checklist_status=ChecklistStatus.RUNNING).values_list("pk", flat=True))
    celery_processes.start_worker()
    waited = wait_for(all_extracted, "the rest of the batch", timeout=RECOVERY_BOUND_SECONDS + 20)

    assert dropped, "the kill should land while an extraction runs"
    assert Article.objects.filter(checklist_status=ChecklistStatus.READY).count() == batch
    assert duplicate_items() == 0
    finished = dict(
        ExtractionRun.objects.filter(status=RunStatus.SUCCEEDED).values_list("article_id", "finished_at")
    )
    backlog_done = max(at for article_id, at in finished.items() if article_id not in dropped)
    assert all(finished[article_id] < backlog_done for article_id in dropped), (
        "the articles the dead worker dropped go back ahead of the backlog"
    )
    print(f"finished the batch {waited:.1f} s after the new worker started ({len(dropped)} were running)")
