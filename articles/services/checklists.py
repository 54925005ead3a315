"""Writes to checklists: enqueue extraction after commit, store what the engine found."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..anchoring import CHANGED, REMOVED, Relocation, TextDiff
from ..extraction.sentences import Layout, sentence_text
from ..extraction import Claim, engine_version, extract_claims
from ..models import (
    Article,
    ArticleRevision,
    ItemAnchor,
    ChecklistItem,
    ChecklistStatus,
    ExtractionRun,
    ItemOrigin,
    ItemState,
    ItemTier,
    Note,
    RunStatus,
)

from .progress import article_progress_refresh
from .leases import extraction_lease, leases_supported, orphaned_among
from .queueing import enqueue_after_commit
from .tiers import tier_policy
from .webhooks import webhooks_checklist_ready

logger = logging.getLogger(__name__)

NEVER_SENT_GRACE = datetime.timedelta(seconds=5)


def checklist_request(*, article_id: int) -> None:
    """Enqueue extraction of the article's checklist once the current transaction commits.

    Until the message reaches the broker the article's ``checklist_due_at`` is empty; with
    the broker down it stays so, and beat's recovery sends it when the broker is back.
    """
    Article.objects.filter(pk=article_id).update(checklist_due_at=None)
    enqueue_after_commit(
        "extract_article_checklist",
        article_id,
        what=f"extraction of article {article_id}",
        on_sent=partial(_mark_due, [article_id]),
    )


def checklist_extract(*, article_id: int, task_id: str = "") -> ExtractionRun | None:
    """Extract the article's checklist and store it; safe to run any number of times.

    Returns None without doing anything when the article is gone, another worker is
    extracting it right now, or its checklist is already extracted from this very body by
    this engine (a message delivered twice).
    """
    with extraction_lease(article_id) as held:
        if not held:
            logger.info("article %s is being extracted by another worker", article_id)
            return None
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            logger.info("article %s no longer exists; nothing to extract", article_id)
            return None
        if _already_extracted(article):
            return None
        return _extract(article, task_id)


def checklist_retry_later(*, article_id: int, countdown: int) -> None:
    """The extraction met a passing error and is sent again after ``countdown`` seconds."""
    Article.objects.filter(pk=article_id).update(
        checklist_status=ChecklistStatus.PENDING,
        is_ready=False,
        checklist_changed_at=timezone.now(),
        checklist_due_at=timezone.now() + datetime.timedelta(seconds=countdown),
    )


def _already_extracted(article: Article) -> bool:
    return (
        article.checklist_status == ChecklistStatus.READY
        and ExtractionRun.objects.filter(
            article=article,
            status=RunStatus.SUCCEEDED,
            content_hash=article.content_hash,
            extractor_version=engine_version(),
        ).exists()
    )


def _extract(article: Article, task_id: str) -> ExtractionRun:
    article_id = article.pk
    _abandon_unfinished_runs(article_id)
    run = ExtractionRun.objects.create(
        article=article, task_id=task_id, content_hash=article.content_hash, extractor_version=engine_version()
    )
    _set_checklist_status(article_id, ChecklistStatus.RUNNING)
    try:
        published_on = article.published_at.date() if article.published_at else None
        claims = extract_claims(article.body, published_on=published_on, tier_policy=tier_policy())
        with transaction.atomic():
            locked = Article.objects.select_for_update().get(pk=article_id)
            if locked.content_hash != article.content_hash:
                # A newer body arrived while we worked; its own extraction is queued.
                _finish_run(run, RunStatus.SUPERSEDED)
                return run
            checklist_store(article=locked, claims=claims)
            _set_checklist_status(article_id, ChecklistStatus.READY)
            article_progress_refresh([article_id])
            _finish_run(run, RunStatus.SUCCEEDED, item_count=len(claims))
            locked.checklist_status = ChecklistStatus.READY
            webhooks_checklist_ready(
                article=locked,
                item_count=len(claims),
                required_count=sum(claim.tier == ItemTier.REQUIRED for claim in claims),
            )
    except Exception as error:
        _finish_run(run, RunStatus.FAILED, error=f"{type(error).__name__}: {error}")
        raise
    return run


def checklist_mark_failed(*, article_id: int) -> None:
    _set_checklist_status(article_id, ChecklistStatus.FAILED)


def checklist_store(*, article: Article, claims: list[Claim]) -> None:
    """Make the article's checklist match ``claims`` for its current body without losing editors' work.

    Items found for an earlier revision are first moved into the current text
    (``_reanchor_items``). Then a claim and an item are the same when kind and span are
    equal: the item keeps its state, assignee and notes. A claim overlapping an item of
    its kind whose words changed takes that item over; one overlapping an item someone
    worked on is that item. Other claims become new items.
    Engine items nobody has touched and that are no longer found are deleted; touched
    ones stay; items whose words left the text are kept, marked removed.
    """
    items = _reanchor_items(article)
    by_span = {(item.kind, item.start, item.end): item for item in items}
    unique_claims, seen = [], set()
    for claim in claims:
        if (claim.kind, claim.start, claim.end) not in seen:
            seen.add((claim.kind, claim.start, claim.end))
            unique_claims.append(claim)

    refreshed_fields = ("start", "end", "text", "sentence", "speaker", "value", "guidance", "priority", "tier")
    matched: set[int] = set()
    pairs: list[tuple[Claim, ChecklistItem | None]] = []
    for claim in unique_claims:  # the same span first, so that it always wins
        item = by_span.get((claim.kind, claim.start, claim.end))
        if item is not None:
            matched.add(item.pk)
        pairs.append((claim, item))
    for index, (claim, item) in enumerate(pairs):  # then an item of the kind over the same words
        if item is None:
            item = _overlapping_item(claim, items, matched)
            if item is not None:
                matched.add(item.pk)
                pairs[index] = (claim, item)

    to_create, to_update = [], []
    for claim, item in pairs:
        if item is None:
            to_create.append(
                ChecklistItem(
                    article=article, origin=ItemOrigin.AUTO, anchored_revision=article.revision, **_item_fields(claim)
                )
            )
            continue
        if item.origin == ItemOrigin.MANUAL:
            continue  # an editor wrote this item; the engine does not rewrite it
        if item.anchor == ItemAnchor.FOUND and (item.start, item.end) != (claim.start, claim.end):
            continue  # someone worked on the item as it is; the engine's other reading of the words waits
        fields = _item_fields(claim)
        if item.tier_pinned:
            fields["tier"] = item.tier  # an editor chose it
        if any(getattr(item, name) != fields[name] for name in refreshed_fields):
            for name in refreshed_fields:
                setattr(item, name, fields[name])
            item.version += 1
            to_update.append(item)

    untouched_gone = [
        item.pk
        for item in items
        if item.pk not in matched
        and item.anchor == ItemAnchor.FOUND
        and not item.has_editorial_work
    ]
    ChecklistItem.objects.filter(pk__in=untouched_gone).delete()
    bulk_create_with_history(to_create, ChecklistItem, default_change_reason="found by the engine")
    if to_update:
        bulk_update_with_history(
            to_update, ChecklistItem, [*refreshed_fields, "version"], default_change_reason="refreshed by the engine"
        )


def _overlapping_item(claim: Claim, items: list[ChecklistItem], matched: set[int]) -> ChecklistItem | None:
    """A free item of the claim's kind over some of its words: one whose words changed, or one someone worked on.

    Such an item stands for the claim, so the checklist never holds two items of one kind
    over the same words.
    """
    candidates = [
        item
        for item in items
        if item.pk not in matched
        and item.kind == claim.kind
        and item.start < claim.end
        and claim.start < item.end
        and (item.anchor == ItemAnchor.CHANGED or item.has_editorial_work)
    ]
    return min(candidates, key=lambda item: (item.anchor != ItemAnchor.CHANGED, item.start), default=None)


def _current_items(article: Article) -> list[ChecklistItem]:
    """The article's current items, each knowing whether it has notes (``has_notes``), oldest first."""
    return list(
        ChecklistItem.objects.filter(article=article)
        .current()
        .annotate(has_notes=Exists(Note.objects.filter(item=OuterRef("pk"))))
        .order_by("pk")
    )


def _reanchor_items(article: Article) -> list[ChecklistItem]:
    """Move items anchored in an earlier revision into the current body; return the current items.

    Same words: new offsets, everything else kept. Changed words: reopened, marked
    changed, the old words kept for comparison. Words gone: marked removed, never
    deleted. Two items of one kind landing on the same words: the one with editors'
    work stays, the other is marked removed.
    """
    stale = list(
        ChecklistItem.objects.filter(article=article)
        .current()
        .exclude(anchored_revision=article.revision)
        .select_for_update()
        .order_by("pk")
    )
    if not stale:
        return _current_items(article)
    old_bodies = dict(
        ArticleRevision.objects.filter(
            article=article, number__in={item.anchored_revision for item in stale}
        ).values_list("number", "body")
    )
    diffs = {number: TextDiff(body, article.body) for number, body in old_bodies.items()}
    now = timezone.now()
    layout = Layout(article.body)
    reason = f"moved into revision {article.revision}"
    for item in stale:
        diff = diffs.get(item.anchored_revision)
        relocation = diff.relocate(item.start, item.end) if diff else Relocation(REMOVED)
        if relocation.status == REMOVED:
            item.anchor = ItemAnchor.REMOVED
            _save_reanchored(item, f"no longer in revision {article.revision}", ["anchor"])
            continue
        fields = ["start", "end", "text", "anchored_revision"]
        if relocation.status == CHANGED:
            item.previous_text = item.previous_text or item.text
            item.anchor = ItemAnchor.CHANGED
            fields += ["previous_text", "anchor"]
            if item.state != ItemState.OPEN:
                item.state, item.state_changed_at, item.state_changed_by = ItemState.OPEN, now, None
                fields += ["state", "state_changed_at", "state_changed_by"]
        item.start, item.end, item.text = relocation.start, relocation.end, relocation.text
        item.sentence = sentence_text(article.body, item.start, item.end, layout)
        item.anchored_revision = article.revision
        _save_reanchored(
            item,
            f"words changed in revision {article.revision}; reopened" if relocation.status == CHANGED else reason,
            [*fields, "sentence"],
        )
    return _remove_doubles(_current_items(article))


def _remove_doubles(items: list[ChecklistItem]) -> list[ChecklistItem]:
    """Mark removed all but the most worked-on item of each kind and span; return the others."""
    kept: dict[tuple, ChecklistItem] = {}
    for item in items:
        span = (item.kind, item.start, item.end)
        other = kept.get(span)
        if other is None:
            kept[span] = item
            continue
        loser = other if _work_weight(item) > _work_weight(other) else item
        kept[span] = item if loser is other else other
        loser.anchor = ItemAnchor.REMOVED
        _save_reanchored(loser, "another item covers the same words", ["anchor"])
    return [item for item in items if item.anchor != ItemAnchor.REMOVED]


def _work_weight(item: ChecklistItem) -> tuple:
    return (item.state != ItemState.OPEN, item.has_notes, item.assignee_id is not None, -item.pk)


def _save_reanchored(item: ChecklistItem, reason: str, fields: list[str]) -> None:
    item.version += 1
    item._change_reason = reason
    item.save(update_fields=[*fields, "version", "updated_at"])


def _item_fields(claim: Claim) -> dict:
    return {
        "kind": claim.kind,
        "start": claim.start,
        "end": claim.end,
        "text": claim.text,
        "sentence": claim.sentence,
        "speaker": claim.speaker or "",
        "value": claim.value,
        "guidance": claim.guidance,
        "priority": max(0, min(100, int(claim.priority))),
        "tier": claim.tier,
    }


@dataclass(frozen=True)
class Recovery:
    """What one recovery pass sent again, by reason."""

    never_sent: list[int]
    lost: list[int]
    orphaned: list[int]

    @property
    def article_ids(self) -> list[int]:
        return [*self.never_sent, *self.lost, *self.orphaned]


def checklist_recover(
    *,
    queue_is_empty: Callable[[], bool],
    lost_after: datetime.timedelta,
    stale_after: datetime.timedelta,
    now: datetime.datetime | None = None,
) -> Recovery:
    """Send again every extraction that would otherwise never happen; safe to run any time.

    - never sent: saved while the broker was unreachable (``checklist_due_at`` empty);
    - lost: due for ``lost_after`` and more while the queue holds nothing, so its message
      is gone (a Redis restarted without its data, a dead worker's retry);
    - orphaned: running, but no worker holds its lease (the worker died). Without leases
      (SQLite), running for ``stale_after`` counts as orphaned.
    A message sent twice costs one skipped task: extraction checks its lease and its
    finished runs first.
    """
    now = now or timezone.now()
    pending = Article.objects.filter(checklist_status=ChecklistStatus.PENDING)
    # A grace of a few seconds leaves alone the articles whose message is being sent right now.
    never_sent = list(
        Article.objects.waiting_for_broker()
        .filter(checklist_changed_at__lt=now - NEVER_SENT_GRACE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    lost = list(pending.filter(checklist_due_at__lt=now - lost_after).order_by("pk").values_list("pk", flat=True))
    if lost and not queue_is_empty():
        lost = []  # still waiting their turn behind others
    with transaction.atomic():
        running = Article.objects.filter(checklist_status=ChecklistStatus.RUNNING)
        if leases_supported():
            orphaned = orphaned_among(list(running.order_by("pk").values_list("pk", flat=True)))
        else:
            orphaned = list(running.filter(checklist_changed_at__lt=now - stale_after).values_list("pk", flat=True))
        if orphaned:
            _abandon_unfinished_runs(orphaned)
            Article.objects.filter(pk__in=orphaned, checklist_status=ChecklistStatus.RUNNING).update(
                checklist_status=ChecklistStatus.PENDING, checklist_changed_at=now
            )
        recovery = Recovery(never_sent=never_sent, lost=lost, orphaned=orphaned)
        for article_id in recovery.article_ids:
            enqueue_after_commit(
                "extract_article_checklist",
                article_id,
                what=f"extraction of article {article_id}",
                on_sent=partial(_mark_due, [article_id]),
                recovered=True,
            )
    if recovery.article_ids:
        logger.warning(
            "recovered extractions: %d never sent, %d lost, %d orphaned by a dead worker",
            len(never_sent),
            len(lost),
            len(orphaned),
        )
    return recovery


def _mark_due(article_ids: list[int]) -> None:
    Article.objects.filter(pk__in=article_ids).update(checklist_due_at=timezone.now())


def _set_checklist_status(article_id: int, status: str) -> None:
    """Set the status; readiness is recounted by the caller when it becomes ready, and is lost otherwise."""
    changes = {"checklist_status": status, "checklist_changed_at": timezone.now()}
    if status != ChecklistStatus.READY:
        changes["is_ready"] = False
    Article.objects.filter(pk=article_id).update(**changes)


def _finish_run(run: ExtractionRun, status: str, *, item_count: int | None = None, error: str = "") -> None:
    run.status = status
    run.item_count = item_count
    run.error = error[:5000]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "item_count", "error", "finished_at"])


def _abandon_unfinished_runs(article_ids: int | list[int]) -> None:
    if isinstance(article_ids, int):
        article_ids = [article_ids]
    ExtractionRun.objects.filter(article_id__in=article_ids, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, error="The worker stopped before finishing.", finished_at=timezone.now()
    )
