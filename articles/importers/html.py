"""HTML pages and fragments: the main text via trafilatura, metadata from the page.

trafilatura finds the article among navigation, ads and footers and reads the title,
author and date from the page's meta tags (og:, article:, Dublin Core), JSON-LD and
markup. Scripts and styles never reach the body. Paragraphs are separated by blank
lines, then the text goes through the same cleaning as a plain-text import.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.xml import xmltotxt

from .base import ParsedArticle, UnreadableInput, aware, clean_str
from .text import parse_text

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "outputformat": _DATE_FORMAT}
_TAG = re.compile(rb"<[a-zA-Z!/]")
_NEVER_TEXT = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
_BLOCKS = frozenset(
    "p div section article header footer aside h1 h2 h3 h4 h5 h6 li ul ol blockquote pre table tr "
    "figure figcaption dl dt dd address hr main".split()
)


def parse_html(
    raw: bytes | str, *, url: str | None = None, format: str = "html", title: str | None = None
) -> ParsedArticle:
    """A whole page or a fragment (a feed entry's content, a ninjs body_html).

    ``title`` is the title the caller already knows (a feed entry's, a ninjs headline);
    without one, the page's own (og:title, <title>, <h1>) is used. A first paragraph
    that repeats either is not kept in the body.
    """
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if not data.strip():
        raise UnreadableInput("the page is empty")
    if b"\x00" in data[:8192]:
        raise UnreadableInput("the file is binary, not HTML")
    if not _TAG.search(data[:65536]):
        # No markup at all (a feed summary in plain text): it is text.
        return parse_text(data, format=format, titles=(title,))
    try:
        document = trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_recall=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except (ValueError, TypeError, lxml.etree.LxmlError) as error:
        raise UnreadableInput(f"the HTML cannot be read: {error}") from None
    text = _paragraphs(document.body) if document is not None and document.body is not None else ""
    if not text.strip():
        # trafilatura declines very short fragments; their text is all there is.
        text = _fallback_text(data)
    if not text.strip():
        raise UnreadableInput("the page has no article text")
    page_title = clean_str(document.title) if document is not None else None
    article = parse_text(text, format=format, titles=(title, page_title))
    return ParsedArticle(
        format=format,
        body=article.body,
        title=article.title,
        byline=clean_str(document.author) if document is not None else None,
        url=_http_url(document.url) if document is not None else None,
        published_at=_date(document.date) if document is not None else None,
    )


def _paragraphs(body) -> str:
    blocks = (xmltotxt(child, include_formatting=False).strip() for child in body)
    return "\n\n".join(block for block in blocks if block)


def _fallback_text(data: bytes) -> str:
    try:
        # Without a declared charset libxml2 reads bytes as Latin-1: "café" would become "cafÃ©".
        tree = lxml.html.fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8") if _is_utf8(data) else None)
    except (lxml.etree.LxmlError, ValueError):
        return ""
    for element in list(tree.iter(*_NEVER_TEXT)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
        elif element.tag == "br":
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in tree.text_content().split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _date(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    for candidate in (value, value[:10]):
        try:
            return aware(datetime.datetime.fromisoformat(candidate))
        except ValueError:
            continue
    return None


def _http_url(value: str | None) -> str | None:
    if value and urlsplit(value).scheme in {"http", "https"} and urlsplit(value).hostname:
        return value
    return None
