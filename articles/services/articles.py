"""Writes to articles: create or update by (source, external_id), keeping every body revision."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .. import roles
from ..models import Article, ArticleRevision, ChecklistStatus, content_hash
from ..selectors import article_editors
from .checklists import checklist_request, checklist_request_many
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


@dataclass(frozen=True)
class ArticleInput:
    """One article to create or update: ``article_upsert``'s arguments."""

    source: str
    external_id: str
    body: str
    title: str | None = None
    byline: str | None = None
    url: str | None = None
    published_at: datetime.datetime | None = None
    source_version: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.external_id)

    def metadata(self) -> dict:
        """The fields given (None: leave the stored value as it is)."""
        given = {
            "title": self.title, "byline": self.byline, "url": self.url,
            "published_at": self.published_at, "source_version": self.source_version,
        }
        return {name: value for name, value in given.items() if value is not None}


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
    given = ArticleInput(source, external_id, body, title, byline, url, published_at, source_version)
    _check_input(given)
    new_hash = content_hash(body)
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(source=source, external_id=external_id).first()
        if article is None:
            try:
                with transaction.atomic():
                    article = Article.objects.create(
                        source=source, external_id=external_id, body=body, content_hash=new_hash, **given.metadata()
                    )
            except IntegrityError:
                # Another request created it between our look-up and our insert.
                article = Article.objects.select_for_update().get(source=source, external_id=external_id)
            else:
                ArticleRevision.objects.create(article=article, number=1, body=body, content_hash=new_hash)
                checklist_request(article_id=article.pk)
                return UpsertResult(article, UpsertOutcome.CREATED, body_changed=True)
        result = _apply_to_stored(article, given, new_hash)
        if result.body_changed:
            checklist_request(article_id=article.pk)
        return result


def article_upsert_many(inputs: Sequence[ArticleInput]) -> list[UpsertResult | ArticleRejected]:
    """``article_upsert`` for each input, in one transaction and a few queries for them all
    (an import of a folder or a feed): each input's result, in order, or the
    ``ArticleRejected`` saying why it cannot be stored (the others go ahead).

    The outcomes are those of upserting the inputs one after the other: an id given twice
    is created, then updated. Should the batch fail in the database (another writer
    created one of these articles at the same moment, or one input holds what the
    database refuses), its writes are rolled back and each input is upserted in a
    transaction of its own.
    """
    results: list[UpsertResult | ArticleRejected | None] = [None] * len(inputs)
    batch: dict[tuple[str, str], int] = {}
    one_by_one: list[int] = []  # an id seen again in the batch: after the batch, in order
    for index, given in enumerate(inputs):
        try:
            _check_input(given)
        except ArticleRejected as rejected:
            results[index] = rejected
            continue
        if given.key in batch:
            one_by_one.append(index)
        else:
            batch[given.key] = index
    positions = list(batch.values())
    try:
        if positions:
            with transaction.atomic():
                for index, result in _upsert_batch([inputs[position] for position in positions]).items():
                    results[positions[index]] = result
    except DatabaseError:
        one_by_one = sorted([*positions, *one_by_one])
    for index in one_by_one:
        given = inputs[index]
        try:
            results[index] = article_upsert(**dataclasses.asdict(given))
        except ArticleRejected as rejected:
            results[index] = rejected
    return results


def _upsert_batch(inputs: list[ArticleInput]) -> dict[int, UpsertResult]:
    """Upsert inputs with distinct keys in the caller's transaction; results by input position."""
    if not inputs:
        return {}  # (an empty condition below would lock every article)
    wanted = Q()
    for source, external_ids in _ids_by_source(inputs).items():
        wanted |= Q(source=source, external_id__in=external_ids)
    stored = {
        (article.source, article.external_id): article
        for article in Article.objects.select_for_update().filter(wanted).order_by("pk")
    }
    results: dict[int, UpsertResult] = {}
    hashes = [content_hash(given.body) for given in inputs]
    created: list[tuple[int, Article]] = []
    for index, given in enumerate(inputs):
        article = stored.get(given.key)
        if article is None:
            created.append((index, Article(
                source=given.source, external_id=given.external_id, body=given.body, content_hash=hashes[index],
                **given.metadata(),
            )))
        else:
            results[index] = _apply_to_stored(article, given, hashes[index])
    if created:
        articles = [article for _, article in created]
        bulk_create_with_history(articles, Article, batch_size=500)  # the history as ``create`` writes it
        ArticleRevision.objects.bulk_create(
            [ArticleRevision(article=a, number=1, body=a.body, content_hash=a.content_hash) for a in articles],
            batch_size=500,
        )
        for index, article in created:
            results[index] = UpsertResult(article, UpsertOutcome.CREATED, body_changed=True)
    checklist_request_many(
        article_ids=[result.article.pk for result in results.values() if result.body_changed],
        already_due=[article.pk for _, article in created],
    )
    return results


def _ids_by_source(inputs: list[ArticleInput]) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = {}
    for given in inputs:
        ids.setdefault(given.source, []).append(given.external_id)
    return ids


def _apply_to_stored(article: Article, given: ArticleInput, new_hash: str) -> UpsertResult:
    """Bring the stored article (locked) up to ``given``; the caller requests its checklist when its body changed."""
    if (
        given.source_version is not None
        and article.source_version is not None
        and given.source_version < article.source_version
    ):
        return UpsertResult(article, UpsertOutcome.OLDER, body_changed=False)
    metadata = given.metadata()
    changed_fields = [name for name, value in metadata.items() if getattr(article, name) != value]
    for name in changed_fields:
        setattr(article, name, metadata[name])
    body_changed = article.content_hash != new_hash
    if body_changed:
        article.revision += 1
        article.body = given.body
        article.content_hash = new_hash
        article.checklist_status = ChecklistStatus.PENDING
        article.is_ready = False
        article.checklist_changed_at = timezone.now()
        changed_fields += ["revision", "body", "content_hash", "checklist_status", "is_ready", "checklist_changed_at"]
        ArticleRevision.objects.create(article=article, number=article.revision, body=given.body, content_hash=new_hash)
    if not changed_fields:
        return UpsertResult(article, UpsertOutcome.UNCHANGED, body_changed=False)
    article.save(update_fields=[*changed_fields, "updated_at"])
    return UpsertResult(article, UpsertOutcome.UPDATED, body_changed=body_changed)


def reject_if_too_large(size: int, limit: int, *, what: str = "the article") -> None:
    if size > limit:
        raise ArticleRejected(f"{what} is {size:,} bytes; the limit is {limit:,} bytes")


def _check_input(given: ArticleInput) -> None:
    if not isinstance(given.body, str) or not given.body.strip():
        raise ArticleRejected("the article body is empty")
    reject_if_too_large(len(given.body.encode("utf-8")), settings.ARTICLE_MAX_BYTES)
    if not given.source or not given.external_id:
        raise ArticleRejected("an article needs a source and an external id")


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
