"""Each article's progress — its items counted by state and tier, and whether it is ready —
kept on the article, so that lists filter and sort on columns instead of counting items.

Saving or deleting one item recounts its article (``recount_after_item_change``, connected
to the model's signals, so no write path can forget it); bulk writes and checklist status
changes call ``article_progress_refresh`` themselves, in the same transaction. It locks the articles, then counts their current items in one
query: a change committed meanwhile by another transaction is waited for and seen, so the
counts never go stale. ``articles_progress_repair`` recomputes every article (the
``repair_progress`` command).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q

from ..models import PROGRESS_FIELDS, Article, ChecklistItem, ChecklistStatus, ItemAnchor, ItemState, ItemTier

_RESOLVED = Q(state__in=ItemState.resolved())
_REQUIRED = Q(tier=ItemTier.REQUIRED)
_COUNTS = {
    "item_total": Count("pk"),
    "item_resolved": Count("pk", filter=_RESOLVED),
    "required_total": Count("pk", filter=_REQUIRED),
    "required_resolved": Count("pk", filter=_REQUIRED & _RESOLVED),
    "recommended_open": Count("pk", filter=~_REQUIRED & ~_RESOLVED),
    **{f"items_{state}": Count("pk", filter=Q(state=state)) for state in ItemState.values},
}


def article_progress_refresh(article_ids: Iterable[int], *, actor=None, announce: bool = True) -> None:
    """Recount the progress of these articles; call it in the transaction that changed them.

    The people working on an article that becomes ready are told (unless not ``announce``:
    a repair), except ``actor``, whose change made it so.
    """
    article_ids = sorted(set(article_ids))
    if not article_ids:
        return
    with transaction.atomic(savepoint=False):  # in the caller's transaction: nothing to undo on its own
        articles = list(
            Article.objects.select_for_update(no_key=True).filter(pk__in=article_ids).order_by("pk").only("pk", "checklist_status", "is_ready")
        )
        was_ready = {article.pk for article in articles if article.is_ready}
        counted = {
            row.pop("article_id"): row
            for row in ChecklistItem.objects.filter(article_id__in=article_ids)
            .exclude(anchor=ItemAnchor.REMOVED)
            .order_by()
            .values("article_id")
            .annotate(**_COUNTS)
        }
        for article in articles:
            counts = counted.get(article.pk, dict.fromkeys(_COUNTS, 0))
            for name, value in counts.items():
                setattr(article, name, value)
            article.is_ready = (
                article.checklist_status == ChecklistStatus.READY
                and counts["required_resolved"] == counts["required_total"]
                and counts["items_incorrect"] == 0
            )
        if len(articles) == 1:  # the common case (one item, one checklist): a plain UPDATE
            (article,) = articles
            Article.objects.filter(pk=article.pk).update(**{name: getattr(article, name) for name in PROGRESS_FIELDS})
        else:
            Article.objects.bulk_update(articles, PROGRESS_FIELDS)
        became_ready = [article.pk for article in articles if article.is_ready and article.pk not in was_ready]
        if became_ready and announce:
            from .notifications import notify_articles_ready

            notify_articles_ready(article_ids=became_ready, actor=actor)


def articles_progress_repair(*, batch_size: int = 1000) -> int:
    """Recount every article's progress, a batch at a time; returns how many articles."""
    repaired = 0
    last_pk = 0
    while True:
        batch = list(Article.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not batch:
            return repaired
        article_progress_refresh(batch, announce=False)
        repaired += len(batch)
        last_pk = batch[-1]


# What the progress counts: saving an item with only other fields changed recounts nothing.
COUNTED_ITEM_FIELDS = frozenset({"state", "tier", "anchor", "article"})


def recount_after_item_change(sender, instance: ChecklistItem, update_fields=None, origin=None, **kwargs) -> None:
    """post_save and post_delete of ChecklistItem: recount the item's article (not when the
    article itself is being deleted, nor for a save that changed nothing counted)."""
    if update_fields is not None and not COUNTED_ITEM_FIELDS.intersection(update_fields):
        return
    if isinstance(origin, Article) or getattr(origin, "model", None) is Article:
        return
    article_progress_refresh([instance.article_id], actor=getattr(instance, "_history_user", None))
