"""Every write to articles and checklists goes through these functions.

Views, the API, management commands and tasks call them; none of them writes models
directly. Slow work (extraction) is enqueued only after the transaction commits.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from .extraction import ENGINE_VERSION, Claim, InvalidText, extract_claims, prepare_text
from .models import (
    Article,
    ArticleRevision,
    ChecklistItem,
    ChecklistStatus,
    ExtractionRun,
    ItemOrigin,
    ItemState,
    Note,
    RunStatus,
    content_hash,
)

logger = logging.getLogger(__name__)


class ArticleRejected(ValueError):
    """The input cannot be stored as an article; the message is for the person who sent it."""


class UpsertOutcome:
    CREATED = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class UpsertResult:
    article: Article
    outcome: str
    body_changed: bool


# --- articles ---------------------------------------------------------------------------


def article_import_bytes(
    raw: bytes,
    *,
    source: str,
    external_id: str,
    title: str | None = None,
    byline: str | None = None,
    url: str | None = None,
    published_at: datetime.datetime | None = None,
) -> UpsertResult:
    """Decode and clean raw article bytes (any common encoding), then upsert them."""
    if len(raw) > settings.ARTICLE_MAX_BYTES:
        raise ArticleRejected(
            f"the article is {len(raw):,} bytes; the limit is {settings.ARTICLE_MAX_BYTES:,} bytes"
        )
    try:
        prepared = prepare_text(raw)
    except InvalidText as error:
        raise ArticleRejected(str(error)) from None
    return article_upsert(
        source=source,
        external_id=external_id,
        body=prepared.body,
        title=title if title is not None else prepared.title,
        byline=byline,
        url=url,
        published_at=published_at,
    )


def article_upsert(
    *,
    source: str,
    external_id: str,
    body: str,
    title: str | None = None,
    byline: str | None = None,
    url: str | None = None,
    published_at: datetime.datetime | None = None,
) -> UpsertResult:
    """Create the article, or update it by (source, external_id).

    An unchanged body with unchanged metadata writes nothing. A changed body becomes a
    new revision and its checklist is extracted again after commit. Metadata given as
    None is left as it is.
    """
    _check_body(body)
    if not source or not external_id:
        raise ArticleRejected("an article needs a source and an external id")
    metadata = {
        key: value
        for key, value in {"title": title, "byline": byline, "url": url, "published_at": published_at}.items()
        if value is not None
    }
    new_hash = content_hash(body)
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(source=source, external_id=external_id).first()
        if article is None:
            try:
                with transaction.atomic():
                    article = Article.objects.create(
                        source=source, external_id=external_id, body=body, content_hash=new_hash, **metadata
                    )
            except IntegrityError:
                # Another request created it between our look-up and our insert.
                article = Article.objects.select_for_update().get(source=source, external_id=external_id)
            else:
                ArticleRevision.objects.create(article=article, number=1, body=body, content_hash=new_hash)
                checklist_request(article_id=article.pk)
                return UpsertResult(article, UpsertOutcome.CREATED, body_changed=True)

        changed_fields = [name for name, value in metadata.items() if getattr(article, name) != value]
        for name in changed_fields:
            setattr(article, name, metadata[name])
        body_changed = article.content_hash != new_hash
        if body_changed:
            article.revision += 1
            article.body = body
            article.content_hash = new_hash
            article.checklist_status = ChecklistStatus.PENDING
            article.checklist_changed_at = timezone.now()
            changed_fields += ["revision", "body", "content_hash", "checklist_status", "checklist_changed_at"]
            ArticleRevision.objects.create(article=article, number=article.revision, body=body, content_hash=new_hash)
        if not changed_fields:
            return UpsertResult(article, UpsertOutcome.UNCHANGED, body_changed=False)
        article.save(update_fields=[*changed_fields, "updated_at"])
        if body_changed:
            checklist_request(article_id=article.pk)
        return UpsertResult(article, UpsertOutcome.UPDATED, body_changed=body_changed)


def _check_body(body: str) -> None:
    if not isinstance(body, str) or not body.strip():
        raise ArticleRejected("the article body is empty")
    size = len(body.encode("utf-8"))
    if size > settings.ARTICLE_MAX_BYTES:
        raise ArticleRejected(f"the article is {size:,} bytes; the limit is {settings.ARTICLE_MAX_BYTES:,} bytes")


# --- checklists -------------------------------------------------------------------------


def checklist_request(*, article_id: int) -> None:
    """Enqueue extraction of the article's checklist once the current transaction commits."""
    transaction.on_commit(partial(_send_extraction, article_id))


def _send_extraction(article_id: int) -> None:
    from .tasks import extract_article_checklist

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
    ChecklistItem.objects.bulk_create(to_create)
    if to_update:
        ChecklistItem.objects.bulk_update(to_update, [*refreshed_fields, "version", "updated_at"])


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
