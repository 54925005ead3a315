"""RSS and Atom feeds via feedparser: each entry becomes an article.

An entry's HTML content (content:encoded, Atom content) or else its summary goes
through the HTML path. An entry with only a link has an empty body and ``needs_fetch``:
the caller fetches the link.
"""

from __future__ import annotations

import calendar
import datetime

import feedparser

from .base import EntryError, ParsedArticle, UnreadableInput, clean_str
from .html import parse_html
from .text import parse_text


def parse_feed(raw: bytes) -> list[ParsedArticle | EntryError]:
    if not raw.strip():
        raise UnreadableInput("the feed is empty")
    parsed = feedparser.parse(raw, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise UnreadableInput(f"not an RSS or Atom feed{f' ({reason})' if reason else ''}")
    results: list[ParsedArticle | EntryError] = []
    for number, entry in enumerate(parsed.entries, start=1):
        label = entry.get("id") or entry.get("link") or entry.get("title") or f"entry {number}"
        try:
            results.append(parse_entry(entry))
        except UnreadableInput as error:
            results.append(EntryError(label=str(label), reason=str(error)))
    return results


def parse_entry(entry) -> ParsedArticle:
    link = entry.get("link") or None
    external_id = clean_str(entry.get("id")) or clean_str(link)
    if not external_id:
        raise UnreadableInput("the entry has neither an id nor a link")
    # Plain dict look-ups: feedparser's own maps "updated" onto "published" with a deprecation warning.
    published, updated = dict.get(entry, "published_parsed"), dict.get(entry, "updated_parsed")
    metadata = {
        "external_id": external_id,
        "title": clean_str(entry.get("title")),
        "byline": clean_str(entry.get("author")),
        "url": link if link and link.startswith(("http://", "https://")) else None,
        "published_at": _moment(published or updated),
        "updated_at": _moment(updated or published),
    }
    content = _content(entry)
    if content is None:
        if not metadata["url"]:
            raise UnreadableInput("the entry has no content and no link to fetch it from")
        return ParsedArticle(format="feed", body="", **metadata)
    value, content_type = content
    if "html" in content_type:
        page = parse_html(value, url=metadata["url"], format="feed", title=metadata["title"])
    else:
        page = parse_text(value, format="feed", titles=(metadata["title"],))
    return ParsedArticle(
        format="feed",
        body=page.body,
        **{**metadata, "title": page.title, "byline": metadata["byline"] or page.byline},
    )


def _content(entry) -> tuple[str, str] | None:
    for item in entry.get("content") or []:
        if (item.get("value") or "").strip():
            return item["value"], (item.get("type") or "text/html").lower()
    detail = entry.get("summary_detail") or {}
    summary = entry.get("summary") or detail.get("value") or ""
    if summary.strip():
        return summary, (detail.get("type") or "text/html").lower()
    return None


def _moment(value) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromtimestamp(calendar.timegm(value), tz=datetime.timezone.utc)
