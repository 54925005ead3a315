"""Evidence: the documents an article rests on, and each claim checked against them.

Reporters and editors attach sources to an article (``source_add``: pasted text, a file,
or a web page fetched under the outbound rules). A worker reads each one into text
(``source_read``: ``importers/documents.py``) and then matches the article's quotes,
figures, dates and names against every source read (``evidence_match_article``:
``articles/evidence.py``, plain Python over an index of the sources' words). Matching
runs again when a source is added, changed or removed and when the article is
extracted again; it never changes an item's state. A claim that differs from its source
is raised in priority; a claim found word for word can be verified in one action that
cites the passage (``item_verify_from_source``).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import evidence as matcher
from .. import roles
from ..models import (
    Article,
    ChecklistItem,
    EvidenceMatch,
    ItemEvidence,
    ItemState,
    SourceDocument,
    SourceKind,
    SourceRevision,
    SourceStatus,
)
from .errors import WorkflowError
from .locks import articles_lock
from .queueing import enqueue_after_commit
from .stories import items_raise_priority

logger = logging.getLogger(__name__)

MATCHED_KINDS = ("quote", "number", "money", "date", "name")
# A claim that reads differently in its source is checked first.
DIFFERS_FROM_SOURCE_PRIORITY = 90


class SourceRejected(WorkflowError):
    """The source cannot be attached; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class SourceAdded:
    source: SourceDocument
    created: bool
    changed: bool


def source_add(
    *,
    article_id: int,
    title: str,
    by,
    text: str | None = None,
    url: str | None = None,
    data: bytes | None = None,
    filename: str = "",
    content_type: str = "",
) -> SourceAdded:
    """Attach a source to the article (exactly one of ``text``, ``url``, ``data``), or give
    the article's source of that title a new version. Read by a worker after commit."""
    if not roles.can_add_source(by):
        raise PermissionDenied("You may not attach sources.")
    title = " ".join((title or "").split())[:300]
    if not title:
        raise SourceRejected("A source needs a title.")
    given = [name for name, value in (("text", text), ("url", url), ("file", data)) if value not in (None, "")]
    if len(given) != 1:
        raise SourceRejected("Give the source as exactly one of: pasted text, a web address, or a file.")
    if text is not None and not text.strip():
        raise SourceRejected("The pasted text is empty.")
    if data is not None and len(data) > settings.SOURCE_MAX_BYTES:
        raise SourceRejected(f"The file is {len(data):,} bytes; the limit is {settings.SOURCE_MAX_BYTES:,} bytes.")
    if data is not None and not data:
        raise SourceRejected("The file is empty.")
    kind = SourceKind.PASTED if text is not None else SourceKind.URL if url else SourceKind.FILE
    raw = text.encode("utf-8") if text is not None else (url or "").encode("utf-8") if url else data
    digest = hashlib.sha256(raw).hexdigest()
    with transaction.atomic():
        article = Article.objects.select_for_update().only("pk").filter(pk=article_id).first()
        if article is None:
            raise SourceRejected(f"There is no article {article_id}.")
        source = SourceDocument.objects.select_for_update().filter(article=article, title=title).first()
        if source is not None and source.content_hash == digest and source.kind == kind:
            return SourceAdded(source, created=False, changed=False)
        created = source is None
        if created:
            source = SourceDocument(article=article, title=title, added_by=by)
        else:
            source.revision += 1
        source.kind, source.url, source.filename = kind, url or "", filename[:255]
        source.content_type = content_type[:100]
        source.data, source.content_hash = raw, digest
        source.text, source.format, source.pages, source.error = "", "", None, ""
        source.status = SourceStatus.PENDING
        source._history_user = by
        source._change_reason = "attached" if created else f"new version {source.revision}"
        source.save()
        enqueue_after_commit("read_source_document", source.pk, what=f"reading of source {source.pk}")
    return SourceAdded(source, created=created, changed=True)


def uploaded_bytes(upload) -> bytes:
    """The bytes of an uploaded file, refused before reading when it is over the limit."""
    if upload.size > settings.SOURCE_MAX_BYTES:
        raise SourceRejected(f"The file is {upload.size:,} bytes; the limit is {settings.SOURCE_MAX_BYTES:,} bytes.")
    return upload.read()


def source_read(*, source_id: int) -> SourceDocument | None:
    """Read the source into text (fetching it first when it is a web page), keep the text as
    a revision, and match the article's claims against its sources again. Safe to repeat."""
    from ..fetch import FetchError, fetch_url
    from ..importers.base import UnreadableInput
    from ..importers.documents import read_source_document

    source = SourceDocument.objects.filter(pk=source_id).first()
    if source is None or source.status == SourceStatus.READY:
        return source
    raw = bytes(source.data)
    try:
        if source.kind == SourceKind.PASTED:
            text, fmt, pages = raw.decode("utf-8"), "text", None
        else:
            data, content_type = raw, source.content_type
            if source.kind == SourceKind.URL:
                fetched = fetch_url(source.url)
                data, content_type = fetched.content, fetched.content_type
            document = read_source_document(
                data, filename=source.filename or source.url, content_type=content_type,
                max_chars=settings.SOURCE_MAX_CHARS,
            )
            text, fmt, pages = document.text, document.format, document.pages
        if not text.strip():
            raise UnreadableInput("No text could be read from this source.")
    except (UnreadableInput, FetchError, UnicodeDecodeError) as error:
        SourceDocument.objects.filter(pk=source.pk, content_hash=source.content_hash).update(
            status=SourceStatus.FAILED, error=str(error)[:2000], updated_at=timezone.now()
        )
        return SourceDocument.objects.get(pk=source.pk)
    with transaction.atomic():
        current = SourceDocument.objects.select_for_update().get(pk=source.pk)
        if current.content_hash != source.content_hash:
            return current  # a newer version arrived meanwhile; its own reading is queued
        current.text, current.format, current.pages = text, fmt, pages
        current.status, current.error = SourceStatus.READY, ""
        current.save(update_fields=["text", "format", "pages", "status", "error", "updated_at"])
        SourceRevision.objects.get_or_create(
            source=current, number=current.revision,
            defaults={"text": text, "content_hash": current.content_hash, "added_by": current.added_by},
        )
        evidence_match_article(article_id=current.article_id)
    return current


def source_delete(*, source_id: int, by) -> None:
    if not roles.can_delete_source(by):
        raise PermissionDenied("Only editors remove sources.")
    with transaction.atomic():
        source = SourceDocument.objects.select_for_update().filter(pk=source_id).first()
        if source is None:
            return
        article_id = source.article_id
        source._history_user = by
        source._change_reason = "removed"
        source.delete()
        evidence_match_article(article_id=article_id)


def evidence_request(*, article_id: int) -> None:
    """Match the article's claims against its sources again, in a worker, after commit
    (the article was extracted again)."""
    if SourceDocument.objects.filter(article_id=article_id, status=SourceStatus.READY).exists():
        enqueue_after_commit("match_article_evidence", article_id, what=f"evidence matching of article {article_id}")


def evidence_match_article(*, article_id: int) -> int:
    """Match every current quote, figure, date and name of the article against its sources
    read; store the passages and each item's best match. Returns the items matched.

    Without a source read, items have no ``evidence_match`` (null) and no passages.
    An item that reads differently in a source is raised to DIFFERS_FROM_SOURCE_PRIORITY.
    Item states never change here.
    """
    with transaction.atomic():
        articles_lock([article_id])  # before its items (``locks``)
        sources = list(
            SourceDocument.objects.filter(article_id=article_id, status=SourceStatus.READY).only("pk", "text")
        )
        items = list(
            ChecklistItem.objects.filter(article_id=article_id, kind__in=MATCHED_KINDS)
            .current()
            .only("pk", "kind", "text", "value", "sentence", "priority", "evidence_match", "version")
            .select_for_update()
        )
        ItemEvidence.objects.filter(item__article_id=article_id).delete()
        if not sources:
            ChecklistItem.objects.filter(article_id=article_id, evidence_match__isnull=False).update(evidence_match=None)
            return 0
        found = matcher.match_claims(
            [matcher.ClaimToMatch(id=i.pk, kind=i.kind, text=i.text, value=i.value, sentence=i.sentence) for i in items],
            [matcher.SourceText(id=s.pk, text=s.text) for s in sources],
        )
        rows, by_match = [], {EvidenceMatch.EXACT: [], EvidenceMatch.VARIANT: [], EvidenceMatch.NOT_FOUND: []}
        for item in items:
            evidence = found.get(item.pk, [])
            for rank, passage in enumerate(evidence):
                rows.append(ItemEvidence(
                    item_id=item.pk, source_id=passage.source, rank=rank, start=passage.start, end=passage.end,
                    passage=passage.passage, match=passage.match, differences=list(passage.differences),
                ))
            by_match[matcher.best_match(evidence)].append(item.pk)
        ItemEvidence.objects.bulk_create(rows)
        for match, pks in by_match.items():
            ChecklistItem.objects.filter(pk__in=pks).exclude(evidence_match=match).update(evidence_match=match)
        items_raise_priority(
            item_ids=by_match[EvidenceMatch.VARIANT], to=DIFFERS_FROM_SOURCE_PRIORITY, reason="differs from a source"
        )
    return len(items)


def item_verify_from_source(*, item_id: int, source_id: int, by, expected_version: int | None = None) -> ChecklistItem:
    """Verify the item from a passage of ``source`` that says it word for word; the note
    quotes the passage and cites the source. Refused unless that source holds an exact match."""
    from .items import _apply_state, _lock_item

    with transaction.atomic():
        item = _lock_item(item_id, expected_version)
        passage = (
            ItemEvidence.objects.filter(item=item, source_id=source_id, match=EvidenceMatch.EXACT)
            .select_related("source")
            .order_by("rank")
            .first()
        )
        if passage is None:
            raise WorkflowError(
                f"Source {source_id} does not say this claim word for word: check it by hand, or choose a source "
                "that supports it as is."
            )
        source = passage.source
        note = f"Supported by “{source.title}”: “{passage.passage}”"
        cited = f"{source.title} (source {source.pk}, version {source.revision}, characters {passage.start}–{passage.end})"
        return _apply_state(
            item, ItemState.VERIFIED, by=by, note=note, source=cited[:1000], reason=f"verify from source {source.pk}"
        )
