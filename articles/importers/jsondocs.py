"""JSON documents: articles in the API's shape, and IPTC ninjs (1.x and 2.x).

A document is one object or a list of them. Each entry is read on its own, so one bad
entry in a list is reported without losing the others.
"""

from __future__ import annotations

import json

from .base import EntryError, ParsedArticle, UnreadableInput, clean_str, parse_datetime
from .html import parse_html
from .text import parse_text
from .titles import title_from_body

API_FIELDS = ("source", "external_id", "title", "byline", "url", "published_at", "body")
_NINJS_BODY_KEYS = ("body_text", "body_html", "bodies")


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
    has_id = "uri" in entry or "guid" in entry
    return has_id and any(key in entry for key in ("headline", "headlines", *_NINJS_BODY_KEYS, "versioncreated"))


def parse_json(raw: bytes | str) -> list[ParsedArticle | EntryError]:
    data = load_json(raw)
    entries = data if isinstance(data, list) else [data]
    if not entries:
        raise UnreadableInput("the JSON list holds no articles")
    results: list[ParsedArticle | EntryError] = []
    for number, entry in enumerate(entries, start=1):
        label = _entry_label(entry, number)
        try:
            if not isinstance(entry, dict):
                raise UnreadableInput(f"expected an object, found {type(entry).__name__}")
            results.append(parse_ninjs_entry(entry) if is_ninjs(entry) else parse_api_entry(entry))
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


def parse_ninjs_entry(entry: dict) -> ParsedArticle:
    """IPTC ninjs 1.x (headline, byline, body_text/body_html) and 2.x (headlines, by, bodies)."""
    title = clean_str(entry.get("headline")) or _ninjs_headline(entry.get("headlines"))
    body = _ninjs_body(entry, title=title)
    external_id = clean_str(entry.get("uri")) or clean_str(entry.get("guid"))
    published = None
    for key in ("firstpublished", "firstcreated", "contentcreated", "versioncreated"):
        if entry.get(key):
            published = parse_datetime(entry[key], field=key)
            break
    byline = clean_str(entry.get("byline")) or _ninjs_by(entry.get("by"))
    return ParsedArticle(
        format="ninjs",
        body=body.body,
        external_id=external_id,
        title=body.title,
        byline=byline or body.byline,
        url=_ninjs_link(entry) or body.url,
        published_at=published or body.published_at,
    )


def _is_html(body: dict) -> bool:
    return "html" in str(body.get("contenttype", "")).lower()


def _ninjs_body(entry: dict, *, title: str | None) -> ParsedArticle:
    if isinstance(entry.get("body_text"), str) and entry["body_text"].strip():
        return parse_text(entry["body_text"], format="ninjs", titles=(title,))
    if isinstance(entry.get("body_html"), str) and entry["body_html"].strip():
        return parse_html(entry["body_html"], format="ninjs", title=title)
    bodies = entry.get("bodies")
    if isinstance(bodies, list):
        candidates = [b for b in bodies if isinstance(b, dict) and isinstance(b.get("value"), str) and b["value"].strip()]
        # The main body first (no role or role "main"), plain text before HTML.
        candidates.sort(key=lambda b: (b.get("role") not in (None, "", "main"), _is_html(b)))
        if candidates:
            chosen = candidates[0]
            if _is_html(chosen):
                return parse_html(chosen["value"], format="ninjs", title=title)
            return parse_text(chosen["value"], format="ninjs", titles=(title,))
    kind = entry.get("type")
    suffix = f" (its type is {kind!r})" if kind and kind != "text" else ""
    raise UnreadableInput(f"the ninjs item has no body text{suffix}")


def _ninjs_headline(headlines) -> str | None:
    if not isinstance(headlines, list):
        return None
    found = [h for h in headlines if isinstance(h, dict) and clean_str(h.get("value"))]
    found.sort(key=lambda h: h.get("role") not in (None, "", "main"))
    return clean_str(found[0]["value"]) if found else None


def _ninjs_by(by) -> str | None:
    if isinstance(by, str):
        return clean_str(by)
    return None


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
