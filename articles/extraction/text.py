"""Decoding and cleaning of incoming article text."""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import from_bytes


class InvalidText(ValueError):
    """The input cannot be an article; the message says why, for a person to read."""


@dataclass(frozen=True)
class PreparedArticle:
    title: str | None
    body: str


def decode_bytes(raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise InvalidText("the file is binary, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None:
        raise InvalidText("the text encoding could not be detected")
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
        "mac_roman", "mac_latin2", "cp437", "cp850", "cp858",
    }
)


def prepare_text(raw: bytes | str) -> PreparedArticle:
    text = decode_bytes(raw) if isinstance(raw, bytes) else raw
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InvalidText("the article is empty")
    return PreparedArticle(title=None, body=text)
