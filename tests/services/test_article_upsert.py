import pytest

from articles.models import Article, ArticleRevision, ChecklistStatus
from articles.services import ArticleRejected, UpsertOutcome, article_upsert
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
