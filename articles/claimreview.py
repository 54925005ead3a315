"""schema.org ClaimReview (JSON-LD) for the verdicts on checklist items.

The markup follows Google's fact-check documentation (https://schema.org/ClaimReview):

- ``claimReviewed``: the claim as a reader meets it: the item's ``sentence`` when the engine
  read one, else the item's own words (``text``); plain text, its whitespace collapsed.
- ``itemReviewed``: a ``Claim`` whose ``author`` is the item's speaker (a ``Person``; left out
  when nobody is quoted rather than guessed) and whose ``appearance`` and ``firstAppearance``
  are the article: its own ``url``, else its page in this service, with its headline and
  publication date.
- ``reviewRating``: the verdict on a 1 to 5 scale (``VERDICT_RATINGS``): verified is "True" (5),
  incorrect is "False" (1), unverifiable is "Unverifiable" (3, the middle: neither).
  Open, in progress and dismissed ("not a claim") items have no verdict to publish:
  ``NoVerdict``.
- ``author``: the newsroom (``settings.PUBLISHER_NAME`` and ``PUBLISHER_URL``).
- ``datePublished``: the day of the verdict (``state_changed_at``, else ``updated_at``), in the
  service's time zone.
- ``url``: the item's page in this service.
- ``citation``: the sources recorded in the item's notes, in the order they were added.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from .models import Article, ChecklistItem, ItemState, Note
from .selectors import TEXT_ORDER


class NoVerdict(Exception):
    """The item has no verdict to publish: still open, in progress, or dismissed as not a claim."""


@dataclass(frozen=True)
class Rating:
    value: int
    name: str  # schema.org ``alternateName``: the verdict in words


BEST_RATING = 5
WORST_RATING = 1
VERDICT_RATINGS: dict[str, Rating] = {
    ItemState.VERIFIED: Rating(BEST_RATING, "True"),
    ItemState.INCORRECT: Rating(WORST_RATING, "False"),
    ItemState.UNVERIFIABLE: Rating(3, "Unverifiable"),
}


def item_claim_review(item: ChecklistItem, *, request=None) -> dict:
    """The ClaimReview of one item's verdict; ``NoVerdict`` when it has none.

    Reads ``item.article`` (select it with the item) and the item's notes (one query unless
    prefetched).
    """
    if item.state not in VERDICT_RATINGS:
        raise NoVerdict(_no_verdict_reason(item))
    return _review(item, item.article, request)


def article_claim_reviews(article: Article, *, request=None) -> list[dict]:
    """The ClaimReviews of the article's current items that have a verdict, in text order.

    Two queries whatever the number of items: the items, and the sources of their notes.
    """
    # Ordered by time alone: Note's default order ("item" first) would join the items again.
    sources = Note.objects.exclude(source="").only("item_id", "source").order_by("created_at", "pk")
    items = (
        ChecklistItem.objects.filter(article=article, state__in=list(VERDICT_RATINGS))
        .current()
        .order_by(*TEXT_ORDER)
        .prefetch_related(Prefetch("notes", queryset=sources))
    )
    return [_review(item, article, request) for item in items]


# --- parts ------------------------------------------------------------------------------


def _no_verdict_reason(item: ChecklistItem) -> str:
    if item.state == ItemState.DISMISSED:
        return f"Item {item.pk} was dismissed as not a claim: there is nothing to review."
    return f"Item {item.pk} has no verdict yet: it is {item.get_state_display().lower()}."


def _review(item: ChecklistItem, article: Article, request) -> dict:
    rating = VERDICT_RATINGS[item.state]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": _absolute(reverse("newsroom:item", args=[item.pk]), request),
        "claimReviewed": _plain(item.sentence) or _plain(item.text),
        "itemReviewed": _claim(item, article, request),
        "author": _publisher(),
        "datePublished": _day(item.state_changed_at or item.updated_at),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": rating.name,
        },
    }
    citations = _citations(item)
    if citations:
        review["citation"] = citations
    return review


def _claim(item: ChecklistItem, article: Article, request) -> dict:
    appearance = {
        "@type": "CreativeWork",
        "url": article.url or _absolute(reverse("newsroom:article", args=[article.pk]), request),
        "headline": article.title,
    }
    if article.published_at:
        appearance["datePublished"] = _day(article.published_at)
    claim = {"@type": "Claim"}
    if item.speaker.strip():
        claim["author"] = {"@type": "Person", "name": item.speaker.strip()}
    claim["appearance"] = appearance
    claim["firstAppearance"] = dict(appearance)
    return claim


def _publisher() -> dict:
    publisher = {"@type": "Organization", "name": settings.PUBLISHER_NAME}
    if settings.PUBLISHER_URL:
        publisher["url"] = settings.PUBLISHER_URL
    return publisher


def _citations(item: ChecklistItem) -> list[str]:
    """The notes' sources, each once, in the order the notes were added."""
    return list(dict.fromkeys(note.source.strip() for note in item.notes.all() if note.source.strip()))


def _absolute(path: str, request) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def _day(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def _plain(text: str) -> str:
    return " ".join(text.split())
