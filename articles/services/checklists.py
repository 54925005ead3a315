"""Writes to checklists: enqueue extraction after commit, store what the engine found."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

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

from .bulk import insert_rows, value_preparer
from .progress import article_progress_refresh
from .leases import extraction_lease, leases_supported, orphaned_among
from .queueing import enqueue_after_commit, enqueue_each_after_commit
from .evidence import evidence_request
from .stories import article_link, desk_link_request
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


def checklist_request_many(*, article_ids: list[int], already_due: Sequence[int] = ()) -> None:
    """``checklist_request`` for many articles at once: one update, and one callback after
    commit that sends every message. ``already_due``: articles just created, whose
    ``checklist_due_at`` is still empty."""
    if not article_ids:
        return
    to_clear = sorted(set(article_ids) - set(already_due))
    if to_clear:
        Article.objects.filter(pk__in=to_clear).update(checklist_due_at=None)
    enqueue_each_after_commit(
        "extract_article_checklist",
        [(article_id,) for article_id in article_ids],
        what=f"extraction of {len(article_ids)} article(s)",
        on_sent=lambda sent: _mark_due([article_id for (article_id,) in sent]),
    )


def checklist_extract(*, article_id: int, task_id: str = "", link_now: bool = True) -> ExtractionRun | None:
    """Extract the article's checklist and store it; safe to run any number of times.

    Returns None without doing anything when the article is gone, another worker is
    extracting it right now, or its checklist is already extracted from this very body by
    this engine (a message delivered twice). The stored checklist is linked to the story
    desk in the same transaction, or, not ``link_now`` (the worker), by a task of its own
    sent after commit behind the waiting extractions: the checklist is ready without
    waiting for the desk. Linking in the same transaction takes the desk's lock while
    holding the article's, the reverse of the common order (``locks``): it is for callers
    alone on the desk (commands, benchmarks, tests), never beside running workers.
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
        return _extract(article, task_id, link_now)


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


def _extract(article: Article, task_id: str, link_now: bool) -> ExtractionRun:
    article_id = article.pk
    with transaction.atomic():  # one commit for the run's start
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
            evidence_request(article_id=article_id)
            _set_checklist_status(article_id, ChecklistStatus.READY)
            article_progress_refresh([article_id])
            _finish_run(run, RunStatus.SUCCEEDED, item_count=len(claims))
            locked.checklist_status = ChecklistStatus.READY
            webhooks_checklist_ready(
                article=locked,
                item_count=len(claims),
                required_count=sum(claim.tier == ItemTier.REQUIRED for claim in claims),
            )
            if link_now:
                # Last: linking takes the desk's lock, held until this transaction commits, so
                # every other worker's linking waits only for the linking itself.
                article_link(article=locked)
            else:
                desk_link_request(article_id=article_id)
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

    One transaction (the caller's, when there is one) and a few queries however many
    items there are: the items are read once (after a new revision, those to move are
    locked, and read again only if someone changed them meanwhile, with the old body); the writes are a delete, an insert, an
    update per set of changed fields (per thousand items) and one insert of history rows,
    one row per change as before. The progress counts are the caller's to refresh
    (``article_progress_refresh``): these bulk writes send no per-item signals.
    """
    with transaction.atomic(savepoint=False):
        changes = _ItemChanges()
        items = _reanchor_items(article, changes)
        # Items the desk's linking made (variants of other articles' claims) are its own to keep.
        _merge_claims(article, claims, [item for item in items if item.origin != ItemOrigin.LINKED], changes)
        changes.write()


def _merge_claims(article: Article, claims: list[Claim], items: list[ChecklistItem], changes: _ItemChanges) -> None:
    by_span = {(item.kind, item.start, item.end): item for item in items}
    unique_claims, seen = [], set()
    for claim in claims:
        if (claim.kind, claim.start, claim.end) not in seen:
            seen.add((claim.kind, claim.start, claim.end))
            unique_claims.append(claim)

    matched: set[int] = set()
    pairs: list[tuple[Claim, ChecklistItem | None]] = []
    for claim in unique_claims:  # the same span first, so that it always wins
        item = by_span.get((claim.kind, claim.start, claim.end))
        if item is not None:
            matched.add(item.pk)
        pairs.append((claim, item))
    # Only items whose words changed or that someone worked on can stand for another span.
    claimable = [item for item in items if item.anchor == ItemAnchor.CHANGED or item.has_editorial_work]
    for index, (claim, item) in enumerate(pairs):  # then an item of the kind over the same words
        if item is None:
            item = _overlapping_item(claim, claimable, matched)
            if item is not None:
                matched.add(item.pk)
                pairs[index] = (claim, item)

    for claim, item in pairs:
        if item is None:
            changes.create(
                ChecklistItem(
                    article=article, origin=ItemOrigin.AUTO, anchored_revision=article.revision, **item_fields(claim)
                )
            )
            continue
        if item.origin == ItemOrigin.MANUAL:
            continue  # an editor wrote this item; the engine does not rewrite it
        if item.anchor == ItemAnchor.FOUND and (item.start, item.end) != (claim.start, claim.end):
            continue  # someone worked on the item as it is; the engine's other reading of the words waits
        fields = item_fields(claim)
        if item.tier_pinned:
            fields["tier"] = item.tier  # an editor chose it
        if any(getattr(item, name) != fields[name] for name in REFRESHED_FIELDS):
            for name in REFRESHED_FIELDS:
                setattr(item, name, fields[name])
            changes.update(item, REFRESHED_FIELDS, "refreshed by the engine", touch=False)

    for item in items:
        if item.pk not in matched and item.anchor == ItemAnchor.FOUND and not item.has_editorial_work:
            changes.delete(item)


REFRESHED_FIELDS = ("start", "end", "text", "sentence", "speaker", "value", "guidance", "priority", "tier")


def _overlapping_item(claim: Claim, items: list[ChecklistItem], matched: set[int]) -> ChecklistItem | None:
    """A free item of the claim's kind over some of its words, among ``items``: those whose
    words changed or that someone worked on (the caller passes only those).

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
    ]
    return min(candidates, key=lambda item: (item.anchor != ItemAnchor.CHANGED, item.start), default=None)


def _current_items(article: Article, *, pks: list[int] | None = None) -> list[ChecklistItem]:
    """The article's current items (or those of ``pks``), each knowing whether it has notes (``has_notes``), oldest first."""
    items = (
        ChecklistItem.objects.filter(article=article)
        .current()
        .annotate(has_notes=Exists(Note.objects.filter(item=OuterRef("pk"))))
        .order_by("pk")
    )
    if pks is not None:
        items = items.filter(pk__in=pks)
    return list(items)


def _reanchor_items(article: Article, changes: _ItemChanges) -> list[ChecklistItem]:
    """Move items anchored in an earlier revision into the current body; return the current items.

    Same words: new offsets, everything else kept. Changed words: reopened, marked
    changed, the old words kept for comparison. Words gone: marked removed, never
    deleted. Two items of one kind landing on the same words: the one with editors'
    work stays, the other is marked removed. The changes are recorded in ``changes``,
    written by the caller.
    """
    items = _current_items(article)
    stale = [item for item in items if item.anchored_revision != article.revision]
    if not stale:
        return items
    # Lock the items about to move, so nobody changes them while they do, and read again only
    # those someone changed (a new version) or deleted since the read above.
    versions = dict(
        ChecklistItem.objects.filter(pk__in=[item.pk for item in stale])
        .select_for_update()
        .values_list("pk", "version")
    )
    changed = {item.pk for item in stale if versions.get(item.pk) != item.version}
    if changed:
        fresh = {item.pk: item for item in _current_items(article, pks=list(changed))}
        items = [fresh.get(item.pk) if item.pk in changed else item for item in items]
        items = [item for item in items if item is not None]
    stale = [item for item in items if item.anchored_revision != article.revision]
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
            changes.update(item, ["anchor"], f"no longer in revision {article.revision}")
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
        changes.update(
            item,
            [*fields, "sentence"],
            f"words changed in revision {article.revision}; reopened" if relocation.status == CHANGED else reason,
        )
    return _remove_doubles([item for item in items if item.anchor != ItemAnchor.REMOVED], changes)


def _remove_doubles(items: list[ChecklistItem], changes: _ItemChanges) -> list[ChecklistItem]:
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
        changes.update(loser, ["anchor"], "another item covers the same words")
    return [item for item in items if item.anchor != ItemAnchor.REMOVED]


def _work_weight(item: ChecklistItem) -> tuple:
    return (item.state != ItemState.OPEN, item.has_notes, item.assignee_id is not None, -item.pk)


class _ItemChanges:
    """Changes to one article's items, gathered in memory and written in a few statements.

    Every change is in the items' history, one row per change as saving each item would
    have written, all inserted at once. Items are updated in one statement per set of
    changed fields, so that no field is written that this store did not change.
    """

    def __init__(self) -> None:
        self._created: list[ChecklistItem] = []
        self._updated: dict[int, tuple[ChecklistItem, set[str]]] = {}
        self._deleted: dict[int, ChecklistItem] = {}
        self._history: list = []
        self._history_model = ChecklistItem.history.model
        self._tracked = [field.attname for field in self._history_model.tracked_fields]
        self._history_by: tuple | None = None

    def create(self, item: ChecklistItem) -> None:
        self._created.append(item)

    def update(self, item: ChecklistItem, fields, reason: str, *, touch: bool = True) -> None:
        """Record a change of ``fields`` (already set on ``item``) with its reason; the version goes up.

        ``touch`` also sets ``updated_at``, as saving the item would.
        """
        item.version += 1
        changed = {*fields, "version"}
        if touch:
            item.updated_at = timezone.now()
            changed.add("updated_at")
        self._updated.setdefault(item.pk, (item, set()))[1].update(changed)
        self._history.append(self._history_row(item, "~", reason))

    def delete(self, item: ChecklistItem) -> None:
        self._deleted[item.pk] = item

    def write(self) -> None:
        if self._deleted:
            # Lock the rows and look again: an item someone started working on meanwhile stays.
            gone = list(
                ChecklistItem.objects.filter(pk__in=list(self._deleted))
                .without_editorial_work()
                .select_for_update()
                .values_list("pk", flat=True)
            )
            if gone:
                # Deleted directly: the per-item signals would write history and recount progress
                # once per item; the history is written below, the caller recounts.
                ChecklistItem.objects.filter(pk__in=gone)._raw_delete(ChecklistItem.objects.db)
            self._history += [self._history_row(self._deleted[pk], "-", None) for pk in gone]
            for pk in gone:
                self._updated.pop(pk, None)
        if self._created and not connections[ChecklistItem.objects.db].features.can_return_rows_from_bulk_insert:
            # Without the new keys the history rows cannot be made here: the library reads them back.
            bulk_create_with_history(self._created, ChecklistItem, default_change_reason="found by the engine")
        elif self._created:
            ChecklistItem.objects.bulk_create(self._created)
            self._history += [self._history_row(item, "+", "found by the engine") for item in self._created]
        by_fields: dict[tuple[str, ...], list[ChecklistItem]] = {}
        for item, fields in self._updated.values():
            by_fields.setdefault(tuple(sorted(fields)), []).append(item)
        for fields, items in by_fields.items():
            _update_items(items, fields)
        if self._history and getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            insert_rows(self._history_model, self._history)

    def _history_row(self, item: ChecklistItem, history_type: str, reason: str | None):
        """The history row saving ``item`` now would write (one time and one user for the
        whole store: it is one transaction, on behalf of one request or task)."""
        model = self._history_model
        if self._history_by is None:
            self._history_by = (timezone.now(), model.get_default_history_user(item))
        when, user = self._history_by
        return model(
            history_date=when,
            history_type=history_type,
            history_user=user,
            history_change_reason=reason,
            **{attname: getattr(item, attname) for attname in self._tracked},
        )


UPDATE_BATCH = 1000


def _update_items(items: list[ChecklistItem], fields: tuple[str, ...]) -> None:
    """Write ``fields`` of ``items``: one statement per thousand items.

    On PostgreSQL an ``UPDATE ... FROM (VALUES ...)``, whose cost grows with the number of
    rows; Django's ``bulk_update`` builds one ``CASE`` over every row for each field, which
    the database evaluates row by row, and grows with its square (minutes for ten
    thousand items). Elsewhere ``bulk_update`` in batches.
    """
    connection = connections[ChecklistItem.objects.db]
    if connection.vendor != "postgresql":
        ChecklistItem.objects.bulk_update(items, fields, batch_size=UPDATE_BATCH)
        return
    quote = connection.ops.quote_name
    meta = ChecklistItem._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    table = quote(meta.db_table)
    names = ", ".join(quote(column.column) for column in columns)
    assignments = ", ".join(
        f"{quote(column.column)} = v.{quote(column.column)}::{column.cast_db_type(connection)}" for column in columns[1:]
    )
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    preparers = [(column.attname, value_preparer(column, connection)) for column in columns]
    with connection.cursor() as cursor:
        for first in range(0, len(items), UPDATE_BATCH):
            batch = items[first : first + UPDATE_BATCH]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([placeholders] * len(batch))}) AS v({names}) "
                f"WHERE {table}.{quote(meta.pk.column)} = v.{quote(meta.pk.column)}::{meta.pk.cast_db_type(connection)}",
                [prepare(getattr(item, attname)) for item in batch for attname, prepare in preparers],
            )


def item_fields(claim: Claim) -> dict:
    """The fields of a checklist item made from an engine claim."""
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
