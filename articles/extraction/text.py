"""Decoding and cleaning of incoming article text.

The body we return is what gets stored, highlighted and scored, so cleaning only
ever removes whole boilerplate lines (and a trailing sign-off); every other
character is kept exactly as the source had it, line endings aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from charset_normalizer import from_bytes


class InvalidText(ValueError):
    """The input cannot be an article; the message says why, for a person to read."""


@dataclass(frozen=True)
class PreparedArticle:
    title: str | None
    body: str


# CMS front matter that leaks into exports: `enablePagination: false`, `max_items: 10`.
# A key with no spaces that is camelCase or snake_case, and a scalar value.
_SETTINGS_LINE = re.compile(
    r"^[ \t]*[a-z][a-z0-9]*(?:[A-Z_][A-Za-z0-9_]*)+[ \t]*[:=][ \t]*"
    r"(?:true|false|null|none|-?\d+(?:\.\d+)?|\"[^\"\n]*\"|'[^'\n]*')[ \t]*$",
    re.IGNORECASE,
)
_SETTINGS_LINE_BOOL = re.compile(
    r"^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*:[ \t]*(?:true|false|null)[ \t]*$"
)
# "READ: ...", "ALSO READ: ...", "Related: ..." teaser lines pointing at other stories.
_RELATED_LINE = re.compile(
    r"^[ \t]*(?:read|also read|read more|read also|related|related stories|related story|"
    r"see also|watch|listen|more|recommended|trending|click here)[ \t]*[:|][ \t]*\S.{0,200}$",
    re.IGNORECASE,
)
# A line holding only an editor's initials ("JE", "/jbp", "(AFP/RCN)", "-- mm").
_SIGNOFF_LINE = re.compile(r"^[ \t]*(?:--?|—|–)?[ \t]*[/(]?[A-Za-z]{1,4}(?:[/ ,][A-Za-z]{1,4}){0,2}[)]?[ \t]*$")
# Initials glued to the end of the last sentence: "... Russian Federation. JE"
_TRAILING_INITIALS = re.compile(r"(?<=[.!?\"”’])[ \t]+(?:/[a-z]{2,4}|[A-Z]{2,3}(?:/[A-Z]{2,3})?)[ \t]*$")

_TERMINAL_PUNCT = ".!?\"”’:;…"


def decode_bytes(raw: bytes) -> str:
    if not raw.strip():
        raise InvalidText("the file is empty")
    if b"\x00" in raw[:8192]:
        raise InvalidText("the file is binary, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None:
        raise InvalidText("the text encoding could not be detected (not UTF-8 and no known encoding fits)")
    if best.encoding in _LATIN_SINGLE_BYTE:
        # Detectors cannot tell the Latin code pages apart on short text; English-language
        # news that is not UTF-8 is overwhelmingly Windows-1252 (a superset of Latin-1).
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


_LATIN_SINGLE_BYTE = frozenset(
    {
        "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_3", "iso8859_4",
        "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
        "mac_roman", "mac_latin2", "mac_iceland", "cp437", "cp775", "cp850", "cp852", "cp858",
    }
)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\t\r\f")
    return "\x00" in sample or control > len(sample) // 20


def _is_boilerplate(line: str) -> bool:
    return bool(
        _SETTINGS_LINE.match(line) or _SETTINGS_LINE_BOOL.match(line) or _RELATED_LINE.match(line)
    )


def _drop_boilerplate_lines(text: str) -> str:
    lines = text.split("\n")
    kept = [line for line in lines if not _is_boilerplate(line)]
    # Sign-off initials only ever come last; a short line mid-article is content.
    while kept and not kept[-1].strip():
        kept.pop()
    if len(kept) > 1 and _SIGNOFF_LINE.match(kept[-1]) and not kept[-1].strip().isdigit():
        kept.pop()
    if kept:
        kept[-1] = _TRAILING_INITIALS.sub("", kept[-1])
    return "\n".join(kept)


def headline_end(body: str) -> int:
    """Offset just past a headline on the first line, or 0 when there is none.

    A headline is a short first line without sentence punctuation, followed by
    more text. Datelines and lead sentences end with a full stop; headlines do not.
    """
    first, sep, rest = body.partition("\n")
    line = first.strip()
    if not sep or not rest.strip() or not line:
        return 0
    words = line.split()
    if len(words) > 25 or len(line) > 200 or line[-1] in _TERMINAL_PUNCT:
        return 0
    return len(first)


def prepare_text(raw: bytes | str) -> PreparedArticle:
    if isinstance(raw, bytes):
        text = decode_bytes(raw)
    elif isinstance(raw, str):
        text = raw
    else:
        raise InvalidText("the article must be text or bytes")
    if _looks_binary(text):
        raise InvalidText("the file is binary, not text")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _drop_boilerplate_lines(text)
    # Leading blank lines carry nothing and would shift every offset for no reason.
    text = text.lstrip("\n")
    if not text.strip():
        raise InvalidText("the article is empty")
    end = headline_end(text)
    title = text[:end].strip() or None
    # The headline stays in the body: it is part of what was published, and a
    # claim anchored in it must still be findable at its offset.
    return PreparedArticle(title=title, body=text)
