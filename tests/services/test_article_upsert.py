import threading

import pytest
from django.db import connection, transaction

from articles.models import Article, ArticleRevision, ChecklistStatus, content_hash
from articles.services import ArticleInput, ArticleRejected, UpsertOutcome, article_upsert, article_upsert_many
from articles.services.imports import import_path

BODY = "The council approved a $4.5-million budget on Monday, Mayor Ann Lee said."

pytestmark = pytest.mark.django_db


def test_a_new_article_is_created_with_its_first_revision_and_its_extraction_is_enqueued_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        result = article_upsert(source="cms", external_id="42", body=BODY, title="Budget")

    assert result.outcome == UpsertOutcome.CREATED
    article = Article.objects.get(source="cms", external_id="42")
    assert article.title == "Budget"
    assert article.checklist_status == ChecklistStatus.PENDING
    assert list(article.revisions.values_list("number", "body")) == [(1, BODY)]
    assert len(callbacks) == 1


def test_posting_the_same_article_again_changes_nothing_and_enqueues_nothing(django_capture_on_commit_callbacks):
    article_upsert(source="cms", external_id="42", body=BODY, title="Budget")
    before = Article.objects.get().updated_at

    with django_capture_on_commit_callbacks() as callbacks:
        result = article_upsert(source="cms", external_id="42", body=BODY, title="Budget")

    assert result.outcome == UpsertOutcome.UNCHANGED
    assert Article.objects.get().updated_at == before
    assert ArticleRevision.objects.count() == 1
    assert callbacks == []


def test_a_changed_body_becomes_a_new_revision_and_is_extracted_again(django_capture_on_commit_callbacks):
    article_upsert(source="cms", external_id="42", body=BODY)

    with django_capture_on_commit_callbacks() as callbacks:
        result = article_upsert(source="cms", external_id="42", body=BODY + " It passed 7-2.")

    assert result.outcome == UpsertOutcome.UPDATED
    assert result.body_changed
    article = Article.objects.get()
    assert article.revision == 2
    assert article.body.endswith("It passed 7-2.")
    assert list(article.revisions.values_list("number", flat=True)) == [1, 2]
    assert len(callbacks) == 1


def test_a_metadata_change_updates_the_article_without_extracting_again(django_capture_on_commit_callbacks):
    article_upsert(source="cms", external_id="42", body=BODY, title="Budget")

    with django_capture_on_commit_callbacks() as callbacks:
        result = article_upsert(source="cms", external_id="42", body=BODY, title="Council budget passes")

    assert result.outcome == UpsertOutcome.UPDATED
    assert not result.body_changed
    assert Article.objects.get().title == "Council budget passes"
    assert callbacks == []


def test_the_same_external_id_in_two_sources_is_two_articles():
    article_upsert(source="cms", external_id="42", body=BODY)
    article_upsert(source="wire", external_id="42", body=BODY)

    assert Article.objects.count() == 2


@pytest.mark.parametrize("body", ["", "   \n\t "])
def test_an_empty_body_is_rejected_and_nothing_is_written(body):
    with pytest.raises(ArticleRejected, match="empty"):
        article_upsert(source="cms", external_id="42", body=body)

    assert not Article.objects.exists()


def test_a_body_over_the_size_limit_is_rejected(settings):
    settings.ARTICLE_MAX_BYTES = 100

    with pytest.raises(ArticleRejected, match="limit is 100 bytes"):
        article_upsert(source="cms", external_id="42", body="x" * 101)

    assert not Article.objects.exists()


def test_imported_bytes_in_a_legacy_encoding_are_decoded(tmp_path):
    raw = (
        "The café’s owner, José Núñez, said the price of a cup rose 5% this year. "
        "“We had no choice,” he said, adding that rent had doubled since the café opened. "
        "Customers at the café on Rue de la Paix said they would keep coming – for now."
    ).encode("cp1252")
    (tmp_path / "cafe.txt").write_bytes(raw)

    import_path(tmp_path / "cafe.txt")

    assert "José Núñez" in Article.objects.get().body


def test_imported_binary_bytes_are_rejected_with_a_reason(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    [failure] = import_path(tmp_path / "image.txt").failures

    assert "binary" in failure.reason
    assert not Article.objects.exists()


# --- many articles at once (an import of a folder or a feed) -----------------------------


def test_articles_upserted_together_each_get_the_outcome_they_would_get_alone(django_capture_on_commit_callbacks):
    article_upsert(source="cms", external_id="stored", body=BODY, title="Budget")
    inputs = [
        ArticleInput("cms", "new", BODY + " It passed 7-2.", title="Vote"),
        ArticleInput("cms", "stored", BODY, title="Budget"),
        ArticleInput("cms", "blank", "   "),
        ArticleInput("cms", "twice", BODY),
        ArticleInput("cms", "twice", BODY + " Corrected."),
    ]

    with django_capture_on_commit_callbacks(execute=False):
        results = article_upsert_many(inputs)

    created, unchanged, rejected, first, second = results
    assert (created.outcome, unchanged.outcome) == (UpsertOutcome.CREATED, UpsertOutcome.UNCHANGED)
    assert isinstance(rejected, ArticleRejected) and str(rejected) == "the article body is empty"
    assert (first.outcome, second.outcome) == (UpsertOutcome.CREATED, UpsertOutcome.UPDATED)
    new = Article.objects.get(external_id="new")
    assert (new.title, new.revision, new.checklist_status) == ("Vote", 1, ChecklistStatus.PENDING)
    assert list(new.revisions.values_list("number", "body")) == [(1, BODY + " It passed 7-2.")]
    assert list(new.history.values_list("history_type", flat=True)) == ["+"]
    twice = Article.objects.get(external_id="twice")
    assert twice.revision == 2 and twice.body.endswith("Corrected.")
    assert not Article.objects.filter(external_id="blank").exists()


def test_a_batch_with_nothing_to_store_reads_and_locks_nothing(django_assert_num_queries):
    article_upsert(source="cms", external_id="stored", body=BODY)

    with django_assert_num_queries(0):
        assert article_upsert_many([]) == []
        [rejected] = article_upsert_many([ArticleInput("cms", "blank", " ")])

    assert isinstance(rejected, ArticleRejected)


def test_a_batch_of_new_articles_takes_the_same_few_queries_however_many_there_are(django_assert_max_num_queries):
    inputs = [ArticleInput("wire", f"story-{n}", f"{BODY} Item {n}.") for n in range(60)]

    with django_assert_max_num_queries(6):
        results = article_upsert_many(inputs)

    assert {result.outcome for result in results} == {UpsertOutcome.CREATED}
    assert Article.objects.filter(source="wire").count() == ArticleRevision.objects.count() == 60


def test_every_new_article_of_a_batch_has_its_extraction_sent_once_the_batch_commits(
    django_capture_on_commit_callbacks, unreachable_broker
):
    inputs = [ArticleInput("wire", f"story-{n}", f"{BODY} Item {n}.") for n in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        article_upsert_many(inputs)
        assert Article.objects.waiting_for_broker().count() == 3

    # With the broker away no message went out: all three stay marked as never sent, for beat.
    assert Article.objects.waiting_for_broker().count() == 3


@pytest.mark.django_db(transaction=True)
def test_an_article_another_writer_creates_during_the_batch_sends_the_batch_one_by_one():
    """The other writer's insert holds the key until it commits: the batch's insert waits,
    then conflicts, and each article is upserted on its own against what is now stored."""
    inserted, commit = threading.Event(), threading.Event()

    def other_writer():
        try:
            with transaction.atomic():
                Article.objects.create(source="cms", external_id="contested", body=BODY, content_hash=content_hash(BODY))
                inserted.set()
                commit.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=other_writer)
    writer.start()
    assert inserted.wait(10)
    threading.Timer(1.0, commit.set).start()

    contested, fresh = article_upsert_many(
        [ArticleInput("cms", "contested", BODY + " Updated."), ArticleInput("cms", "fresh", BODY)]
    )
    writer.join(10)

    assert (contested.outcome, fresh.outcome) == (UpsertOutcome.UPDATED, UpsertOutcome.CREATED)
    assert Article.objects.get(external_id="contested").revision == 2
    assert Article.objects.filter(external_id="fresh").count() == 1
    assert ArticleRevision.objects.filter(article__external_id="fresh").count() == 1
