"""Reads that the admin, the API and the pages share."""

from __future__ import annotations

from dataclasses import dataclass, field

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .models import Article, ChecklistItem, ChecklistStatus, ItemAnchor, ItemState, ItemTier
from .roles import CHECKER, EDITOR

# The checklist exists, every current required item is resolved and no item of either tier
# is marked incorrect: kept on the article as ``is_ready`` (services/progress.py).
READY = Q(is_ready=True)


@dataclass(frozen=True)
class Readiness:
    """Whether an article can be published, and what stands in the way."""

    ready: bool
    checklist_status: str
    total: int
    resolved: int
    counts: dict[str, int]
    blocking: list[ChecklistItem] = field(default_factory=list)
    required_total: int = 0
    required_resolved: int = 0
    recommended_open: int = 0

    @property
    def reason(self) -> str:
        if self.checklist_status != ChecklistStatus.READY:
            return f"The checklist is {ChecklistStatus(self.checklist_status).label.lower()}."
        if self.counts.get(ItemState.INCORRECT):
            return f"{self.counts[ItemState.INCORRECT]} item(s) are marked incorrect."
        if self.blocking:
            return f"{len(self.blocking)} required item(s) are not resolved yet."
        if self.recommended_open:
            return f"Every required item is resolved ({self.recommended_open} recommended still open)."
        return "Every item is resolved."


def current_items(article: Article) -> QuerySet[ChecklistItem]:
    """The article's items whose words are in its current text (removed ones are kept apart)."""
    return article.items.current()


def article_readiness(article: Article) -> Readiness:
    """Ready when the checklist exists, every current item is resolved and none is incorrect."""
    items = current_items(article).select_related("assignee").order_by("start", "end")
    return readiness_from_items(article, items)


def readiness_from_items(article: Article, items: Iterable[ChecklistItem]) -> Readiness:
    """The article's readiness from its items already at hand (removed ones are skipped), in their order.

    Required items decide it; recommended ones only when one is marked incorrect.
    """
    counts = {state: 0 for state in ItemState.values}
    blocking = []
    required_total = required_resolved = recommended_open = 0
    for item in items:
        if item.anchor == ItemAnchor.REMOVED:
            continue
        counts[item.state] += 1
        if item.is_required:
            required_total += 1
            required_resolved += item.is_resolved
        elif not item.is_resolved:
            recommended_open += 1
        if item.blocks_publication:
            blocking.append(item)
    return Readiness(
        ready=article.checklist_status == ChecklistStatus.READY and not blocking,
        checklist_status=article.checklist_status,
        total=sum(counts.values()),
        resolved=sum(counts[state] for state in ItemState.resolved()),
        counts=counts,
        blocking=blocking,
        required_total=required_total,
        required_resolved=required_resolved,
        recommended_open=recommended_open,
    )


def is_ready(article: Article) -> bool:
    return article.is_ready


def articles_with_progress() -> QuerySet[Article]:
    """Articles with their kept progress: ``item_total``, ``item_resolved``, ``required_total``,
    ``required_resolved``, ``recommended_open``, ``items_<state>`` and ``is_ready``."""
    return Article.objects.all()


def open_items_assigned_to(user) -> QuerySet[ChecklistItem]:
    """What ``user`` still has to check, across articles."""
    return (
        ChecklistItem.objects.filter(assignee=user)
        .exclude(state__in=ItemState.resolved())
        .select_related("article")
        .defer("article__body")
        .order_by("state", "due_at", "article_id", "start")
    )


def active_users() -> QuerySet:
    return get_user_model().objects.filter(is_active=True)


def assignable_users() -> QuerySet:
    """People who can work on items: active checkers and editors."""
    return (
        active_users()
        .filter(Q(groups__name__in=[CHECKER, EDITOR]) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )
