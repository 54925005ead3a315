"""Reads that the admin, the API and the pages share."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from .models import Article, ChecklistItem, ChecklistStatus, ItemAnchor, ItemState


@dataclass(frozen=True)
class Readiness:
    """Whether an article can be published, and what stands in the way."""

    ready: bool
    checklist_status: str
    total: int
    resolved: int
    counts: dict[str, int]
    blocking: list[ChecklistItem] = field(default_factory=list)

    @property
    def reason(self) -> str:
        if self.checklist_status != ChecklistStatus.READY:
            return f"The checklist is {self.checklist_status}."
        if self.counts.get(ItemState.INCORRECT):
            return f"{self.counts[ItemState.INCORRECT]} item(s) are marked incorrect."
        if self.blocking:
            return f"{len(self.blocking)} item(s) are not resolved yet."
        return "Every item is resolved."


def current_items(article: Article) -> QuerySet[ChecklistItem]:
    """The article's items whose words are in its current text (removed ones are kept apart)."""
    return article.items.exclude(anchor=ItemAnchor.REMOVED)


def article_readiness(article: Article) -> Readiness:
    """Ready when the checklist exists, every current item is resolved and none is incorrect."""
    counts = {state: 0 for state in ItemState.values}
    for row in current_items(article).values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    blocking = list(
        current_items(article)
        .exclude(state__in=ItemState.resolved())
        .select_related("assignee")
        .order_by("start", "end")
    )
    total = sum(counts.values())
    resolved = sum(counts[state] for state in ItemState.resolved())
    ready = article.checklist_status == ChecklistStatus.READY and not blocking
    return Readiness(
        ready=ready,
        checklist_status=article.checklist_status,
        total=total,
        resolved=resolved,
        counts=counts,
        blocking=blocking,
    )


def articles_with_progress() -> QuerySet[Article]:
    """Articles annotated with item counts: ``item_total``, ``item_resolved``, ``item_blocking``, per state."""
    current = ~Q(items__anchor=ItemAnchor.REMOVED)
    per_state = {
        f"items_{state}": Count("items", filter=current & Q(items__state=state)) for state in ItemState.values
    }
    return Article.objects.annotate(
        item_total=Count("items", filter=current),
        item_resolved=Count("items", filter=current & Q(items__state__in=ItemState.resolved())),
        **per_state,
    )


def items_assigned_to(user) -> QuerySet[ChecklistItem]:
    return (
        ChecklistItem.objects.filter(assignee=user)
        .select_related("article")
        .order_by("state", "due_at", "article_id", "start")
    )
