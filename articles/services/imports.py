"""Importing articles from files, web addresses and feeds, all through ``article_upsert_many``.

Reading happens before any write, and the articles read are then upserted together (in
one transaction, a few queries for them all), so an unreadable file or entry never
leaves a half-written article and never stops the rest of a batch: it becomes a failed
line in the report, with the reason.

- files: source ``file`` (or the given one), external id the file stem; a JSON document
  or a feed file may hold several articles, each with its own id;
- a page's address: source the host, external id the canonical URL;
- a feed (a ``Feed`` row, or a feed's address): one article per entry, external id the
  entry's id (or link), source the feed's name, or the host when no ``Feed`` has that URL.

Every article gets a title from the importers (its own, a headline line, or the start of
its first sentence), and a body that does not repeat the title on its first line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .. import importers
from ..fetch import FetchError, fetch_url
from ..importers import EntryError, EntrySkipped, ParsedArticle, UnreadableInput, canonical_url, url_host
from ..models import Article, Feed
from .articles import ArticleInput, ArticleRejected, UpsertOutcome, article_upsert_many, reject_if_too_large

logger = logging.getLogger(__name__)

FAILED = "failed"
SKIPPED = "skipped"  # not an article to check (a photo, an event), or an older version: said why, not a failure
OUTCOMES = (UpsertOutcome.CREATED, UpsertOutcome.UPDATED, UpsertOutcome.UNCHANGED, SKIPPED, FAILED)
_READ_ERRORS = (UnreadableInput, ArticleRejected, FetchError)

_field_length = {name: Article._meta.get_field(name).max_length for name in ("source", "external_id", "title", "byline", "url")}


@dataclass(frozen=True)
class ImportItem:
    label: str
    outcome: str
    reason: str = ""
    article_id: int | None = None


@dataclass
class ImportReport:
    items: list[ImportItem] = field(default_factory=list)

    def add(self, label: str, outcome: str, reason: str = "", *, article_id: int | None = None) -> None:
        self.items.append(ImportItem(label, outcome, reason, article_id))

    def extend(self, other: ImportReport) -> None:
        self.items.extend(other.items)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for item in self.items:
            counts[item.outcome] += 1
        return counts

    @property
    def failures(self) -> list[ImportItem]:
        return [item for item in self.items if item.outcome == FAILED]

    @property
    def skipped(self) -> list[ImportItem]:
        """Entries that are not articles to check (a photo, an event) or older versions: not failures."""
        return [item for item in self.items if item.outcome == SKIPPED]

    def summary(self) -> str:
        """"5 new, 0 updated, 0 unchanged, 0 failed" (skipped entries named only when there are some)."""
        return ", ".join(
            f"{count} {label}" for label, count in self.counts().items() if count or label != SKIPPED
        )

    def waiting_for_broker(self) -> int:
        """How many of the articles saved are waiting for the broker to have their extraction queued."""
        article_ids = [item.article_id for item in self.items if item.article_id is not None]
        return Article.objects.filter(pk__in=article_ids).waiting_for_broker().count()


def import_path(path: Path | str, *, source: str = "file") -> ImportReport:
    """Import one file: text, HTML, JSON (API shape or ninjs) or an RSS/Atom feed."""
    return import_files([path], source=source)


def import_files(paths: list[Path | str], *, source: str = "file") -> ImportReport:
    """Import files (see ``import_path``) in one batch: their articles are upserted together.

    The report lists each file's outcomes in the files' order: an unreadable file is one
    failed line, and never stops the others.
    """
    report = ImportReport()
    batch = _Batch()
    for path in map(Path, paths):
        try:
            # Refuse a file too large for its kind before reading it; text has the article limit.
            _check_size(path.stat().st_size, _size_limit(importers.TEXT if path.suffix.lower() == ".txt" else None))
            raw = path.read_bytes()
            kind = importers.detect_format(raw, filename=path.name)
            _check_size(len(raw), _size_limit(kind))
            entries = importers.parse(raw, format=kind)
        except OSError as error:
            batch.add_outcome(str(path), FAILED, describe_os_error(error))
        except _READ_ERRORS as error:
            batch.add_outcome(str(path), FAILED, str(error))
        else:
            batch.add_entries(entries, label=str(path), source=source, default_id=path.stem)
    batch.store(report)
    return report


def import_url(url: str, *, source: str | None = None) -> ImportReport:
    """Import the page at ``url`` (source: its host; id: its canonical URL), or every entry of the feed there."""
    report = ImportReport()
    try:
        fetched = fetch_url(url)
        kind = importers.detect_format(fetched.content, content_type=fetched.content_type)
        entries = importers.parse(fetched.content, format=kind, url=fetched.url)
    except _READ_ERRORS as error:
        report.add(url, FAILED, str(error))
        return report
    if kind == importers.FEED:
        feed = Feed.objects.filter(url__in={url, fetched.url}).first()
        _store_entries(report, entries, label=url, source=source or (feed.name if feed else url_host(fetched.url)))
        return report
    page_url = _page_url(entries, fetched.url)
    _store_entries(
        report, entries, label=url, source=source or url_host(page_url), default_id=page_url, default_url=page_url
    )
    return report


def feed_poll(*, feed_id: int, force: bool = False) -> ImportReport:
    """Poll one feed with a conditional GET and import its new and changed entries.

    Two pollers of the same feed at once: one wins the claim (a conditional update of
    ``last_polled_at``), the other returns an empty report. The ETag and Last-Modified are
    kept only when every entry was imported, so failed entries are tried again next time.
    """
    report = ImportReport()
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None or not (feed.is_active or force):
        return report
    now = timezone.now()
    claimed = Feed.objects.filter(pk=feed.pk, last_polled_at=feed.last_polled_at).update(last_polled_at=now)
    if not claimed:
        return report
    try:
        fetched = fetch_url(feed.url, etag=feed.etag, modified=feed.modified)
        if fetched.not_modified:
            Feed.objects.filter(pk=feed.pk).update(last_success_at=now, last_result="not modified", last_error="")
            return report
        entries = importers.parse_feed(fetched.content)
    except _READ_ERRORS as error:
        Feed.objects.filter(pk=feed.pk).update(last_error=str(error)[:2000])
        report.add(feed.url, FAILED, str(error))
        return report
    _store_entries(report, entries, label=feed.name, source=feed.name)
    failures = report.failures
    update = {"last_success_at": now, "last_result": report.summary()[:200]}
    update["last_error"] = "\n".join(f"{item.label}: {item.reason}" for item in failures)[:2000]
    if not failures:
        update.update(etag=fetched.etag[:500], modified=fetched.last_modified[:100])
    Feed.objects.filter(pk=feed.pk).update(**update)
    return report


def feeds_poll(*, feed_ids: list[int] | None = None) -> ImportReport:
    """Poll the given feeds (even inactive ones: someone asked), or every active feed."""
    ids = feed_ids if feed_ids is not None else list(Feed.objects.filter(is_active=True).values_list("pk", flat=True))
    report = ImportReport()
    for feed_id in ids:
        report.extend(feed_poll(feed_id=feed_id, force=feed_ids is not None))
    return report


def _store_entries(
    report: ImportReport,
    entries: list[ParsedArticle | EntryError | EntrySkipped],
    *,
    label: str,
    source: str,
    default_id: str | None = None,
    default_url: str | None = None,
) -> None:
    batch = _Batch()
    batch.add_entries(entries, label=label, source=source, default_id=default_id, default_url=default_url)
    batch.store(report)


class _Batch:
    """Entries read from files, pages or feeds, upserted together (``article_upsert_many``),
    each reported in the order it was added."""

    def __init__(self) -> None:
        self._lines: list[tuple[str, str, str] | tuple[str, ArticleInput, int | None]] = []

    def add_outcome(self, label: str, outcome: str, reason: str = "") -> None:
        self._lines.append((label, outcome, reason))

    def add_entries(
        self,
        entries: list[ParsedArticle | EntryError | EntrySkipped],
        *,
        label: str,
        source: str,
        default_id: str | None = None,
        default_url: str | None = None,
    ) -> None:
        single = len(entries) == 1
        for number, entry in enumerate(entries, start=1):
            if isinstance(entry, (EntryError, EntrySkipped)):
                name = entry.label
            else:
                name = entry.external_id or entry.url or f"entry {number}"
            entry_label = label if single else f"{label} [{name}]"
            if isinstance(entry, EntryError):
                self.add_outcome(entry_label, FAILED, entry.reason)
                continue
            if isinstance(entry, EntrySkipped):
                self.add_outcome(entry_label, SKIPPED, entry.reason)
                continue
            try:
                if entry.needs_fetch:
                    if _link_unchanged(entry, source=entry.source or source):
                        self.add_outcome(entry_label, UpsertOutcome.UNCHANGED)
                        continue
                    entry = _with_linked_page(entry)
                external_id = entry.external_id or (default_id if single else None)
                if not external_id:
                    raise ArticleRejected("the entry has no id (external_id, uri, guid or link)")
                given = ArticleInput(
                    source=_fit("source", entry.source or source),
                    external_id=_fit_id(external_id),
                    body=entry.body,
                    title=_fit("title", entry.title),
                    byline=_fit("byline", entry.byline),
                    url=_fit_url(entry.url or default_url),
                    published_at=entry.published_at,
                    source_version=entry.version,
                )
            except _READ_ERRORS as error:
                self.add_outcome(entry_label, FAILED, str(error))
            except Exception as error:  # one broken entry never stops the batch
                logger.exception("importing %s failed", entry_label)
                self.add_outcome(entry_label, FAILED, f"unexpected error ({type(error).__name__}: {error})")
            else:
                self._lines.append((entry_label, given, entry.version))

    def store(self, report: ImportReport) -> None:
        inputs = [line[1] for line in self._lines if isinstance(line[1], ArticleInput)]
        try:
            results = iter(article_upsert_many(inputs))
        except Exception:  # one broken article never stops the batch: each on its own, to find it
            results = iter([_upsert_alone(given) for given in inputs])
        for label, what, detail in self._lines:
            if not isinstance(what, ArticleInput):
                report.add(label, what, detail)
                continue
            result = next(results)
            if isinstance(result, str):
                report.add(label, FAILED, result)
            elif isinstance(result, ArticleRejected):
                report.add(label, FAILED, str(result))
            elif result.outcome == UpsertOutcome.OLDER:
                report.add(
                    label, SKIPPED,
                    f"version {detail} is older than version {result.article.source_version}, already imported",
                    article_id=result.article.pk,
                )
            else:
                report.add(label, result.outcome, article_id=result.article.pk)


def _upsert_alone(given: ArticleInput):
    try:
        return article_upsert_many([given])[0]
    except Exception as error:
        logger.exception("importing %s/%s failed", given.source, given.external_id)
        return f"unexpected error ({type(error).__name__}: {error})"


def _link_unchanged(entry: ParsedArticle, *, source: str) -> bool:
    """A link-only entry already imported and not updated since: no need to fetch its page again."""
    article = Article.objects.filter(source=source, external_id=_fit_id(entry.external_id or "")).only("updated_at").first()
    if article is None:
        return False
    return entry.updated_at is None or entry.updated_at <= article.updated_at


def _with_linked_page(entry: ParsedArticle) -> ParsedArticle:
    fetched = fetch_url(entry.url)
    kind = importers.detect_format(fetched.content, content_type=fetched.content_type)
    if kind not in (importers.HTML, importers.TEXT):
        raise UnreadableInput(f"the entry's link {entry.url} is not an article page")
    page = importers.parse(fetched.content, format=kind, url=fetched.url, title=entry.title)[0]
    return dataclasses.replace(
        entry,
        format=page.format,
        body=page.body,
        title=page.title,
        byline=entry.byline or page.byline,
        published_at=entry.published_at or page.published_at,
    )


def _page_url(entries: list, fetched_url: str) -> str:
    """The page's own canonical address when it names one on the web, else where it was fetched from."""
    declared = entries[0].url if len(entries) == 1 and isinstance(entries[0], ParsedArticle) else None
    return canonical_url(declared or fetched_url)


def _size_limit(kind: str | None) -> int:
    return settings.ARTICLE_MAX_BYTES if kind == importers.TEXT else settings.FETCH_MAX_BYTES


def _check_size(size: int, limit: int) -> None:
    reject_if_too_large(size, limit, what="the file")


def _fit(name: str, value: str | None) -> str | None:
    limit = _field_length[name]
    if value is None or len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + "…"


def _fit_id(external_id: str) -> str:
    """Ids longer than the column (long URLs) are stored as a hash: still unique, still stable."""
    if len(external_id) <= _field_length["external_id"]:
        return external_id
    return "sha256:" + hashlib.sha256(external_id.encode("utf-8")).hexdigest()


def _fit_url(url: str | None) -> str | None:
    return url if url and len(url) <= _field_length["url"] else None


def describe_os_error(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or str(error)
