"""Writes to articles: create or update by (source, external_id), keeping every body revision."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import roles
from ..models import Article, ArticleRevision, ChecklistStatus, content_hash
from ..selectors import article_editors
from .checklists import checklist_request
from .errors import WorkflowError


class ArticleRejected(ValueError):
    """The input cannot be stored as an article; the message is for the person who sent it."""


class UpsertOutcome:
    CREATED = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    OLDER = "older"  # an older version (by the source's own numbering) than the one stored: not applied


@dataclass(frozen=True)
class UpsertResult:
    article: Article
    outcome: str
    body_changed: bool


def article_upsert(
    *,
    source: str,
    external_id: str,
    body: str,
    title: str | None = None,
    byline: str | None = None,
    url: str | None = None,
    published_at: datetime.datetime | None = None,
    source_version: int | None = None,
) -> UpsertResult:
    """Create the article, or update it by (source, external_id).

    An unchanged body with unchanged metadata writes nothing. A changed body becomes a
    new revision and its checklist is extracted again after commit. Metadata given as
    None is left as it is. ``source_version``, the source's own version number (a wire's),
    orders versions: one older than the version stored changes nothing (``OLDER``).
    """
    _check_body(body)
    if not source or not external_id:
        raise ArticleRejected("an article needs a source and an external id")
    metadata = {
        key: value
        for key, value in {
            "title": title, "byline": byline, "url": url, "published_at": published_at, "source_version": source_version,
        }.items()
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

        if source_version is not None and article.source_version is not None and source_version < article.source_version:
            return UpsertResult(article, UpsertOutcome.OLDER, body_changed=False)
        changed_fields = [name for name, value in metadata.items() if getattr(article, name) != value]
        for name in changed_fields:
            setattr(article, name, metadata[name])
        body_changed = article.content_hash != new_hash
        if body_changed:
            article.revision += 1
            article.body = body
            article.content_hash = new_hash
            article.checklist_status = ChecklistStatus.PENDING
            article.is_ready = False
            article.checklist_changed_at = timezone.now()
            changed_fields += ["revision", "body", "content_hash", "checklist_status", "is_ready", "checklist_changed_at"]
            ArticleRevision.objects.create(article=article, number=article.revision, body=body, content_hash=new_hash)
        if not changed_fields:
            return UpsertResult(article, UpsertOutcome.UNCHANGED, body_changed=False)
        article.save(update_fields=[*changed_fields, "updated_at"])
        if body_changed:
            checklist_request(article_id=article.pk)
        return UpsertResult(article, UpsertOutcome.UPDATED, body_changed=body_changed)


def reject_if_too_large(size: int, limit: int, *, what: str = "the article") -> None:
    if size > limit:
        raise ArticleRejected(f"{what} is {size:,} bytes; the limit is {limit:,} bytes")


def _check_body(body: str) -> None:
    if not isinstance(body, str) or not body.strip():
        raise ArticleRejected("the article body is empty")
    reject_if_too_large(len(body.encode("utf-8")), settings.ARTICLE_MAX_BYTES)


def article_set_editor(*, article_id: int, editor, by) -> Article:
    """Name the article's editor (None: no one), who is told when items are found incorrect
    and when it is ready. Editors only; the editor must be an active editor."""
    if not roles.can_assign_anyone(by):
        raise PermissionDenied("Only editors name an article's editor.")
    if editor is not None and not article_editors().filter(pk=editor.pk).exists():
        raise WorkflowError(f"{editor.get_username()} is not an active editor.")
    with transaction.atomic():
        article = Article.objects.select_for_update().defer("body").get(pk=article_id)
        if article.editor_id != getattr(editor, "pk", None):
            article.editor = editor
            article._history_user = by
            article.save(update_fields=["editor", "updated_at"])
    return article
