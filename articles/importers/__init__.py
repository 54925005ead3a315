"""Reading articles from files, pages, JSON documents, feeds and NewsML-G2 wire items: plain Python, no Django.

``parse(data, filename=..., content_type=..., url=...)`` detects the format and returns
a list of ``ParsedArticle`` (one for a text file or a page; one per object or entry for
JSON, feeds and NewsML-G2 messages), ``EntryError`` for entries that cannot be read, and
``EntrySkipped`` for entries that are not articles to check (a wire picture). Every path ends in
the extraction engine's ``prepare_text`` cleaning, except JSON in the API's shape, whose
body is kept exactly as the API would store it. Every article gets a title, and a body
that does not repeat it on its first line (see ``titles``).
"""

from __future__ import annotations

from .base import EntryError, EntrySkipped, ParsedArticle, UnreadableInput, parse_datetime
from .detect import EXTENSIONS, FEED, FORMATS, HTML, JSON, NEWSML, TEXT, detect_format, sniff
from .feeds import parse_feed
from .html import parse_html
from .jsondocs import parse_json
from .newsml import parse_newsml
from .text import parse_text
from .urls import canonical_url, url_host

__all__ = [
    "EXTENSIONS",
    "FEED",
    "FORMATS",
    "HTML",
    "JSON",
    "NEWSML",
    "TEXT",
    "EntryError",
    "EntrySkipped",
    "ParsedArticle",
    "UnreadableInput",
    "detect_format",
    "canonical_url",
    "parse",
    "parse_datetime",
    "parse_feed",
    "parse_html",
    "parse_json",
    "parse_newsml",
    "parse_text",
    "sniff",
    "url_host",
]


def parse(
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    url: str | None = None,
    format: str | None = None,
    title: str | None = None,
) -> list[ParsedArticle | EntryError | EntrySkipped]:
    """Every article in ``data``; raises UnreadableInput when the input as a whole cannot be read.

    ``title``, for a page or a text, is its title when the caller already knows it (a feed
    entry that links to its page).
    """
    kind = format or detect_format(data, filename=filename, content_type=content_type)
    if kind == TEXT:
        return [parse_text(data, titles=(title,))]
    if kind == HTML:
        return [parse_html(data, url=url, title=title)]
    if kind == JSON:
        return parse_json(data)
    if kind == FEED:
        return parse_feed(data)
    if kind == NEWSML:
        return parse_newsml(data)
    raise UnreadableInput(f"unknown format {kind!r}; known: {', '.join(FORMATS)}")
