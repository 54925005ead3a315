"""Which format an input is in: from its file extension, its Content-Type, and its first bytes.

An ``.xml`` file, or ``application/xml`` / ``text/xml`` content, may be an RSS or Atom feed
or an IPTC NewsML-G2 wire item: its root element decides.
"""

from __future__ import annotations

import codecs
import re

from .base import UnreadableInput

TEXT, HTML, JSON, FEED, NEWSML = "text", "html", "json", "feed", "newsml"
FORMATS = (TEXT, HTML, JSON, FEED, NEWSML)

EXTENSIONS = {
    ".txt": TEXT,
    ".html": HTML,
    ".htm": HTML,
    ".json": JSON,
    ".xml": FEED,
    ".rss": FEED,
    ".atom": FEED,
}

# What may come before the root element: an XML declaration, comments, processing
# instructions, a DOCTYPE (refused later by the NewsML reader), whitespace.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*", re.DOTALL)
# The root of a NewsML-G2 document (see newsml.ROOTS), with or without a namespace prefix.
_NEWSML_ROOT = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(?:newsMessage|newsItem|packageItem|conceptItem|knowledgeItem|planningItem)[\s>/]"
)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]")
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|main|div|p|h[1-6]|section|meta|title)[\s>/]")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def detect_format(data: bytes, *, filename: str | None = None, content_type: str | None = None) -> str:
    """The format to read ``data`` as; raises UnreadableInput when it is none of ours.

    A ``.txt`` file is always text. Other extensions and Content-Types are hints checked
    against the content, because servers often call a feed text/xml or a page text/plain.
    """
    if not data.strip():
        raise UnreadableInput("the file is empty")
    suffix = _suffix(filename)
    if suffix == ".txt":
        return TEXT
    sniffed = sniff(data)
    if sniffed is not None:
        return sniffed
    if suffix in EXTENSIONS:
        hinted = EXTENSIONS[suffix]
    else:
        hinted = _from_content_type(content_type)
    if hinted in (JSON, FEED, HTML):
        what = {JSON: "JSON", FEED: "an RSS or Atom feed", HTML: "HTML"}[hinted]
        if suffix == ".xml":
            what = "an RSS or Atom feed, nor a NewsML-G2 item"
        raise UnreadableInput(f"the content is not {what}" + (f" although the name ends in {suffix}" if suffix else ""))
    if suffix and suffix not in EXTENSIONS:
        raise UnreadableInput(
            f"unknown format {suffix!r}; accepted: {', '.join(sorted(EXTENSIONS))} (or content that is clearly one of them)"
        )
    return TEXT


def sniff(data: bytes) -> str | None:
    """The format the first bytes show, or None when they are not markup or JSON (plain text, or binary)."""
    head = _text_head(data)
    if head is None:
        raise UnreadableInput("the file is binary, not text")
    stripped = head.lstrip()
    if stripped[:1] in (b"{", b"["):
        return JSON
    if stripped[:1] != b"<":
        return None
    if _NEWSML_ROOT.match(stripped, _PROLOG.match(stripped).end()):
        return NEWSML
    lowered = stripped.lower()
    if _FEED_ROOT.search(lowered):
        return FEED
    if _HTML_START.search(lowered):
        return HTML
    if lowered.startswith(b"<?xml"):
        raise UnreadableInput("the XML is not an RSS or Atom feed, nor a NewsML-G2 item")
    return HTML


def _text_head(data: bytes) -> bytes | None:
    head = data[:4096]
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            return head.decode("utf-16", errors="ignore").encode("utf-8")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    if b"\x00" in head:
        return None
    return head


def _suffix(filename: str | None) -> str:
    if not filename or "." not in filename.rsplit("/", 1)[-1]:
        return ""
    return "." + filename.rsplit(".", 1)[-1].lower()


def _from_content_type(content_type: str | None) -> str | None:
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in _FEED_TYPES:
        return FEED
    if kind in ("text/html", "application/xhtml+xml"):
        return HTML
    if kind == "application/json" or kind.endswith("+json"):
        return JSON
    return None
