"""Each article keeps its progress — items by state and tier, and readiness — in step with
every change, so lists read columns instead of counting items."""

import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import PROGRESS_FIELDS, Article, ChecklistItem, ChecklistStatus, ItemAnchor
from articles.selectors import article_readiness
from articles.services import article_upsert, checklist_extract
from articles.services.items import item_set_state, item_set_tier, item_update
from articles.services.progress import article_progress_refresh
from tests.factories import ArticleFactory, ChecklistItemFactory

pytestmark = pytest.mark.django_db


def kept(article: Article) -> dict:
    return dict(Article.objects.filter(pk=article.pk).values(*PROGRESS_FIELDS).get())


def recounted(article: Article) -> dict:
    """The progress worked out from the items themselves, the slow way."""
    article.refresh_from_db()
    readiness = article_readiness(article)
    return {
        "item_total": readiness.total,
        "item_resolved": readiness.resolved,
        "required_total": readiness.required_total,
        "required_resolved": readiness.required_resolved,
        "recommended_open": readiness.recommended_open,
        **{f"items_{state}": count for state, count in readiness.counts.items()},
        "is_ready": readiness.ready,
    }


def extracted_article() -> Article:
    article = ArticleFactory()
    checklist_extract(article_id=article.pk)
    return article


def test_an_extracted_article_counts_its_items_and_is_not_ready_while_required_ones_are_open():
    article = extracted_article()

    assert kept(article) == recounted(article)
    assert kept(article)["item_total"] == article.items.count() > 0
    assert kept(article)["is_ready"] is False


def test_resolving_every_required_item_makes_the_article_ready_and_an_incorrect_one_unready(cast):
    article = extracted_article()
    required = article.items.filter(tier="required")
    for item in required:
        item_set_state(item_id=item.pk, state="verified", by=cast.editor, note="Checked.")

    assert kept(article)["is_ready"] is True
    recommended = article.items.filter(tier="recommended").first() or required.first()

    item_set_state(item_id=recommended.pk, state="incorrect", by=cast.editor, note="Wrong figure.")

    assert kept(article)["is_ready"] is False
    assert kept(article) == recounted(article)


def test_a_tier_move_and_a_patch_recount(cast):
    article = extracted_article()
    item = article.items.filter(tier="required").first()

    item_set_tier(item_id=item.pk, tier="recommended", note="Common knowledge.", by=cast.editor)
    after_move = kept(article)
    item_update(item_id=item.pk, by=cast.editor, state="verified", note="Fine.")

    assert after_move["recommended_open"] == recounted(article)["recommended_open"] + 1
    assert kept(article) == recounted(article)


def test_assigning_an_item_does_not_recount(cast):
    article = extracted_article()
    item = article.items.first()
    with CaptureQueriesContext(connection) as captured:
        item_update(item_id=item.pk, by=cast.editor, assignee=cast.checker)

    assert not any('"articles_article" SET "item_total"' in query["sql"] for query in captured.captured_queries)


def test_a_new_body_takes_readiness_away_until_it_is_extracted_again():
    article = ArticleFactory(body="The council met on Monday.\n", checklist_status=ChecklistStatus.READY)
    article_progress_refresh([article.pk])
    assert kept(article)["is_ready"] is True

    article_upsert(source=article.source, external_id=article.external_id, body="The council met on Tuesday.\n")

    assert kept(article)["is_ready"] is False


def test_items_whose_words_left_the_text_are_not_counted():
    article = ArticleFactory(checklist_status=ChecklistStatus.READY)
    ChecklistItemFactory(article=article, state="open")
    gone = ChecklistItemFactory(article=article, state="open", kind="date", start=0, end=3)

    ChecklistItem.objects.filter(pk=gone.pk).update(anchor=ItemAnchor.REMOVED)
    article_progress_refresh([article.pk])

    assert kept(article)["item_total"] == 1
    assert kept(article) == recounted(article)


def test_deleting_an_item_recounts_its_article():
    article = ArticleFactory(checklist_status=ChecklistStatus.READY)
    blocker = ChecklistItemFactory(article=article, state="open")
    assert kept(article)["is_ready"] is False

    blocker.delete()

    assert kept(article)["is_ready"] is True


def test_any_sequence_of_changes_keeps_the_counts_equal_to_a_recount(cast):
    article = extracted_article()
    items = list(article.items.values_list("pk", flat=True))
    rng = random.Random(7)
    for _ in range(40):
        item_id = rng.choice(items)
        if rng.random() < 0.2:
            item_set_tier(item_id=item_id, tier=rng.choice(["required", "recommended"]), note="Why.", by=cast.editor)
        else:
            state = rng.choice(["in_progress", "verified", "incorrect", "unverifiable", "dismissed", "open"])
            try:
                item_set_state(item_id=item_id, state=state, by=cast.editor, note="Because.")
            except Exception:  # a transition the workflow refuses changes nothing
                pass
        assert kept(article) == recounted(article)


def test_the_repair_command_recounts_counts_that_went_wrong():
    article = extracted_article()
    right = kept(article)
    Article.objects.filter(pk=article.pk).update(item_total=999, items_open=0, is_ready=True)
    out = io.StringIO()

    call_command("repair_progress", stdout=out)

    assert kept(article) == right
    assert "Recounted the progress of 1 article(s)." in out.getvalue()
