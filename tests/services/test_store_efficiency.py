"""Storing a checklist costs a few queries however many items it holds, and a worker keeps
its database connection from one task to the next."""


import pytest
from django.db import connection

from articles.extraction import Claim
from articles.models import ChecklistItem, ExtractionRun, ItemAnchor, ItemState, RunStatus
from articles.services import article_upsert, checklist_store
from tests.faults.conftest import CeleryProcesses, private_redis  # noqa: F401  (private_redis: a fixture)

# The most queries one store may take: read the items (and, after a new revision, lock the
# ones to move and read the old body), delete, insert, update, and insert the history.
STORE_MAX_QUERIES = 6


def sizes() -> tuple[int, int]:
    """A small and a larger checklist. SQLite allows 999 parameters per statement, so Django
    splits an insert of more than about forty items there; PostgreSQL takes any number."""
    return (10, 60) if connection.vendor == "postgresql" else (10, 35)


def body_with(count: int) -> str:
    return "\n".join(f"In year {n}, the council spent ${n + 1} million on roads, officials said." for n in range(count))


def claims_of(body: str) -> list[Claim]:
    claims = []
    for line in body.split("\n"):
        if "$" not in line:
            continue
        words = line[line.index("$") : line.index(" million") + len(" million")]
        start = body.index(line) + line.index(words)
        claims.append(
            Claim(
                kind="money",
                start=start,
                end=start + len(words),
                text=words,
                sentence=line,
                value={"amount": int(words[1:].split()[0]) * 1_000_000, "currency": "USD"},
                guidance="Check the figure against the budget.",
                priority=70,
            )
        )
    return claims


def new_article(count: int, external_id: str):
    return article_upsert(source="efficiency", external_id=external_id, body=body_with(count)).article


def count_queries(django_assert_max_num_queries, article, claims) -> int:
    with django_assert_max_num_queries(STORE_MAX_QUERIES) as captured:
        checklist_store(article=article, claims=claims)
    return len(captured)


@pytest.mark.django_db
def test_storing_a_new_checklist_takes_the_same_few_queries_for_ten_items_or_sixty(django_assert_max_num_queries):
    counts = {}
    for count in sizes():
        article = new_article(count, f"new-{count}")

        counts[count] = count_queries(django_assert_max_num_queries, article, claims_of(article.body))

        assert article.items.count() == count
        assert ChecklistItem.history.filter(article_id=article.pk, history_type="+").count() == count
    assert len(set(counts.values())) == 1, counts


@pytest.mark.django_db
def test_storing_the_same_checklist_again_takes_one_query_and_changes_nothing(django_assert_max_num_queries):
    counts = {}
    for count in sizes():
        article = new_article(count, f"again-{count}")
        claims = claims_of(article.body)
        checklist_store(article=article, claims=claims)
        before = list(article.items.values_list("pk", "start", "end", "version", "updated_at"))

        counts[count] = count_queries(django_assert_max_num_queries, article, claims)

        assert list(article.items.values_list("pk", "start", "end", "version", "updated_at")) == before
    assert counts == dict.fromkeys(sizes(), 1)


@pytest.mark.django_db
def test_moving_every_item_into_a_new_revision_takes_the_same_few_queries_for_ten_items_or_sixty(
    django_assert_max_num_queries,
):
    counts = {}
    for count in sizes():
        article = new_article(count, f"moved-{count}")
        checklist_store(article=article, claims=claims_of(article.body))
        first = article.items.order_by("start").first()
        ChecklistItem.objects.filter(pk=first.pk).update(state=ItemState.VERIFIED)
        inserted = "An update at the top of the story.\n"
        article = article_upsert(source="efficiency", external_id=f"moved-{count}", body=inserted + article.body).article

        counts[count] = count_queries(django_assert_max_num_queries, article, claims_of(article.body))

        assert article.items.count() == count
        for item in article.items.all():
            assert (item.anchor, item.anchored_revision, item.version) == (ItemAnchor.FOUND, 2, 2)
            assert article.body[item.start : item.end] == item.text
        moved = ChecklistItem.objects.get(pk=first.pk)
        assert (moved.start, moved.state) == (first.start + len(inserted), ItemState.VERIFIED)
        reasons = ChecklistItem.history.filter(article_id=article.pk, history_type="~")
        assert set(reasons.values_list("history_change_reason", flat=True)) == {"moved into revision 2"}
        assert reasons.count() == count
    assert len(set(counts.values())) == 1, counts


# --- the worker's database connection ---------------------------------------------------


@pytest.fixture
def worker_with_private_redis(transactional_db, request, tmp_path):
    """A real prefork worker process (one child) on its own Redis, sharing the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("counting database sessions needs PostgreSQL")
    redis_server = request.getfixturevalue("private_redis")  # asked for here: elsewhere, no Redis is started
    processes = CeleryProcesses(redis_server.url, tmp_path)
    yield processes
    processes.kill_all()


def worker_sessions() -> list[tuple[int, object]]:
    """(pid, start time) of every other session on the test database: the worker's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return cursor.fetchall()


def extracted(article_ids) -> bool:
    return ExtractionRun.objects.filter(article_id__in=article_ids, status=RunStatus.SUCCEEDED).count() >= len(
        article_ids
    )


@pytest.mark.pipeline
def test_a_worker_process_keeps_one_database_session_across_tasks_and_reconnects_when_it_is_dropped(
    worker_with_private_redis,
):
    from tests.faults.conftest import wait_for

    bodies = [f"Report {n}: the council spent ${n + 2} million on roads in 2019, officials said." for n in range(6)]
    articles = [article_upsert(source="sessions", external_id=str(n), body=body).article for n, body in enumerate(bodies)]
    worker_with_private_redis.start_worker(concurrency=1)

    wait_for(lambda: extracted([a.pk for a in articles]), "extraction of six articles", timeout=120)

    sessions = worker_sessions()
    first_run = ExtractionRun.objects.filter(article__in=articles).order_by("started_at").first()
    # Every task after the first ran on the session that is still open: one session served them all.
    assert len(sessions) == 1, sessions
    pid, started = sessions[0]
    assert started < first_run.started_at

    # The server drops the worker's connection while it is idle: the next task opens a new one
    # and succeeds at its first attempt.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    later = article_upsert(source="sessions", external_id="later", body="Later: the mayor said $9 million.").article
    wait_for(lambda: extracted([later.pk]), "extraction after the dropped connection", timeout=60)

    assert list(later.extraction_runs.values_list("status", flat=True)) == [RunStatus.SUCCEEDED]
    assert [session_pid for session_pid, _ in worker_sessions()] != [pid]
    assert len(worker_sessions()) == 1
