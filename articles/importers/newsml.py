"""IPTC NewsML-G2 wire items: each text ``newsItem`` becomes an article.

The input is one ``newsItem``, a ``newsMessage`` whose ``itemSet`` holds several items,
or a lone ``packageItem``. It is parsed with defusedxml, refusing any DTD: a wire item
needs none, and a DTD is how entity bombs (billion laughs) and external entities get in.
Element names are matched by local name, so the IPTC namespace
(``http://iptc.org/std/nar/2006-10-01/``), any prefix for it, or none, all read the same.

What is read from a text item (``itemMeta/itemClass`` ``ninat:text``, or any scheme
alias ending in ``:text``; a ``ninat:composite`` that carries text counts too):

- body: the first ``contentSet/inlineXML`` with text (NITF: the paragraphs of
  ``body.content``; XHTML: those of ``body``), else the first ``inlineData`` (plain
  text, or HTML when its ``contenttype`` says so; base64 when its ``encoding`` says
  so). Paragraphs are separated by blank lines, then the text goes through the same
  cleaning and title handling as a plain-text import;
- title: the first ``contentMeta/headline``, else NITF ``hedline/hl1``, else the text's own;
- byline: ``contentMeta/by``, else the ``contentMeta/creator`` names (``name`` child or
  ``@literal``, several joined with commas), else the NITF ``byline``;
- published_at: ``itemMeta/firstCreated`` (when the wire first issued the item, which
  is its publication), else ``contentMeta/contentCreated``, else ``itemMeta/versionCreated``;
- updated_at: ``itemMeta/versionCreated`` (when this version was issued);
- external id: ``@guid``; version: ``@version`` (a positive whole number; an older one never
  overwrites a newer one already stored, see ``article_upsert``);
- source: ``itemMeta/provider`` (its ``name``, else ``@literal``, else the code of its
  ``@qcode``), when the item names one.

Other items (pictures, graphics, video, audio, composites without text, concept, planning
and package items) are ``EntrySkipped`` with the reason; a text item without text is too.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeElementTree

from .base import EntryError, EntrySkipped, ParsedArticle, UnreadableInput, aware, clean_str
from .html import parse_html
from .text import parse_text

NAMESPACE = "http://iptc.org/std/nar/2006-10-01/"
FORMAT = "newsml"

# The roots of a NewsML-G2 document (detect.py recognises the same names).
ITEM_ROOTS = ("newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem")
ROOTS = ("newsMessage", *ITEM_ROOTS)

_NOT_ARTICLES = {
    "picture": "a picture",
    "graphic": "a graphic",
    "video": "a video",
    "audio": "an audio item",
    "composite": "a composite item without text",
    "interactive": "an interactive item",
    "event": "an event",
    "planning": "a planning item",
}
_OTHER_ROOTS = {
    "packageItem": "a package (a list of other items)",
    "conceptItem": "a concept item (a person, an organisation, an event, …)",
    "knowledgeItem": "a knowledge item (a set of concepts)",
    "planningItem": "a planning item",
}
_NEVER_TEXT = frozenset(
    "head script style noscript template svg iframe object media body.head body.end note".split()
)
_BLOCKS = frozenset(
    "p div section article header footer aside h1 h2 h3 h4 h5 h6 hl1 hl2 li ul ol dl dt dd blockquote pre "
    "table tr caption figure figcaption address hr main block abstract body.content nitf-table "
    "byline dateline tagline".split()
)
_CELLS = frozenset(("td", "th"))
_BLANK_LINES = re.compile(r"\n{3,}")


def parse_newsml(data: bytes) -> list[ParsedArticle | EntryError | EntrySkipped]:
    """Every item of a NewsML-G2 document; raises UnreadableInput when the document cannot be read."""
    root = _parse_xml(data)
    name = _local(root.tag)
    if name == "newsMessage":
        items = [child for item_set in _children(root, "itemSet") for child in item_set if _is_element(child)]
        if not items:
            raise UnreadableInput("the NewsML-G2 message holds no items")
    elif name in ITEM_ROOTS:
        items = [root]
    else:
        raise UnreadableInput(f"the XML is not a NewsML-G2 item or message (its root is <{name}>)")
    results: list[ParsedArticle | EntryError | EntrySkipped] = []
    for number, item in enumerate(items, start=1):
        label = clean_str(item.get("guid")) or f"item {number}"
        try:
            results.append(parse_item(item, label=label))
        except UnreadableInput as error:
            results.append(EntryError(label=label, reason=str(error)))
    return results


def parse_item(item: Element, *, label: str = "item") -> ParsedArticle | EntrySkipped:
    """One item: an article when it is text, else EntrySkipped; raises UnreadableInput when it cannot be read."""
    root_name = _local(item.tag)
    if root_name != "newsItem":
        what = _OTHER_ROOTS.get(root_name, f"a <{root_name}>")
        return EntrySkipped(label, f"{what}, not an article to check")
    item_meta = _child(item, "itemMeta")
    content_meta = _child(item, "contentMeta")
    item_class = _item_class(item_meta)
    if item_class is None:
        raise UnreadableInput("the item does not say what it is (no itemMeta/itemClass)")
    if item_class not in ("text", "composite"):
        what = _NOT_ARTICLES.get(item_class, f"a {item_class!r} item")
        return EntrySkipped(label, f"{what}, not an article to check")

    version = _version(item.get("version"))
    headline = clean_str(_text_of(_child(content_meta, "headline")))
    content = _content(item)
    if content is None:
        if item_class == "composite":
            return EntrySkipped(label, f"{_NOT_ARTICLES['composite']}, not an article to check")
        remote = _first_descendant(_child(item, "contentSet"), "remoteContent")
        if remote is not None:
            where = remote.get("href") or remote.get("residref") or "elsewhere"
            raise UnreadableInput(
                f"the text is not in the item, only a reference to it ({where}), which is not fetched"
            )
        return EntrySkipped(label, "a text item that carries no text")
    text, is_html, markup = content

    titles = (headline, clean_str(_text_of(_first_descendant(markup, "hl1"))))
    if is_html:
        page = parse_html(text, format=FORMAT, title=headline)
        body, title = page.body, page.title
    else:
        article = parse_text(text, format=FORMAT, titles=titles)
        body, title = article.body, article.title

    first_created = _moment(_child(item_meta, "firstCreated"))
    version_created = _moment(_child(item_meta, "versionCreated"))
    content_created = _moment(_child(content_meta, "contentCreated"))
    return ParsedArticle(
        format=FORMAT,
        body=body,
        external_id=clean_str(item.get("guid")),
        title=title,
        byline=_byline(content_meta) or clean_str(_text_of(_first_descendant(markup, "byline"))),
        published_at=first_created or content_created or version_created,
        updated_at=version_created,
        source=_provider(item_meta),
        version=version,
    )


def _parse_xml(data: bytes) -> Element:
    if not data.strip():
        raise UnreadableInput("the file is empty")
    try:
        return SafeElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise UnreadableInput(
            "the XML declares a DTD (<!DOCTYPE …>), which is refused: a NewsML-G2 item needs none, "
            "and a DTD can define entities that expand without bound"
        ) from None
    except defusedxml.EntitiesForbidden:
        raise UnreadableInput("the XML defines entities, which are refused") from None
    except defusedxml.ExternalReferenceForbidden:
        raise UnreadableInput("the XML refers to external resources, which are refused") from None
    except defusedxml.DefusedXmlException as error:
        raise UnreadableInput(f"the XML is refused: {error}") from None
    except ParseError as error:
        raise UnreadableInput(f"the XML is malformed: {error}") from None


def _item_class(item_meta: Element | None) -> str | None:
    """The last part of the item class's qcode (``ninat:text`` → ``text``) or URI."""
    element = _child(item_meta, "itemClass")
    if element is None:
        return None
    qcode = (element.get("qcode") or "").strip()
    if qcode:
        return qcode.rsplit(":", 1)[-1].lower() or None
    uri = (element.get("uri") or "").strip().rstrip("/")
    if uri:
        return uri.rsplit("/", 1)[-1].lower() or None
    return None


def _version(value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise UnreadableInput(f"the item's version is not a positive whole number: {value!r}")
    return number


def _content(item: Element) -> tuple[str, bool, Element | None] | None:
    """(text, whether it is HTML, the inline XML it came from) of the first rendition with text."""
    content_sets = _children(item, "contentSet")
    for content_set in content_sets:
        for inline in _children(content_set, "inlineXML"):
            markup = next((child for child in inline if _is_element(child)), None)
            text = _markup_text(markup) if markup is not None else (inline.text or "")
            if text.strip():
                return text, False, markup
    for content_set in content_sets:
        for inline in _children(content_set, "inlineData"):
            text = _inline_data(inline)
            if text.strip():
                content_type = (inline.get("contenttype") or "").lower()
                return text, "html" in content_type, None
    return None


def _inline_data(inline: Element) -> str:
    text = inline.text or ""
    if (inline.get("encoding") or "").strip().lower() == "base64":
        try:
            raw = base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            raise UnreadableInput("the item's inlineData is not valid base64") from None
        charset = (inline.get("contenttype") or "").partition("charset=")[2].strip(" \"';") or "utf-8"
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            raise UnreadableInput(f"the item's inlineData cannot be decoded as {charset}") from None
    return text


def _markup_text(markup: Element) -> str:
    """The paragraphs of inline NITF or XHTML, separated by blank lines, each on one line."""
    name = _local(markup.tag)
    # Elements with no children are falsy: compare with None.
    container = None
    if name == "nitf":
        container = _first_descendant(markup, "body.content")
        if container is None:
            container = _child(markup, "body")
    elif name == "html":
        container = _child(markup, "body")
    if container is None:
        container = markup
    pieces: list[str] = [_flat(container.text)]
    _walk(container, pieces)
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _walk(element: Element, pieces: list[str]) -> None:
    for child in element:
        if _is_element(child):
            name = _local(child.tag)
            if name in _NEVER_TEXT:
                pass
            elif name == "br":
                pieces.append("\n")
            else:
                block = name in _BLOCKS
                if block:
                    pieces.append("\n\n")
                elif name in _CELLS:
                    pieces.append(" ")
                pieces.append(_flat(child.text))
                _walk(child, pieces)
                if block:
                    pieces.append("\n\n")
                elif name in _CELLS:
                    pieces.append(" ")
        pieces.append(_flat(child.tail))


def _flat(text: str | None) -> str:
    """Text with its line breaks made spaces: in markup, only elements break lines."""
    return " ".join((text or "").split("\n")) if text else ""


def _byline(content_meta: Element | None) -> str | None:
    by = clean_str(_text_of(_child(content_meta, "by")))
    if by:
        return by
    names = []
    for creator in _children(content_meta, "creator"):
        name = clean_str(_text_of(_child(creator, "name"))) or clean_str(creator.get("literal"))
        if name and name not in names:
            names.append(name)
    return ", ".join(names) or None


def _provider(item_meta: Element | None) -> str | None:
    provider = _child(item_meta, "provider")
    if provider is None:
        return None
    qcode = (provider.get("qcode") or "").strip()
    return (
        clean_str(_text_of(_child(provider, "name")))
        or clean_str(provider.get("literal"))
        or clean_str(qcode.rsplit(":", 1)[-1] if qcode else None)
    )


def _moment(element: Element | None) -> datetime.datetime | None:
    """An xs:dateTime (UTC when it has no offset) or a date alone (its midnight, UTC); None when unreadable."""
    text = (_text_of(element) or "").strip()
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return aware(datetime.datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return aware(datetime.datetime.combine(datetime.date.fromisoformat(text[:10]), datetime.time()))
    except ValueError:
        return None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_element(node) -> bool:
    return isinstance(node.tag, str)


def _children(parent: Element | None, name: str) -> list[Element]:
    if parent is None:
        return []
    return [child for child in parent if _local(child.tag) == name]


def _child(parent: Element | None, name: str) -> Element | None:
    return next(iter(_children(parent, name)), None)


def _first_descendant(parent: Element | None, name: str) -> Element | None:
    if parent is None:
        return None
    return next((element for element in parent.iter() if _local(element.tag) == name), None)


def _text_of(element: Element | None) -> str | None:
    return "".join(element.itertext()) if element is not None else None
