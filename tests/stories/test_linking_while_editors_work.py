"""The desk links an article in a task of its own, while editors work on its items and on the
items of the articles it links to: real transactions on two connections, nobody fails."""

import threading

import pytest
from django.db import connection

from articles.models import Article, ChecklistItem, ClaimLink, ItemOrigin, ItemState
from articles.services import article_upsert, checklist_extract
from articles.services.items import item_mark_incorrect, item_reopen, item_start
from articles.services.stories import INCORRECT_ELSEWHERE_PRIORITY, desk_link

ROUNDS = 6


def import_extracted(path, *, link_now: bool) -> Article:
    article = article_upsert(source="desk", external_id=path.stem, body=path.read_text(encoding="utf-8")).article
    checklist_extract(article_id=article.pk, link_now=link_now)
    return article


def unlink(article: Article) -> None:
    """As if the article had just been stored: no links, flags or variant checks yet."""
    ClaimLink.objects.filter(item__article=article).delete()
    ClaimLink.objects.filter(other__article=article).delete()
    ChecklistItem.objects.filter(has_related=True).update(has_related=False)
    ChecklistItem.objects.filter(origin=ItemOrigin.LINKED).delete()


@pytest.mark.django_db(transaction=True)
def test_editors_change_items_of_both_articles_while_the_desk_links_them(cast, sample_paths):
    first = import_extracted(sample_paths[0], link_now=True)
    second = import_extracted(sample_paths[1], link_now=False)  # stored; its linking waits
    desk_link(article_id=second.pk)
    # The editors work on the claims the linking writes to: those linked, on both sides.
    links = ClaimLink.objects.filter(item__article=second)
    worked_on = sorted(set(links.values_list("item_id", flat=True)) | set(links.values_list("other_id", flat=True)))
    assert len(worked_on) > 10
    errors: list[BaseException] = []

    def editor(stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                for item_id in worked_on:
                    item_start(item_id=item_id, by=cast.editor)
                    item_reopen(item_id=item_id, by=cast.editor)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    for _ in range(ROUNDS):
        unlink(second)
        stop = threading.Event()
        working = threading.Thread(target=editor, args=(stop,))
        working.start()
        try:
            result = desk_link(article_id=second.pk)
        finally:
            stop.set()
            working.join(timeout=60)
        assert not errors, errors
        assert result is not None and result.links > 0 and result.variants > 0

    second.refresh_from_db()
    assert not second.desk_link_pending
    assert ClaimLink.objects.filter(item__article=second, other__article=first).exists()
    assert ChecklistItem.objects.filter(article=second, origin=ItemOrigin.LINKED).exists()
    assert not ChecklistItem.objects.filter(pk__in=worked_on).exclude(state=ItemState.OPEN).exists()


@pytest.mark.django_db(transaction=True)
def test_two_editors_mark_two_linked_claims_incorrect_at_the_same_moment(cast, sample_paths):
    """Each verdict raises the priority of the claim linked to it, in the other article:
    after its own commit, so neither editor waits for the other's article."""
    first = import_extracted(sample_paths[0], link_now=True)
    second = import_extracted(sample_paths[1], link_now=True)
    pairs = list(
        ClaimLink.objects.filter(item__article=second, other__article=first, relation="same")
        .values_list("item_id", "other_id")[:8]
    )
    assert pairs
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def editor(side: int) -> None:
        try:
            for pair in pairs * ROUNDS:
                barrier.wait(timeout=30)
                item_mark_incorrect(item_id=pair[side], by=cast.editor, note="Not what the record says.")
                item_reopen(item_id=pair[side], by=cast.editor, note="Checked again.")
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    editors = [threading.Thread(target=editor, args=(side,)) for side in (0, 1)]
    for thread in editors:
        thread.start()
    for thread in editors:
        thread.join(timeout=120)

    assert not errors, errors
    raised = ChecklistItem.objects.filter(pk__in=[pk for pair in pairs for pk in pair], priority=INCORRECT_ELSEWHERE_PRIORITY)
    assert raised.count() == 2 * len(pairs)
