"""Row locks in one order everywhere, so that two writers never wait on each other in a circle.

The order: the story desk's lock (``stories._lock_desk``), then articles by id, then
items. A writer that changes items locks their articles first, in one statement ordered
by id; the article's progress is recounted under the lock it already holds. Rows are
locked ``FOR NO KEY UPDATE``: nothing here changes a key, and the key-share locks that
foreign-key checks take (inserting links, notes, index keys) do not wait for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, Subquery

from ..models import Article, ChecklistItem


def articles_lock(article_ids: Iterable[int]) -> list[int]:
    """Lock these articles, lowest id first; returns the ids of those that exist."""
    ids = set(article_ids)
    return _lock(Q(pk__in=ids)) if ids else []


def articles_lock_for_items(item_ids: Iterable[int]) -> list[int]:
    """Lock the articles of these items (before the items themselves), lowest id first."""
    ids = set(item_ids)
    items = ChecklistItem.objects.filter(pk__in=ids).order_by().values("article_id")
    return _lock(Q(pk__in=Subquery(items))) if ids else []


def _lock(articles: Q) -> list[int]:
    return list(
        Article.objects.select_for_update(no_key=True).filter(articles).order_by("pk").values_list("pk", flat=True)
    )
