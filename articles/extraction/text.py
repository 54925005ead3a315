"""Decoding and cleaning of incoming article text.

The body we return is what gets stored, highlighted and scored, so cleaning only
ever removes whole boilerplate lines (and a trailing sign-off); every other
character is kept exactly as the source had it, line endings aside.
"""

from __future__ import annotations

import codecs
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
    """The text of ``raw``: UTF-8 when it is valid UTF-8, else Windows-1252 unless another encoding is clear.

    English-language news that is not UTF-8 is overwhelmingly Windows-1252, and detectors
    guess badly on short text with few non-ASCII bytes (a lone 0xA3 "£" read as Shift-JIS
    "｣"). So the Windows-1252 reading wins unless it is mostly non-ASCII letters, which is
    what Cyrillic, Greek or CJK bytes look like forced into Western letters, and the
    detector then names an encoding that is not a Latin code page.
    """
    if not raw.strip():
        raise InvalidText("the file is empty")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # A byte-order mark is the strongest evidence there is: Windows tools save UTF-16 so.
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InvalidText("the file starts as UTF-16 but is not valid UTF-16") from None
    if b"\x00" in raw[:8192]:
        raise InvalidText("the file is binary, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    western = codecs.charmap_decode(raw, "strict", _WINDOWS_1252)[0]
    if _reads_as_latin_script(western):
        return western
    best = from_bytes(raw).best()
    if best is None:
        raise InvalidText("the text encoding could not be detected (not UTF-8 and no known encoding fits)")
    if best.encoding in _LATIN_SINGLE_BYTE:
        # Detectors cannot tell the Latin code pages apart; Windows-1252 is a superset of Latin-1.
        return western
    return str(best)


# Windows-1252 as browsers decode it (WHATWG Encoding Standard): the five bytes the code
# page leaves unassigned (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the C1 controls of the same
# number, so one stray byte cannot send an English article to the detector.
_WINDOWS_1252 = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))

# Western languages put accents on a small minority of letters (about 5% in French or
# German news); Cyrillic, Greek, Chinese, Japanese or Korean bytes read as Windows-1252
# come out as 50% to 100% non-ASCII letters. A handful of letters is too little evidence
# either way, so very short inputs stay Windows-1252.
_MAX_NON_ASCII_LETTER_SHARE = 0.3
_MIN_NON_ASCII_LETTERS = 6


def _reads_as_latin_script(text: str) -> bool:
    letters = non_ascii = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            non_ascii += not ch.isascii()
    return non_ascii < _MIN_NON_ASCII_LETTERS or non_ascii <= _MAX_NON_ASCII_LETTER_SHARE * letters


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
    """The text without boilerplate lines, and without the gaps they leave.

    Where lines are dropped, the blank lines before and after them merge into one
    empty line (a paragraph break) when there were any, so a dropped paragraph
    leaves no run of blank lines and a dropped line inside a paragraph leaves none.
    """
    lines = text.split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        if not _is_boilerplate(lines[index]):
            kept.append(lines[index])
            index += 1
            continue
        # The dropped lines, and the blank lines around them.
        paragraph_break = False
        while index < len(lines) and (_is_boilerplate(lines[index]) or not lines[index].strip()):
            paragraph_break = paragraph_break or not lines[index].strip()
            index += 1
        while kept and not kept[-1].strip():
            kept.pop()
            paragraph_break = True
        if paragraph_break and kept:
            kept.append("")
    # Sign-off initials only ever come last; a short line mid-article is content.
    _drop_trailing_blank_lines(kept)
    if len(kept) > 1 and _SIGNOFF_LINE.match(kept[-1]) and not kept[-1].strip().isdigit():
        kept.pop()
        _drop_trailing_blank_lines(kept)
    if kept:
        kept[-1] = _TRAILING_INITIALS.sub("", kept[-1])
    return "\n".join(kept)


def _drop_trailing_blank_lines(lines: list[str]) -> None:
    while lines and not lines[-1].strip():
        lines.pop()


def headline_end(body: str) -> int:
    """Offset just past a headline on the first line, or 0 when there is none.

    A headline is a short first line without sentence punctuation, followed by
    more text. Datelines and lead sentences end with a full stop; headlines do not, except
    a headline in title case ("Mayor Picks Up First Endorsements.") that some archives
    close with one.
    """
    first, sep, rest = body.partition("\n")
    line = first.strip()
    if not sep or not rest.strip() or not line:
        return 0
    words = line.split()
    if len(words) > 25 or len(line) > 200:
        return 0
    if line[-1] in _TERMINAL_PUNCT and not (line[-1] == "." and _is_title_case(words)):
        return 0
    return len(first)


_MAX_TITLE_CASE_WORDS = 14


def _is_title_case(words: list[str]) -> bool:
    """Most words of four letters or more start with a capital, as in a headline."""
    long_words = [w for w in words if sum(c.isalpha() for c in w) >= 4]
    if len(words) > _MAX_TITLE_CASE_WORDS or len(long_words) < 3:
        return False
    return sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)


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
    # The headline stays in this body, as published; importing an article
    # (articles.importers.titles) moves it to the title so it is not shown twice.
    return PreparedArticle(title=title, body=text)
