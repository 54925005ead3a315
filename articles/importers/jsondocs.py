"""JSON documents: articles in the API's shape, and IPTC ninjs (1.x, 2.x and 3.x).

A document is one object or a list of them. Each entry is read on its own, so one bad
entry in a list is reported without losing the others.

What is read from ninjs (field names in 3.x are camelCase: contentType, firstCreated...):

- the body: 1.x ``body_<format>`` strings (body_text, body_html, body_html5, body_xhtml,
  1.6's body_main and body_richtext, or any other ``body_*``); 2.x and 3.x ``bodies``, a
  list of {role, contenttype, value}. The main body (role "main" or none) is preferred to
  any other role, and a summary or teaser comes last; among bodies of one role plain text
  wins, else the markup (HTML, XHTML) giving the most text, read as pages are, or the
  paragraphs of a NITF document's <body.content>;
- the title: ``headline`` (1.x), the main one of ``headlines`` (2.x, 3.x), else a
  ``headline_*`` such as headline_main;
- the byline: ``byline`` (1.x) or ``by`` (2.x, 3.x);
- the publication date: when the first version was created (``firstcreated``), else when
  the content was, else when this version was (``versioncreated``): a correction does not
  move an article's publication date;
- the id: ``uri``, else ``guid``; a web address among them is the article's url;
- the source: ``provider`` (a name, or an object with one), an info source whose role is
  provider or originator, else the ``copyrightholder``.

Pictures, graphics, video, audio, events and planning items, and items with no text, are
skipped with the reason (``EntrySkipped``), not counted as failures. A composite item is
imported when it carries text itself; its associated pictures and videos are parts of it,
not articles. A composite with no text of its own gives the text items among its
associations. A document with a field of the wrong type is an error (``EntryError``).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html

from .base import EntryError, EntrySkipped, ParsedArticle, UnreadableInput, clean_str, parse_datetime
from .html import parse_html
from .text import parse_text
from .titles import title_from_body

API_FIELDS = ("source", "external_id", "title", "byline", "url", "published_at", "body")

NINJS_TYPES = frozenset({"text", "audio", "video", "picture", "graphic", "composite", "component", "event", "planning"})
# What the items that are not articles to check are, as the skip reason says it.
_NOT_ARTICLES = {
    "picture": "a picture",
    "graphic": "a graphic",
    "video": "a video",
    "audio": "an audio item",
    "event": "an event",
    "planning": "a planning item",
}
_NINJS_HINTS = (
    "headline", "headlines", "bodies", "versioncreated", "versionCreated", "firstcreated", "firstCreated",
    "renditions", "associations",
)
_DATE_KEYS = (
    "firstpublished", "firstcreated", "firstCreated", "contentcreated", "contentCreated", "versioncreated",
    "versionCreated",
)
_TEXT, _MARKUP, _NITF = "text", "markup", "nitf"
# ninjs 1.x body_<suffix>: the suffixes naming a format; others (main, richtext...) are sniffed.
_FORMAT_SUFFIXES = {"text": _TEXT, "plain": _TEXT, "html": _MARKUP, "html5": _MARKUP, "xhtml": _MARKUP, "nitf": _NITF}
_BODY_KEY_ORDER = ("body_text", "body_main", "body_html5", "body_html", "body_xhtml", "body_richtext", "body_nitf")
_SECONDARY_ROLES = frozenset(
    "summary teaser abstract preview excerpt short lead intro standfirst kicker sub subheadline alert seo".split()
)
_SUPPLIER_ROLES = ("provider", "originator", "publisher", "distributor")
_MAX_DEPTH = 3
_TAG = re.compile(r"<[a-zA-Z!/]")
_NITF_START = re.compile(r"<(?:[\w-]+:)?(?:nitf|body\.content)[\s>]")
_PRE = re.compile(r"<(?:pre|textarea|listing|plaintext)[\s>]", re.IGNORECASE)
_NITF_BLOCKS = frozenset({"p", "hl1", "hl2", "li", "pre", "dt", "dd", "td", "th"})
_NITF_NOT_TEXT = frozenset({"media", "note", "object"})


def load_json(raw: bytes | str):
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableInput("the JSON is not UTF-8 text") from None
    if not raw.strip():
        raise UnreadableInput("the file is empty")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise UnreadableInput(f"the JSON is malformed: {error.msg.removesuffix(' at')} at line {error.lineno}, column {error.colno}") from None


def is_ninjs(entry) -> bool:
    if not isinstance(entry, dict):
        return False
    schema = str(entry.get("$schema", ""))
    if "ninjs" in schema or "iptc.org" in schema:
        return True
    standard = entry.get("standard") or entry.get("$standard")
    if isinstance(standard, dict) and "ninjs" in str(standard.get("name", "")).lower():
        return True
    if "uri" not in entry and "guid" not in entry:
        return False
    return (
        any(key in entry for key in _NINJS_HINTS)
        or any(key.startswith(("body_", "headline_")) for key in entry)
        or entry.get("type") in NINJS_TYPES
    )


def parse_json(raw: bytes | str) -> list[ParsedArticle | EntryError | EntrySkipped]:
    data = load_json(raw)
    entries = data if isinstance(data, list) else [data]
    if not entries:
        raise UnreadableInput("the JSON list holds no articles")
    results: list[ParsedArticle | EntryError | EntrySkipped] = []
    for number, entry in enumerate(entries, start=1):
        label = _entry_label(entry, number)
        try:
            if not isinstance(entry, dict):
                raise UnreadableInput(f"expected an object, found {type(entry).__name__}")
            results.extend(read_ninjs_entry(entry, label=label) if is_ninjs(entry) else [parse_api_entry(entry)])
        except UnreadableInput as error:
            if len(entries) == 1:
                raise
            results.append(EntryError(label=label, reason=str(error)))
    return results


def parse_api_entry(entry: dict) -> ParsedArticle:
    """An article as the API takes it; the body is stored as sent, exactly as the API stores it.

    Without a title, the start of the body's first sentence is the title (the body is not changed).
    """
    if "body" not in entry:
        unknown = sorted(set(entry) - set(API_FIELDS))
        hint = f" (it has {', '.join(unknown[:6])})" if unknown else ""
        raise UnreadableInput(f"the JSON is neither an article in the API's shape nor ninjs: no body{hint}")
    body = entry["body"]
    if not isinstance(body, str):
        raise UnreadableInput("body must be a string")
    if not body.strip():
        raise UnreadableInput("the article body is empty")
    url = _optional_str(entry, "url")
    if url and not url.startswith(("http://", "https://")):
        raise UnreadableInput(f"url is not an http(s) address: {url!r}")
    return ParsedArticle(
        format="json",
        body=body,
        external_id=_optional_str(entry, "external_id"),
        source=_optional_str(entry, "source"),
        title=_optional_str(entry, "title") or title_from_body(body),
        byline=_optional_str(entry, "byline"),
        url=url or None,
        published_at=parse_datetime(entry.get("published_at"), field="published_at"),
    )


def read_ninjs_entry(entry: dict, *, label: str) -> list[ParsedArticle | EntrySkipped]:
    """One ninjs document: its article, or why it is skipped (see the module's docstring).

    A composite without text of its own gives the text items among its associations
    (each one article), or is skipped when it has none. Raises UnreadableInput when the
    document is malformed (a field of the wrong type) or its text cannot be read.
    """
    return _read_ninjs(entry, label=label, depth=0)


def _read_ninjs(
    entry: dict, *, label: str, depth: int, inherited: dict | None = None
) -> list[ParsedArticle | EntrySkipped]:
    kind = _ninjs_type(entry)
    title = _ninjs_title(entry)
    named = f" {title!r}" if title else ""
    if kind in _NOT_ARTICLES:
        return [EntrySkipped(label, f"the ninjs item{named} is {_NOT_ARTICLES[kind]}, not an article to check")]
    external_id = _ninjs_id(entry)
    byline = _str_field(entry, "byline") or _str_field(entry, "by")
    source = _ninjs_source(entry)
    published = _ninjs_published(entry)
    body = _ninjs_body(entry, title=title)
    if body is not None:
        inherited = inherited or {}
        return [
            ParsedArticle(
                format="ninjs",
                body=body.body,
                external_id=external_id or inherited.get("external_id"),
                title=body.title,
                byline=byline or body.byline,
                url=_ninjs_link(entry) or body.url,
                published_at=published or inherited.get("published_at") or body.published_at,
                source=source or inherited.get("source"),
            )
        ]
    associations = _ninjs_associations(entry)
    if associations and depth < _MAX_DEPTH:
        articles: list[ParsedArticle | EntrySkipped] = []
        for name, item in associations:
            item_label = _entry_label(item, 0) if _ninjs_id(item) else f"{label}#{name}"
            context = {
                "external_id": f"{external_id or label}#{name}",
                "source": source or (inherited or {}).get("source"),
                "published_at": published,
            }
            found = _read_ninjs(item, label=item_label, depth=depth + 1, inherited=context)
            articles.extend(result for result in found if isinstance(result, ParsedArticle))
        if articles:
            return articles
        return [EntrySkipped(label, f"the ninjs {kind or 'item'}{named} carries no text, nor do its associations")]
    return [EntrySkipped(label, f"the ninjs {kind if kind == 'composite' else 'item'}{named} carries no text")]


@dataclass(frozen=True)
class _Body:
    where: str
    role_rank: int
    kind: str  # TEXT, MARKUP or NITF
    value: str


def _ninjs_body(entry: dict, *, title: str | None) -> ParsedArticle | None:
    """The text of the best body, or None when the item has no body with anything in it.

    The main body (role "main", or none) before any other role, and a summary or teaser
    last; among bodies of the same role, plain text first, else the markup giving the most
    text. A body that cannot be read gives way to the next; when none can, the first
    reason is raised.
    """
    candidates = [body for body in (*_ninjs_1_bodies(entry), *_ninjs_bodies(entry)) if body.value.strip()]
    if not candidates:
        return None
    first_error: UnreadableInput | None = None
    for rank in sorted({body.role_rank for body in candidates}):
        same_role = [body for body in candidates if body.role_rank == rank]
        read: list[ParsedArticle] = []
        for body in sorted(same_role, key=lambda body: body.kind != _TEXT):
            try:
                article = _read_body(body, title=title)
            except UnreadableInput as error:
                first_error = first_error or UnreadableInput(f"{body.where}: {error}")
                continue
            if body.kind == _TEXT:
                return article
            read.append(article)
        if read:
            return max(read, key=lambda article: len(article.body))
    raise first_error


def _read_body(body: _Body, *, title: str | None) -> ParsedArticle:
    if body.kind == _TEXT:
        return parse_text(body.value, format="ninjs", titles=(title,))
    if body.kind == _NITF:
        nitf = _nitf(body.value)
        if nitf is not None:
            text, byline = nitf
            return dataclasses.replace(parse_text(text, format="ninjs", titles=(title,)), byline=byline)
    return parse_html(_collapse_spaces(body.value), format="ninjs", title=title)


def _collapse_spaces(markup: str) -> str:
    """Markup's runs of white space as one space, as browsers show them: a body wrapped in its
    source (Business Wire's body_xhtml) does not keep the wraps as line breaks. Not when it has <pre>."""
    return markup if _PRE.search(markup) else " ".join(markup.split())


def _ninjs_1_bodies(entry: dict) -> list[_Body]:
    """ninjs 1.x: ``body_<format or purpose>`` strings (body_text, body_html, body_xhtml, 1.6's body_main...)."""
    found = []
    for key in sorted(entry, key=_body_key_order):
        if not key.startswith("body_"):
            continue
        value = entry[key]
        contenttype = None
        if isinstance(value, dict):  # an object holding the text, as some producers send body_main
            contenttype = _body_contenttype(value, where=key)
            value = value.get("value", value.get("content"))
        if value is None:
            continue
        if not isinstance(value, str):
            raise UnreadableInput(f"{key} must be a string")
        parts = key.removeprefix("body_").lower().split("_")
        kind = _FORMAT_SUFFIXES.get(parts[0]) or _body_kind(contenttype, value)
        role = next((part for part in parts if part in _SECONDARY_ROLES), None)
        found.append(_Body(key, _role_rank(role), kind, value))
    return found


def _ninjs_bodies(entry: dict) -> list[_Body]:
    """ninjs 2.x and 3.x: ``bodies``, a list of {role, contenttype (3.x: contentType), value}."""
    bodies = entry.get("bodies")
    if bodies is None:
        return []
    if not isinstance(bodies, list):
        raise UnreadableInput("bodies must be a list")
    found = []
    for number, body in enumerate(bodies, start=1):
        where = f"bodies[{number}]"
        if not isinstance(body, dict):
            raise UnreadableInput(f"{where} must be an object")
        value = body.get("value")
        if value is None:
            continue
        if not isinstance(value, str):
            raise UnreadableInput(f"{where}.value must be a string")
        role = body.get("role")
        if role is not None and not isinstance(role, str):
            raise UnreadableInput(f"{where}.role must be a string")
        found.append(_Body(where, _role_rank(role), _body_kind(_body_contenttype(body, where=where), value), value))
    return found


def _body_key_order(key: str) -> tuple[int, str]:
    return (_BODY_KEY_ORDER.index(key) if key in _BODY_KEY_ORDER else len(_BODY_KEY_ORDER), key)


def _body_contenttype(body: dict, *, where: str) -> str | None:
    for key in ("contenttype", "contentType", "mimetype"):
        value = body.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise UnreadableInput(f"{where}.{key} must be a string")
        return value.split(";")[0].strip().lower() or None
    return None


def _body_kind(contenttype: str | None, value: str) -> str:
    """How to read a body: its content type when given, else what it looks like."""
    if contenttype:
        if "nitf" in contenttype:
            return _NITF
        if "html" in contenttype:
            return _MARKUP
        if "xml" in contenttype:
            return _NITF if _NITF_START.search(value) else _MARKUP
        return _TEXT
    if _NITF_START.search(value):
        return _NITF
    return _MARKUP if _TAG.search(value) else _TEXT


def _role_rank(role: str | None) -> int:
    """0 for the main body (role "main" or none), 2 for a summary or teaser, 1 for any other role."""
    name = (role or "").strip().lower().rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    if name in ("", "main", "body", "text", "full"):
        return 0
    return 2 if name in _SECONDARY_ROLES else 1


def _nitf(value: str) -> tuple[str, str | None] | None:
    """The paragraphs of a NITF document's <body.content> and its <byline>, or None when it is not NITF XML.

    The XML parser neither loads DTDs nor resolves entities nor reaches the network.
    Pictures and their captions (<media>) and editorial notes (<note>) are not text.
    """
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
    )
    try:
        root = lxml.etree.fromstring(value.strip().encode("utf-8"), parser)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None
    containers = [element for element in root.iter() if _local_name(element) == "body.content"]
    if not containers:
        return None
    bylines = (_spaced(_nitf_text(element)) for element in root.iter() if _local_name(element) == "byline")
    byline = next((line for line in bylines if line), None)
    paragraphs = []
    for container in containers:
        blocks = [
            element for element in container.iter()
            if _local_name(element) in _NITF_BLOCKS
            and not any(_local_name(up) in _NITF_BLOCKS | _NITF_NOT_TEXT for up in element.iterancestors())
        ]
        for block in blocks or [container]:
            text = _spaced(_nitf_text(block))
            if text:
                paragraphs.append(text)
    return "\n\n".join(paragraphs), byline


def _nitf_text(element) -> str:
    """An element's text without that of its pictures and notes (their tails are kept)."""
    parts = [element.text or ""]
    for child in element:
        if _local_name(child) and _local_name(child) not in _NITF_NOT_TEXT:
            parts.append(_nitf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _local_name(element) -> str:
    return lxml.etree.QName(element).localname if isinstance(element.tag, str) else ""


def _ninjs_type(entry: dict) -> str | None:
    kind = entry.get("type")
    if kind is None:
        return None
    if not isinstance(kind, str):
        raise UnreadableInput("type must be a string")
    return kind.strip().lower() or None


def _ninjs_id(entry: dict) -> str | None:
    for key in ("uri", "guid"):
        value = entry.get(key)
        if value is None:
            continue
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise UnreadableInput(f"{key} must be a string")
        if clean_str(value):
            return clean_str(value)
    return None


def _ninjs_title(entry: dict) -> str | None:
    """``headline`` (1.x), the main one of ``headlines`` (2.x, 3.x), else a ``headline_*`` (1.3+)."""
    headline = _str_field(entry, "headline") or _ninjs_headline(entry.get("headlines"))
    if headline:
        return headline
    extras = sorted(
        (key for key in entry if key.startswith("headline_")),
        key=lambda key: (_role_rank(key.removeprefix("headline_").split("_")[0]), key != "headline_main", key),
    )
    for key in extras:
        value = _str_field(entry, key)
        if value:
            return value
    return None


def _ninjs_headline(headlines) -> str | None:
    if headlines is None:
        return None
    if not isinstance(headlines, list):
        raise UnreadableInput("headlines must be a list")
    found = []
    for number, headline in enumerate(headlines, start=1):
        if not isinstance(headline, dict):
            raise UnreadableInput(f"headlines[{number}] must be an object")
        value = _str_field(headline, "value", where=f"headlines[{number}].")
        if value and "html" in str(headline.get("contenttype") or headline.get("contentType") or ""):
            value = clean_str(_markup_text(value))
        role = headline.get("role")
        if value:
            found.append((_role_rank(role if isinstance(role, str) else None), value))
    return min(found, key=lambda found: found[0])[1] if found else None


def _markup_text(value: str) -> str:
    try:
        return lxml.html.fromstring(value).text_content()
    except (lxml.etree.LxmlError, ValueError):
        return value


def _ninjs_published(entry: dict):
    """When the item was first published: its first version's date, else its content's, else this version's."""
    for key in _DATE_KEYS:
        if entry.get(key):
            return parse_datetime(entry[key], field=key)
    return None


def _ninjs_source(entry: dict) -> str | None:
    """Who supplies the item: ``provider`` (a name or an object with one), an info source
    in the provider's or originator's role, else the copyright holder."""
    provider = entry.get("provider")
    if isinstance(provider, dict):
        provider = provider.get("name")
        if provider is not None and not isinstance(provider, str):
            raise UnreadableInput("provider.name must be a string")
    elif provider is not None and not isinstance(provider, str):
        raise UnreadableInput("provider must be a string or an object with a name")
    if clean_str(provider):
        return clean_str(provider)
    for key in ("infosources", "infoSources", "infosource"):
        sources = entry.get(key)
        if not isinstance(sources, list):
            continue
        for source in sources:
            if not isinstance(source, dict):
                continue
            role = str(source.get("role") or source.get("rel") or "").lower()
            if any(word in role for word in _SUPPLIER_ROLES) and isinstance(source.get("name"), str):
                if clean_str(source["name"]):
                    return clean_str(source["name"])
    return _str_field(entry, "copyrightholder") or _str_field(entry, "copyrightHolder")


def _ninjs_associations(entry: dict) -> list[tuple[str, dict]]:
    """The associated items: an object keyed by name (1.x) or a list of items with a name (2.x, 3.x)."""
    associations = entry.get("associations")
    if associations is None:
        return []
    if isinstance(associations, dict):
        items = list(associations.items())
    elif isinstance(associations, list):
        items = [(str(item.get("name") or number) if isinstance(item, dict) else str(number), item)
                 for number, item in enumerate(associations, start=1)]
    else:
        raise UnreadableInput("associations must be an object or a list")
    for name, item in items:
        if not isinstance(item, dict):
            raise UnreadableInput(f"associations {name!r} must be an object")
    return items


def _str_field(entry: dict, key: str, *, where: str = "") -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise UnreadableInput(f"{where}{key} must be a string")
    return clean_str(value)


def _ninjs_link(entry: dict) -> str | None:
    for key in ("uri", "guid"):
        value = entry.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return None


def _optional_str(entry: dict, key: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise UnreadableInput(f"{key} must be a string")
    return str(value).strip() or None


def _entry_label(entry, number: int) -> str:
    if isinstance(entry, dict):
        for key in ("external_id", "uri", "guid"):
            if isinstance(entry.get(key), (str, int)) and str(entry[key]).strip():
                return str(entry[key])
    return f"entry {number}"
