"""Reads that the admin, the API and the pages share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from .models import (
    Article,
    ChecklistItem,
    ChecklistStatus,
    ClaimLink,
    ClaimRelation,
    ItemAnchor,
    ItemEvidence,
    ItemState,
    ItemTier,
    Story,
)
from .paging import CountWhenNeededPaginator
from .roles import CHECKER, EDITOR

# The checklist exists, every current required item is resolved and no item of either tier
# is marked incorrect: kept on the article as ``is_ready`` (services/progress.py).
READY = Q(is_ready=True)
# Items that keep an article from being published: current, and required and unresolved, or
# marked incorrect in either tier (as ``ChecklistItem.blocks_publication`` says of one item).
BLOCKING = ~Q(anchor=ItemAnchor.REMOVED) & (
    Q(state=ItemState.INCORRECT) | (Q(tier=ItemTier.REQUIRED) & ~Q(state__in=ItemState.resolved()))
)
# The order of an article's items: as the text reads (the item list, readiness, the pages).
TEXT_ORDER = ("start", "end", "kind", "pk")
# How many blocking items a readiness answer lists; the rest are a page away.
BLOCKING_SHOWN = 50
# What an article must have loaded for ``kept_readiness``: its kept progress and checklist status.
READINESS_FIELDS = (
    "pk", "checklist_status", "is_ready", "item_total", "item_resolved", "required_total", "required_resolved",
    "recommended_open", *(f"items_{state}" for state in ItemState.values),
)


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


@dataclass(frozen=True)
class KeptReadiness(Readiness):
    """Readiness read from the article's kept progress (services/progress.py), so that it costs
    the same for an article of ten items or ten thousand: ``blocking`` holds the first items only
    and ``blocking_count`` says how many there are."""

    blocking_count: int = 0
    blocking_next: str | None = None  # where the rest of the blocking items are read (the API sets its link)

    @property
    def reason(self) -> str:
        if (
            self.checklist_status == ChecklistStatus.READY
            and not self.counts.get(ItemState.INCORRECT)
            and self.blocking_count
        ):
            return f"{self.blocking_count} required item(s) are not resolved yet."
        return super().reason


def blocking_items(article_id: int) -> QuerySet[ChecklistItem]:
    """The article's items that block publication, in text order (the item list's order)."""
    return (
        ChecklistItem.objects.filter(article_id=article_id)
        .filter(BLOCKING)
        .select_related("assignee")
        .order_by(*TEXT_ORDER)
    )


def kept_readiness(
    article: Article, *, blocking: Sequence[ChecklistItem] = (), blocking_count: int | None = None
) -> KeptReadiness:
    """The article's readiness from its kept progress (``READINESS_FIELDS``), without reading items.

    Without ``blocking_count`` (the pages' summary, which lists no blocking items), the count
    is the required items still unresolved: what the reason names when nothing is incorrect.
    """
    if blocking_count is None:
        blocking_count = article.required_total - article.required_resolved
    return KeptReadiness(
        ready=article.is_ready,
        checklist_status=article.checklist_status,
        total=article.item_total,
        resolved=article.item_resolved,
        counts={state: getattr(article, f"items_{state}") for state in ItemState.values},
        blocking=list(blocking),
        required_total=article.required_total,
        required_resolved=article.required_resolved,
        recommended_open=article.recommended_open,
        blocking_count=blocking_count,
    )


def readiness_with_blocking(article: Article, shown: int = BLOCKING_SHOWN) -> KeptReadiness:
    """Readiness with the first ``shown`` blocking items and their number: one query, and a
    count only when there are more than ``shown``."""
    page = CountWhenNeededPaginator(blocking_items(article.pk), shown).page(1)
    return kept_readiness(article, blocking=page.object_list, blocking_count=page.paginator.count)


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


def article_list() -> QuerySet[Article]:
    """Articles as the lists show them: newest change first, with their kept progress, without their text."""
    return articles_with_progress().defer("body").order_by("-updated_at", "-pk")


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


def article_editors() -> QuerySet:
    """People who can be an article's editor: active editors."""
    return active_users().filter(_IS_EDITOR).distinct().order_by("username")


_IS_EDITOR = Q(groups__name=EDITOR) | Q(is_superuser=True)


def assignable_users_marking_editors() -> list:
    """``assignable_users``, each with ``is_editor``: whether they can be an article's editor."""
    editors = get_user_model().objects.filter(_IS_EDITOR).values("pk")
    return list(assignable_users().annotate(is_editor=Q(pk__in=editors)))


def article_editor(article: Article):
    """The article's editor (their name only), or None."""
    if article.editor_id is None:
        return None
    if Article.editor.is_cached(article):
        return article.editor
    return get_user_model().objects.filter(pk=article.editor_id).only("username", "first_name", "last_name").first()


# States that are a verdict someone reached (and can be shown, or adopted, elsewhere).
VERDICTS = frozenset({ItemState.VERIFIED, ItemState.INCORRECT, ItemState.UNVERIFIABLE, ItemState.DISMISSED})


def related_links() -> QuerySet[ClaimLink]:
    """Links as the item cards and the API show them: the same claim, then its variants, in
    other articles, each with its article's title, its verdict, who reached it and how many
    of its notes name a source."""
    return (
        ClaimLink.objects.select_related("other__article", "other__state_changed_by")
        .only(
            "item_id", "relation", "other__id", "other__article_id", "other__text", "other__state",
            "other__state_changed_at", "other__state_changed_by__username", "other__article__title",
        )
        .annotate(other_sources=Count("other__notes", filter=~Q(other__notes__source="")))
        .order_by("relation", "-other_id")
    )


def attach_related(items: Iterable[ChecklistItem]) -> None:
    """Set ``related`` on each item: its links (``related_links``), read in one query for the
    items flagged ``has_related``, and no query at all when none is (most pages)."""
    items = list(items)
    by_item: dict[int, list[ClaimLink]] = {}
    flagged = [item.pk for item in items if item.has_related]
    if flagged:
        for link in related_links().filter(item_id__in=flagged):
            by_item.setdefault(link.item_id, []).append(link)
    for item in items:
        item.related = by_item.get(item.pk, [])


def attach_evidence(items: Iterable[ChecklistItem]) -> None:
    """Set ``passages`` on each item: its passages in the article's sources, best first, read
    in one query for the items that have some (a match ``exact`` or ``variant``)."""
    items = list(items)
    by_item: dict[int, list[ItemEvidence]] = {}
    flagged = [item.pk for item in items if item.evidence_match in ("exact", "variant")]
    if flagged:
        passages = ItemEvidence.objects.filter(item_id__in=flagged).select_related("source").only(
            "item_id", "rank", "start", "end", "passage", "match", "differences", "source__id", "source__title",
            "source__revision",
        )
        for passage in passages.order_by("item_id", "rank"):
            by_item.setdefault(passage.item_id, []).append(passage)
    for item in items:
        item.passages = by_item.get(item.pk, [])


def passages_of(item: ChecklistItem) -> list[ItemEvidence]:
    if getattr(item, "passages", None) is None:
        attach_evidence([item])
    return item.passages


def attach_desk(items: Iterable[ChecklistItem]) -> None:
    """What an item card and the API show beyond the item: related claims and evidence."""
    items = list(items)
    attach_related(items)
    attach_evidence(items)


def related_of(item: ChecklistItem) -> list[ClaimLink]:
    """The item's related claims: attached by ``attach_related``, else read now."""
    if getattr(item, "related", None) is None:
        attach_related([item])
    return item.related


def incorrect_elsewhere(item: ChecklistItem) -> list[ClaimLink]:
    return [link for link in related_of(item) if link.other.state == ItemState.INCORRECT]


def can_adopt(link: ClaimLink) -> bool:
    """A verdict on the *same* claim can be adopted; a variant's must be reached again."""
    return link.relation == ClaimRelation.SAME and link.other.state in VERDICTS


def story_list() -> QuerySet[Story]:
    """Stories, most recently changed first, each with its number of articles."""
    return Story.objects.annotate(article_count=Count("articles")).order_by("-updated_at", "-pk")


STORY_ARTICLE_FIELDS = ("pk", "story_id", "title", "source", "external_id", "url", "is_ready", "created_at")


def story_articles_all() -> QuerySet[Article]:
    """Articles as a story lists them: oldest first, without their text."""
    return Article.objects.only(*STORY_ARTICLE_FIELDS).order_by("created_at", "pk")


def story_articles(story: Story) -> QuerySet[Article]:
    return story_articles_all().filter(story=story)
