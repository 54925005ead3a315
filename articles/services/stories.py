"""The story desk: claims linked across articles, stories, verdicts adopted from colleagues.

``article_link`` indexes an article's claims (``matching.keys``: their exact wording and
MinHash bands; the people they name) in ``ClaimFingerprint``, reads the most recent holders
of the same keys — a bounded slice of one index per key, whatever the size of the desk —
compares those candidates exactly (``matching.relation``), and stores the links both ways
round. A variant gives the later of the two articles a ``consistency`` item naming the
other wording. Then the article joins the story it shares most with (linked claims,
people), or starts one. The worker runs it in a task of its own (``desk_link``), after the
checklist is stored and marked extracted.

Linking is serialised by one database lock (``pg_advisory_xact_lock``): two workers
linking two articles of one story at the same moment would otherwise each miss the other.
The holders are read after the lock, which under PostgreSQL's READ COMMITTED sees every
article linked before; the article's own keys are written under it (whoever links next
waits at the lock for our commit, then reads them).

Locks are taken in one order everywhere: the desk, then articles (by id), then items. The
linking reads and compares without locking rows, then locks every article whose items it
will write (``locks.articles_lock``) before writing any; editors' changes lock the item's
article before the item (``items._lock_item``). An article whose checklist was stored again
meanwhile is left to that extraction's own linking.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import matching, roles
from ..selectors import VERDICTS
from ..extraction.tiers import tier_for
from ..models import (
    Article,
    ChecklistItem,
    ChecklistStatus,
    ClaimFingerprint,
    ClaimLink,
    ClaimRelation,
    ItemKind,
    ItemOrigin,
    ItemState,
    Note,
    Story,
)
from .bulk import insert_values
from .errors import TransitionNotAllowed, WorkflowError
from .locks import articles_lock, articles_lock_for_items
from .queueing import enqueue_after_commit
from .tiers import tier_policy

logger = logging.getLogger(__name__)

# Of each key, only its most recent holders are read: the cost of linking one article does
# not grow with the desk, and what recurs is found among what came lately.
HOLDERS_PER_KEY = 50
MAX_LINKS_PER_ITEM = 12
CANDIDATES_PER_ITEM = 40
# A story is joined when the article shares this much with it: a linked claim counts
# CLAIM_WEIGHT, a person or organisation named in both NAME_WEIGHT (half as much when the
# name is common: its slice of the index is full).
CLAIM_WEIGHT = 2.0
NAME_WEIGHT = 1.0
JOIN_SCORE = 2.0
VARIANT_PRIORITY = 75
INCORRECT_ELSEWHERE_PRIORITY = 95
STORY_NAME_LENGTH = 120
_DESK_LOCK = 7_160_316  # pg_advisory_xact_lock key of the desk's linking

_ITEM_FIELDS = (
    "pk", "article_id", "kind", "start", "end", "anchored_revision", "text", "sentence", "speaker", "value", "state",
    "priority", "origin",
)


@dataclass(frozen=True)
class LinkResult:
    links: int
    variants: int
    story_id: int | None


def article_link(*, article: Article) -> LinkResult:
    """Link the article's current claims to the desk's and place it in a story (idempotent),
    in the caller's transaction; the caller holds the article's row lock (the checklist was
    just stored) and recounts progress. The worker links in a task of its own: ``desk_link``."""
    with transaction.atomic(savepoint=False):
        result = _link(article, _ArticleClaims.read(article))
    if result is None:
        raise RuntimeError(f"article {article.pk} was stored again while being linked: hold its lock to call this")
    return result


def desk_link(*, article_id: int) -> LinkResult | None:
    """The task's work: link the article's current checklist to the desk (idempotent); None
    when the article is gone, has no checklist, or was stored again meanwhile (that
    extraction's linking follows).

    The claims are read and keyed before any lock; the linking transaction then takes its
    locks in the common order (the desk, the articles it writes to, their items) before it
    writes anything.
    """
    article = Article.objects.filter(pk=article_id).only(*_ARTICLE_FIELDS).first()
    if article is None or article.checklist_status != ChecklistStatus.READY:
        return None
    claims = _ArticleClaims.read(article)
    with transaction.atomic():
        result = _link(article, claims)
        if result is not None:
            Article.objects.filter(pk=article_id, desk_link_pending=True).update(desk_link_pending=False)
    return result


_ARTICLE_FIELDS = ("pk", "title", "created_at", "content_hash", "checklist_status")


@dataclass(frozen=True)
class _Copy:
    """An earlier article with the same body, already linked, whose claims are this
    article's one for one: ``items`` maps each claim here to the copy's."""

    article_id: int
    items: dict[int, int]


def _linked_copy(article: Article, items: list[ChecklistItem], wordings) -> _Copy | None:
    """The most recent other article with this body, stored and linked, when its claims are
    this article's one for one (the same engine read it, nobody added or moved a claim)."""
    if not wordings:
        return None
    copy_id = (
        Article.objects.filter(
            content_hash=article.content_hash, checklist_status=ChecklistStatus.READY, desk_link_pending=False,
            pk__lt=article.pk,
        ).order_by("-pk").values_list("pk", flat=True).first()
    )
    if copy_id is None:
        return None
    theirs = {
        (item.kind, item.start, item.end): item
        for item in ChecklistItem.objects.filter(article_id=copy_id).current().exclude(origin=ItemOrigin.LINKED)
        .order_by().only(*_ITEM_FIELDS)
    }
    if len(theirs) != len(items):
        return None
    mapping = {}
    for item in items:
        their = theirs.get((item.kind, item.start, item.end))
        if their is None or _wording(their) != wordings.get(item.pk):
            return None
        mapping[item.pk] = their.pk
    return _Copy(article_id=copy_id, items=mapping)


@dataclass
class _ArticleClaims:
    """What linking reads of one article before any lock: its claims, their index keys
    (``claim_keys``, to look for candidates; none for a copy) and every key the article
    holds (``fingerprints``: (item id, key) pairs)."""

    items: list[ChecklistItem]
    wordings: dict[int, matching.ClaimWording]
    claim_keys: dict[int, list[int]]
    name_keys: dict[int, int]
    fingerprints: set[tuple[int, int]]
    checklist_changed_at: object
    copy_of: _Copy | None = None

    @classmethod
    def read(cls, article: Article) -> _ArticleClaims:
        changed_at = Article.objects.filter(pk=article.pk).values_list("checklist_changed_at", flat=True).first()
        items = list(
            ChecklistItem.objects.filter(article=article).current().exclude(origin=ItemOrigin.LINKED)
            .order_by("start", "end", "kind").only(*_ITEM_FIELDS)
        )
        wordings = {item.pk: _wording(item) for item in items}
        wordings = {pk: w for pk, w in wordings.items() if w is not None}
        name_keys = _name_keys(items)
        copy = _linked_copy(article, items, wordings)
        if copy is not None:  # a wire story again: the copy's index keys are this article's
            mine = {theirs: pk for pk, theirs in copy.items.items()}
            claim_keys = {}
            fingerprints = {
                (mine[item_id], key)
                for item_id, key in ClaimFingerprint.objects.filter(article_id=copy.article_id)
                .order_by().values_list("item_id", "key")
                if item_id in mine
            }
        else:
            claim_keys = {pk: matching.keys(w) for pk, w in wordings.items()}
            fingerprints = {(pk, key) for pk, found in claim_keys.items() for key in found} | {
                (pk, key) for key, pk in name_keys.items()
            }
        return cls(
            items=items, wordings=wordings, claim_keys=claim_keys, name_keys=name_keys, fingerprints=fingerprints,
            checklist_changed_at=changed_at, copy_of=copy,
        )


def _link(article: Article, claims: _ArticleClaims) -> LinkResult | None:
    # From here to the commit, one article at a time: the holders must include every
    # article linked before this one.
    _lock_desk()
    if claims.copy_of is not None:
        holders: dict[int, list[tuple[int, int]]] = {}
        pairs, compared = _pairs_of_copy(article, claims)
    else:
        holders = _holders(
            {key for found in claims.claim_keys.values() for key in found} | set(claims.name_keys), article.pk
        )
        pairs, compared = _related_pairs(article, claims, holders)
    # Every article whose items or counts this linking may write is locked before any write.
    linked_before = _linked_articles(article)
    articles_lock({article.pk} | {other.article_id for _, other, _ in pairs} | linked_before)
    if Article.objects.filter(pk=article.pk).values_list("checklist_changed_at", flat=True).first() != (
        claims.checklist_changed_at
    ):
        return None  # stored again since it was read: that extraction links it
    # The article's index keys, written under the desk's lock: whoever links next reads them.
    reworded = _write_fingerprints(article, claims.fingerprints)
    judged = _Judged(
        mine=set(ChecklistItem.objects.filter(article=article).order_by().values_list("pk", flat=True)),  # removed too
        current=set(claims.wordings) - reworded, compared=compared,
    )
    still_linked = _write_links(pairs, judged)
    # Readers look for links only on flagged items. A flag left on an item whose last link
    # went (the other article changed) costs a read that finds nothing; it is never missing.
    ChecklistItem.objects.filter(article=article, has_related=True).exclude(pk__in=still_linked).update(has_related=False)
    ChecklistItem.objects.filter(pk__in=still_linked | {other.pk for _, other, _ in pairs}, has_related=False).update(
        has_related=True
    )
    variants = [(mine, other) for mine, other, rel in pairs if rel == ClaimRelation.VARIANT]
    _refresh_variant_items(article, variants, judged, linked_before)
    _raise_priority_of_items_related_to_incorrect([(mine, other) for mine, other, _ in pairs])
    story_id = _place_in_story(article, pairs, claims.name_keys, holders)
    return LinkResult(links=len(pairs), variants=len(variants), story_id=story_id)


def _linked_articles(article: Article) -> set[int]:
    """The articles whose items are linked to this article's now (links go both ways round)."""
    return set(
        ClaimLink.objects.filter(item__article=article).order_by().values_list("other__article_id", flat=True).distinct()
    )


# Linking waits behind the extractions queued (Redis serves lower numbers first): a
# checklist is ready for its editors first, its links to the desk follow.
LINK_PRIORITY = 9


def desk_link_request(*, article_id: int) -> None:
    """Mark the article's checklist as waiting to be linked and send the linking after commit."""
    Article.objects.filter(pk=article_id).update(desk_link_pending=True)
    _send_linking(article_id)


def _send_linking(article_id: int, *, recovered: bool = False) -> None:
    enqueue_after_commit(
        "link_article_to_desk", article_id, what=f"desk linking of article {article_id}",
        priority=LINK_PRIORITY, recovered=recovered,
    )


def desk_links_recover(*, queue_is_empty: Callable[[], bool], lost_after: datetime.timedelta) -> list[int]:
    """Beat: send again the linking of checklists stored longer than ``lost_after`` ago and
    still waiting while the queue holds nothing (their message lost with Redis or a dead
    worker; a linking still queued behind extractions is left alone); returns their articles."""
    lost = list(
        Article.objects.filter(
            desk_link_pending=True, checklist_status=ChecklistStatus.READY,
            checklist_changed_at__lt=timezone.now() - lost_after,
        ).order_by("checklist_changed_at").values_list("pk", flat=True)[:1000]
    )
    if lost and not queue_is_empty():
        return []
    for article_id in lost:
        _send_linking(article_id, recovered=True)
    return lost


def _write_fingerprints(article: Article, wanted: set[tuple[int, int]]) -> set[int]:
    """Make the article's index keys ``wanted`` ((item id, key) pairs): only the differences
    are written, so linking an unchanged article again writes nothing. Returns the items
    whose keys changed (reworded since they were last linked)."""
    existing = {(item_id, key): pk for pk, item_id, key in ClaimFingerprint.objects.filter(article=article).values_list("pk", "item_id", "key")}
    stale = {pk for pair, pk in existing.items() if pair not in wanted}
    if stale:
        ClaimFingerprint.objects.filter(pk__in=stale).delete()
    new = sorted(wanted - existing.keys())
    insert_values(  # a COPY on PostgreSQL: some twenty keys per claim
        ClaimFingerprint, ("item_id", "article_id", "key"), [(item_id, article.pk, key) for item_id, key in new]
    )
    return {item_id for item_id, _ in new} | {item_id for (item_id, _), pk in existing.items() if pk in stale}


@dataclass(frozen=True)
class _Judged:
    """The pairs (an item of this article, another article's) this linking judged: the item
    here is no longer a current claim in the words it was linked by, or the two were
    compared this time. Only those pairs' links and checks may go; the rest stay as other
    linkings found them (each item compares only its likeliest candidates, so a pair found
    from the other side may not be among them)."""

    mine: set[int]  # every item of the article, removed ones too
    current: set[int]  # its current claims, less those reworded since they were last linked
    compared: dict[tuple[int, int], str | None]  # (item here, other item): the relation found

    def relation(self, a: int, b: int) -> tuple[bool, str | None]:
        """Whether the pair of ``a`` and ``b`` (in either order) was judged, and as what."""
        here, other = (a, b) if a in self.mine else (b, a)
        if here not in self.mine:
            return False, None
        if here not in self.current:
            return True, self.compared.get((here, other))
        if (here, other) in self.compared:
            return True, self.compared[(here, other)]
        return False, None


def _write_links(pairs, judged: _Judged) -> set[int]:
    """Add the links of ``pairs``, both ways round, and remove those of the article's items
    this linking judged otherwise, writing only the differences; returns the article's
    items that have links."""
    mine = judged.mine
    existing = {
        (item_id, other_id, relation): pk
        for pk, item_id, other_id, relation in ClaimLink.objects.filter(
            Q(item_id__in=mine) | Q(other_id__in=mine)
        ).order_by().values_list("pk", "item_id", "other_id", "relation")
    }
    wanted = {(m.pk, o.pk, rel) for m, o, rel in pairs} | {(o.pk, m.pk, rel) for m, o, rel in pairs}
    stale = set()
    for key, pk in existing.items():
        was_judged, relation = judged.relation(*key[:2])
        if key not in wanted and was_judged and relation != key[2]:
            stale.add(pk)
    if stale:
        ClaimLink.objects.filter(pk__in=stale).delete()
    now = timezone.now()
    insert_values(
        ClaimLink, ("item_id", "other_id", "relation", "created_at"),
        [(item_id, other_id, rel, now) for item_id, other_id, rel in sorted(wanted - existing.keys())],
    )
    kept = [key for key, pk in existing.items() if pk not in stale] + list(wanted)
    return {item_id for item_id, _, _ in kept if item_id in mine}


def _lock_desk() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_DESK_LOCK])


def _wording(item: ChecklistItem) -> matching.ClaimWording | None:
    return matching.wording_of(item.kind, item.text, item.sentence, item.speaker, item.value)


def _name_keys(items: list[ChecklistItem]) -> dict[int, int]:
    """Index keys of the people and bodies the article names (name items, quotes' speakers),
    each with one item that names it."""
    found: dict[int, int] = {}
    for item in items:
        names = []
        if item.kind == ItemKind.NAME and isinstance(item.value, dict):
            names.append(str(item.value.get("name") or item.text))
        if item.kind == ItemKind.QUOTE and item.speaker:
            names.append(item.speaker)
        for name in names:
            key = matching.name_key(name)
            if key is not None:
                found.setdefault(key, item.pk)
    return found


def _holders(keys: set[int], article_id: int) -> dict[int, list[tuple[int, int]]]:
    """For each key, its most recent holders in other articles: (item id, article id)."""
    if not keys:
        return {}
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    table = ClaimFingerprint._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""SELECT k.key, f.item_id, f.article_id FROM unnest(%s::bigint[]) AS k(key)
                CROSS JOIN LATERAL (
                    SELECT item_id, article_id FROM {table}
                    WHERE {table}.key = k.key AND article_id <> %s ORDER BY item_id DESC LIMIT %s
                ) AS f""",
                [sorted(keys), article_id, HOLDERS_PER_KEY],
            )
            rows = cursor.fetchall()
        else:  # the demo's SQLite: the same slices, key by key
            rows = []
            for key in sorted(keys):
                cursor.execute(
                    f"SELECT key, item_id, article_id FROM {table} WHERE key = %s AND article_id <> %s "
                    "ORDER BY item_id DESC LIMIT %s",
                    [key, article_id, HOLDERS_PER_KEY],
                )
                rows += cursor.fetchall()
    for key, item_id, holder_article in rows:
        found[key].append((item_id, holder_article))
    return found


def _related_pairs(article: Article, claims: _ArticleClaims, holders):
    """(this article's item, another article's item, relation), at most MAX_LINKS_PER_ITEM per
    item; and every pair compared, with the relation found (None: unrelated, or the other
    item is no longer a current claim).

    Each item compares at most CANDIDATES_PER_ITEM others: those sharing its exact wording
    first, then those sharing the most MinHash bands (the likeliest variants), the most
    recent first. A wire story imported under many sources finds its copies without
    reading them all. In an article with this very body, only the claim in the same place
    is compared (``_compare``).
    """
    claim_keys = claims.claim_keys
    candidates: dict[int, list[int]] = {}
    for pk, found in claim_keys.items():
        shared: Counter[int] = Counter()
        for position, key in enumerate(found):
            for item_id, _ in holders.get(key, ()):
                shared[item_id] += matching.BANDS if position == 0 else 1  # keys()[0] is the exact wording
        candidates[pk] = sorted(shared, key=lambda item_id: (-shared[item_id], -item_id))[:CANDIDATES_PER_ITEM]
    return _compare(article, claims, candidates)


def _compare(article: Article, claims: _ArticleClaims, candidates: dict[int, list[int]]):
    """Compare each claim with its ``candidates`` (other items' ids); returns the pairs kept
    (``_strongest`` of each claim's) and every pair compared with the relation found. In an
    article with this very body, only the claim in the same place is compared: two claims
    of one text that share words (two figures of a sentence) are not each other's variant."""
    others = {
        other.pk: other
        for other in ChecklistItem.objects.filter(pk__in={pk for found in candidates.values() for pk in found})
        .exclude(article=article).current().exclude(origin=ItemOrigin.LINKED).order_by().only(*_ITEM_FIELDS)
    }
    same_body = set(
        Article.objects.filter(pk__in={other.article_id for other in others.values()}, content_hash=article.content_hash)
        .order_by().values_list("pk", flat=True)
    )
    by_pk = {item.pk: item for item in claims.items}
    pairs = []
    compared: dict[tuple[int, int], str | None] = {}
    for pk, wording in claims.wordings.items():
        item, found = by_pk[pk], []
        for other_pk in candidates.get(pk, ()):
            other = others.get(other_pk)
            if other is not None and other.article_id in same_body and (
                (other.kind, other.start, other.end) != (item.kind, item.start, item.end)
            ):
                continue
            other_wording = _wording(other) if other is not None else None
            relation = matching.relation(wording, other_wording) if other_wording else None
            compared[(pk, other_pk)] = relation
            if relation:
                found.append((item, other, relation))
        pairs += _strongest(found)
    return pairs, compared


def _strongest(found: list[tuple[ChecklistItem, ChecklistItem, str]]) -> list[tuple[ChecklistItem, ChecklistItem, str]]:
    """One claim's links to keep: the same claim first, those with a verdict first among
    them, then the most recent; at most MAX_LINKS_PER_ITEM."""
    found.sort(key=lambda pair: (pair[2] != ClaimRelation.SAME, pair[1].state not in VERDICTS, -pair[1].pk))
    return found[:MAX_LINKS_PER_ITEM]


def _pairs_of_copy(article: Article, claims: _ArticleClaims):
    """``_related_pairs`` for an article whose body is a linked copy's: each claim's
    candidates are the copy's claim and what that claim is linked to (the same wording
    finds the same), compared again but not looked for."""
    copy = claims.copy_of
    by_copy_item: dict[int, list[int]] = defaultdict(list)
    for item_id, other_id in ClaimLink.objects.filter(item_id__in=set(copy.items.values())).order_by().values_list(
        "item_id", "other_id"
    ):
        by_copy_item[item_id].append(other_id)
    return _compare(
        article, claims, {pk: list(dict.fromkeys([theirs, *by_copy_item[theirs]])) for pk, theirs in copy.items.items()}
    )


# --- variants become checks -------------------------------------------------------------


def _refresh_variant_items(
    article: Article, variants: list[tuple[ChecklistItem, ChecklistItem]], judged: _Judged, linked_before: set[int]
) -> None:
    """One consistency item for each claim that has a variant in an earlier article, in the
    later article, naming the other wording. A check whose pair this linking judged no
    longer a variant (the wording was corrected, the claim left the text) goes, unless
    someone worked on it. A claim keeps the check it has while that pair is still a variant."""
    other_articles = {
        a.pk: a for a in Article.objects.filter(pk__in={other.article_id for _, other in variants}).only("pk", "title", "created_at")
    }
    # For each claim that gets a check (the later of each pair): its variants, most recent first.
    candidates: dict[tuple[int, int], list[tuple[ChecklistItem, ChecklistItem, Article]]] = {}
    for mine, other in variants:
        other_article = other_articles[other.article_id]
        later_is_mine = (article.created_at, article.pk) >= (other_article.created_at, other_article.pk)
        here, there, there_article = (mine, other, other_article) if later_is_mine else (other, mine, article)
        candidates.setdefault((here.article_id, here.pk), []).append((here, there, there_article))
    # The checks naming this article's claims are in it, or in an article linked to it.
    articles_concerned = {article.pk} | {key[0] for key in candidates} | linked_before
    existing = list(
        ChecklistItem.objects.filter(
            article_id__in=articles_concerned, origin=ItemOrigin.LINKED, kind=ItemKind.CONSISTENCY
        ).current().order_by("start", "end", "kind", "pk")
    )
    kept: dict[tuple[int, int], ChecklistItem] = {}
    stale = []
    for check in existing:
        here_pk, there_pk = _variant_of(check, "item_here"), _variant_of(check, "item")
        was_judged, relation = judged.relation(here_pk, there_pk)
        still_variant = not was_judged or relation == ClaimRelation.VARIANT
        if still_variant and (check.article_id, here_pk) not in kept:
            kept[(check.article_id, here_pk)] = check
        else:
            stale.append(check)  # no longer a variant, or a second check of one claim
    gone_ids = list(
        ChecklistItem.objects.filter(pk__in=[item.pk for item in stale]).without_editorial_work().order_by()
        .values_list("pk", flat=True)
    )
    for item in ChecklistItem.objects.filter(pk__in=gone_ids):
        item._change_reason = "the two wordings no longer differ"
        item.delete()  # its article's progress is recounted by the delete signal
    wanting = [found[0] for key, found in candidates.items() if key not in kept]  # the most recent variant
    if wanting:
        policy = tier_policy()
        new = [_variant_item(*found, policy) for found in wanting]
        bulk_create_with_history(new, ChecklistItem, default_change_reason="a variant found across the desk")
        from .progress import article_progress_refresh

        article_progress_refresh({item.article_id for item in new})


def _variant_of(item: ChecklistItem, field: str) -> int | None:
    value = item.value if isinstance(item.value, dict) else {}
    return (value.get("variant_of") or {}).get(field)


def _variant_item(here: ChecklistItem, there: ChecklistItem, there_article: Article, policy) -> ChecklistItem:
    mine_words, their_words = matching.changed_words(here.text, there.text)
    title = there_article.title or f"article {there_article.pk}"
    if here.kind in matching.FIGURE_KINDS:
        guidance = f"'{title}' gives this figure as {there.text}: find which is right and correct the other."
    else:
        what = "quote" if here.kind == ItemKind.QUOTE else "claim"
        guidance = f"'{title}' words this {what} differently: {_difference_in_words(mine_words, their_words)}. Check which wording is right."
    return ChecklistItem(
        article_id=here.article_id,
        kind=ItemKind.CONSISTENCY,
        start=here.start,
        end=here.end,
        text=here.text,
        sentence=here.sentence,
        speaker=here.speaker,
        value={
            "variant_of": {
                "item_here": here.pk,
                "item": there.pk,
                "article": there.article_id,
                "title": there_article.title,
                "text": there.text,
                "speaker": there.speaker,
            },
            "changed_here": mine_words,
            "changed_there": their_words,
        },
        guidance=guidance,
        priority=VARIANT_PRIORITY,
        tier=tier_for(policy, kind=ItemKind.CONSISTENCY, source_type=None, priority=VARIANT_PRIORITY),
        origin=ItemOrigin.LINKED,
        anchored_revision=here.anchored_revision,
    )


def _difference_in_words(here: list[str], there: list[str]) -> str:
    quoted = lambda found: ", ".join(f"'{w.strip()}'" for w in found if w.strip())  # noqa: E731
    if here and there:
        return f"{quoted(there)} there, {quoted(here)} here"
    if there:
        return f"{quoted(there)} there, not here"
    return f"{quoted(here)} here, not there"


# --- incorrect elsewhere ----------------------------------------------------------------


def _raise_priority_of_items_related_to_incorrect(pairs) -> None:
    """An item whose related claim was found incorrect elsewhere is checked first."""
    raised = []
    for mine, other in pairs:
        for item, related in ((mine, other), (other, mine)):
            if related.state == ItemState.INCORRECT and item.priority < INCORRECT_ELSEWHERE_PRIORITY:
                raised.append(item.pk)
    if raised:
        items_raise_priority(item_ids=raised, reason="a related claim was found incorrect")


def items_raise_priority(*, item_ids, reason: str, to: int = INCORRECT_ELSEWHERE_PRIORITY) -> None:
    """Raise these items to priority ``to`` (those below it), with the reason in their history."""
    items = list(ChecklistItem.objects.filter(pk__in=set(item_ids), priority__lt=to).select_for_update())
    for item in items:
        item.priority = to
        item.version += 1
        item._change_reason = reason
    if items:
        bulk_update_with_history(items, ChecklistItem, ["priority", "version"], default_change_reason=reason)


def related_found_incorrect(*, item: ChecklistItem) -> None:
    """``item`` was just marked incorrect: the claims linked to it are checked first, once
    the verdict commits, in a transaction of their own. They are in other articles, whose
    locks the verdict's transaction, holding its own article's, must not wait for (two
    editors marking two linked claims incorrect at once would each wait for the other)."""
    item_id = item.pk
    transaction.on_commit(lambda: _raise_priority_of_claims_related_to(item_id), robust=True)


def _raise_priority_of_claims_related_to(item_id: int) -> None:
    with transaction.atomic():
        related = list(ClaimLink.objects.filter(item_id=item_id).values_list("other_id", flat=True))
        articles_lock_for_items(related)
        items_raise_priority(item_ids=related, reason=f"a related claim (item {item_id}) was found incorrect")


# --- stories ----------------------------------------------------------------------------


def _place_in_story(article: Article, pairs, name_keys: dict[int, int], holders) -> int | None:
    """Join the story the article shares most with, or start one; an article an editor
    placed stays where it is."""
    article = Article.objects.only("pk", "title", "story_id", "story_pinned").get(pk=article.pk)  # locked by the caller
    if article.story_pinned and article.story_id:
        return article.story_id
    by_article: Counter[int] = Counter()
    for _, other, _relation in pairs:
        by_article[other.article_id] += CLAIM_WEIGHT
    for key in name_keys:
        found = holders.get(key, ())
        weight = NAME_WEIGHT / 2 if len(found) >= HOLDERS_PER_KEY else NAME_WEIGHT
        for holder_article in {a for _, a in found}:
            by_article[holder_article] += weight
    stories: Counter[int] = Counter()
    for other_article, story_id in Article.objects.filter(pk__in=list(by_article), story__isnull=False).values_list(
        "pk", "story_id"
    ):
        stories[story_id] = max(stories[story_id], by_article[other_article])
    best = max(stories.items(), key=lambda pair: (pair[1], pair[0] == article.story_id, pair[0]), default=None)
    if best is not None and best[1] >= JOIN_SCORE:
        story_id = article.story_id if article.story_id and stories.get(article.story_id, 0) >= JOIN_SCORE else best[0]
    elif article.story_id and Article.objects.filter(story_id=article.story_id).count() == 1:
        return article.story_id  # already alone in its own story
    else:
        story_id = Story.objects.create(name=_story_name(article)).pk
    if story_id != article.story_id:
        previous = article.story_id
        Article.objects.filter(pk=article.pk).update(story_id=story_id)
        Story.objects.filter(pk=story_id).update(updated_at=timezone.now())
        _drop_if_empty(previous)
    return story_id


def _story_name(article: Article) -> str:
    """The name of a story started by ``article``: its title, shortened on a word boundary."""
    title = " ".join((article.title or "").split()) or f"Story of article {article.pk}"
    return title if len(title) <= STORY_NAME_LENGTH else title[: STORY_NAME_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _drop_if_empty(story_id: int | None) -> None:
    if story_id is not None:
        Story.objects.filter(pk=story_id).annotate(n=Count("articles")).filter(n=0).delete()


def drop_story_left_empty(sender, instance: Article, **kwargs) -> None:
    """``post_delete`` of an article: a story it leaves without articles goes with it."""
    _drop_if_empty(instance.story_id)


def stories_merge(*, into: Story, stories: list[Story], by) -> Story:
    """Move every article of ``stories`` into ``into`` and delete the emptied stories."""
    if not roles.can_manage_stories(by):
        raise PermissionDenied("Only editors merge stories.")
    others = [story.pk for story in stories if story.pk != into.pk]
    if not others:
        raise WorkflowError("Choose at least one other story to merge into this one.")
    with transaction.atomic():
        articles_lock(Article.objects.filter(story_id__in=[into.pk, *others]).values_list("pk", flat=True))
        Article.objects.filter(story_id__in=others).update(story=into, story_pinned=True)
        Article.objects.filter(story=into).update(story_pinned=True)
        for story in Story.objects.filter(pk__in=others):
            story._history_user = by
            story._change_reason = f"merged into story {into.pk}"
            story.delete()
        into.save(update_fields=["updated_at"])
    return into


def story_split(*, story: Story, article_ids: list[int], by, name: str = "") -> Story:
    """Move the given articles of ``story`` into a new story; both keep their articles from
    then on (automatic grouping no longer moves them)."""
    if not roles.can_manage_stories(by):
        raise PermissionDenied("Only editors split stories.")
    with transaction.atomic():
        articles_lock(Article.objects.filter(story=story).values_list("pk", flat=True))
        members = set(Article.objects.filter(story=story).values_list("pk", flat=True))
        moving = [pk for pk in dict.fromkeys(article_ids) if pk in members]
        if not moving:
            raise WorkflowError("Choose the articles to move to a new story.")
        if len(moving) == len(members):
            raise WorkflowError("A split leaves at least one article in the story.")
        first = Article.objects.filter(pk__in=moving).order_by("created_at", "pk").first()
        new = Story(name=name.strip() or _story_name(first), name_pinned=bool(name.strip()))
        new._history_user = by
        new._change_reason = f"split from story {story.pk}"
        new.save()
        Article.objects.filter(pk__in=moving).update(story=new, story_pinned=True)
        Article.objects.filter(story=story).update(story_pinned=True)
    return new


def story_rename(*, story: Story, name: str, by) -> Story:
    if not roles.can_manage_stories(by):
        raise PermissionDenied("Only editors name stories.")
    name = " ".join((name or "").split())
    if not name:
        raise WorkflowError("A story needs a name.")
    story.name, story.name_pinned = name[:300], True
    story._history_user = by
    story._change_reason = "renamed"
    story.save(update_fields=["name", "name_pinned", "updated_at"])
    return story


def articles_move_to_story(*, article_ids: list[int], story: Story | None, by, name: str = "") -> Story:
    """An editor puts these articles in ``story`` (None: a new story, named ``name`` or after
    the first of them); they stay there whatever automatic grouping finds later."""
    if not roles.can_manage_stories(by):
        raise PermissionDenied("Only editors move articles between stories.")
    with transaction.atomic():
        articles_lock(article_ids)
        articles = list(Article.objects.filter(pk__in=article_ids).only("pk", "title", "story_id").order_by("created_at", "pk"))
        if not articles:
            raise WorkflowError("Choose the articles to move.")
        if story is None:
            story = Story(name=name.strip() or _story_name(articles[0]), name_pinned=bool(name.strip()))
            story._history_user = by
            story.save()
        Article.objects.filter(pk__in=[a.pk for a in articles]).update(story=story, story_pinned=True)
        for previous in {a.story_id for a in articles} - {story.pk}:
            _drop_if_empty(previous)
    return story


# --- verdicts adopted -------------------------------------------------------------------


def item_adopt_verdict(*, item_id: int, from_item_id: int, by, expected_version: int | None = None) -> ChecklistItem:
    """Give the item the verdict a colleague reached on the same claim in another article.

    Only a claim linked as the *same* can lend its verdict; a variant's wording differs, so
    its verdict is shown but must be reached again. The note says where the verdict comes
    from and carries its sources; the history records the adoption.
    """
    from .items import _apply_state, _lock_item

    with transaction.atomic():
        item = _lock_item(item_id, expected_version)
        link = (
            ClaimLink.objects.filter(item=item, other_id=from_item_id)
            .select_related("other__article", "other__state_changed_by")
            .first()
        )
        if link is None:
            raise WorkflowError(f"Item {from_item_id} is not a claim related to this one.")
        source = link.other
        if link.relation != ClaimRelation.SAME:
            raise TransitionNotAllowed(
                "That claim is worded differently (a variant): its verdict cannot be adopted as is; check this wording."
            )
        if source.state not in ItemState.resolved() | {ItemState.INCORRECT}:
            raise WorkflowError(f"Item {source.pk} has no verdict yet: it is {source.get_state_display().lower()}.")
        note, origin = _adoption_note(source)
        return _apply_state(
            item, source.state, by=by, note=note, source=origin, reason=f"adopt verdict of item {source.pk}"
        )


def _adoption_note(source: ChecklistItem) -> tuple[str, str]:
    article = source.article
    who = source.state_changed_by.get_username() if source.state_changed_by else "someone"
    when = timezone.localtime(source.state_changed_at).strftime("%Y-%m-%d %H:%M") if source.state_changed_at else ""
    sources = [s for s in Note.objects.filter(item=source).exclude(source="").values_list("source", flat=True)]
    lines = [
        f"{source.get_state_display()} in '{article.title or f'article {article.pk}'}' (item {source.pk}) by {who}"
        + (f", {when}" if when else "")
        + "; verdict adopted.",
    ]
    if sources:
        lines.append("Sources: " + "; ".join(dict.fromkeys(sources)))
    origin = reverse("newsroom:article", args=[article.pk]) + f"#item-{source.pk}"
    return "\n".join(lines), origin
