"""Writes to checklists: enqueue extraction after commit, store what the engine found."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..extraction import ENGINE_VERSION, Claim, extract_claims
from ..models import (
    Article,
    ChecklistItem,
    ChecklistStatus,
    ExtractionRun,
    ItemOrigin,
    ItemState,
    Note,
    RunStatus,
)

from .webhooks import webhooks_checklist_ready

logger = logging.getLogger(__name__)


def checklist_request(*, article_id: int) -> None:
    """Enqueue extraction of the article's checklist once the current transaction commits."""
    transaction.on_commit(partial(_send_extraction, article_id))


def _send_extraction(article_id: int) -> None:
    from ..tasks import extract_article_checklist

    try:
        extract_article_checklist.delay(article_id)
    except BrokerUnavailable as error:
        # The article is saved and stays pending; beat enqueues it again when the broker is back.
        logger.warning("could not enqueue extraction of article %s: %s", article_id, error)


def checklist_extract(*, article_id: int, task_id: str = "") -> ExtractionRun | None:
    """Extract the article's checklist and store it; safe to run any number of times."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        logger.info("article %s no longer exists; nothing to extract", article_id)
        return None
    _abandon_unfinished_runs(article_id)
    run = ExtractionRun.objects.create(
        article=article, task_id=task_id, content_hash=article.content_hash, extractor_version=ENGINE_VERSION
    )
    _set_checklist_status(article_id, ChecklistStatus.RUNNING)
    try:
        published_on = article.published_at.date() if article.published_at else None
        claims = extract_claims(article.body, published_on=published_on)
        with transaction.atomic():
            locked = Article.objects.select_for_update().get(pk=article_id)
            if locked.content_hash != article.content_hash:
                # A newer body arrived while we worked; its own extraction is queued.
                _finish_run(run, RunStatus.SUPERSEDED)
                return run
            checklist_store(article=locked, claims=claims)
            _set_checklist_status(article_id, ChecklistStatus.READY)
            _finish_run(run, RunStatus.SUCCEEDED, item_count=len(claims))
            locked.checklist_status = ChecklistStatus.READY
            webhooks_checklist_ready(article=locked, item_count=len(claims))
    except Exception as error:
        _finish_run(run, RunStatus.FAILED, error=f"{type(error).__name__}: {error}")
        raise
    return run


def checklist_mark_failed(*, article_id: int) -> None:
    _set_checklist_status(article_id, ChecklistStatus.FAILED)


def checklist_store(*, article: Article, claims: list[Claim]) -> None:
    """Make the article's engine-found items match ``claims`` without losing editors' work.

    An item is the same claim when kind, span and text are equal: it keeps its state,
    assignee and notes. Engine items nobody has touched and that are no longer found are
    deleted; touched ones stay.
    """
    existing = {
        (item.kind, item.start, item.end, item.text): item
        for item in ChecklistItem.objects.filter(article=article, origin=ItemOrigin.AUTO).annotate(
            has_notes=Exists(Note.objects.filter(item=OuterRef("pk")))
        )
    }
    wanted: dict[tuple, Claim] = {}
    for claim in claims:
        wanted.setdefault((claim.kind, claim.start, claim.end, claim.text), claim)

    refreshed_fields = ("sentence", "speaker", "value", "guidance", "priority")
    to_create, to_update = [], []
    for key, claim in wanted.items():
        item = existing.get(key)
        if item is None:
            to_create.append(ChecklistItem(article=article, origin=ItemOrigin.AUTO, **_item_fields(claim)))
            continue
        fields = _item_fields(claim)
        if any(getattr(item, name) != fields[name] for name in refreshed_fields):
            for name in refreshed_fields:
                setattr(item, name, fields[name])
            item.version += 1
            to_update.append(item)

    untouched_gone = [
        item.pk
        for key, item in existing.items()
        if key not in wanted
        and not item.has_notes
        and item.state == ItemState.OPEN
        and item.assignee_id is None
    ]
    ChecklistItem.objects.filter(pk__in=untouched_gone).delete()
    bulk_create_with_history(to_create, ChecklistItem, default_change_reason="found by the engine")
    if to_update:
        bulk_update_with_history(
            to_update, ChecklistItem, [*refreshed_fields, "version"], default_change_reason="refreshed by the engine"
        )


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
    }


def checklist_requeue_stale(*, older_than: datetime.timedelta) -> list[int]:
    """Enqueue again the articles whose checklist has waited too long (lost message, broker outage)."""
    cutoff = timezone.now() - older_than
    article_ids = list(
        Article.objects.filter(
            checklist_status__in=[ChecklistStatus.PENDING, ChecklistStatus.RUNNING],
            checklist_changed_at__lt=cutoff,
        ).values_list("pk", flat=True)
    )
    for article_id in article_ids:
        _send_extraction(article_id)
    return article_ids


def _set_checklist_status(article_id: int, status: str) -> None:
    Article.objects.filter(pk=article_id).update(checklist_status=status, checklist_changed_at=timezone.now())


def _finish_run(run: ExtractionRun, status: str, *, item_count: int | None = None, error: str = "") -> None:
    run.status = status
    run.item_count = item_count
    run.error = error[:5000]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "item_count", "error", "finished_at"])


def _abandon_unfinished_runs(article_id: int) -> None:
    ExtractionRun.objects.filter(article_id=article_id, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, error="The worker stopped before finishing.", finished_at=timezone.now()
    )
