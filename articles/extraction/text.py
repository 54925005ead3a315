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
    return str(best)


def prepare_text(raw: bytes | str) -> PreparedArticle:
    text = decode_bytes(raw) if isinstance(raw, bytes) else raw
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InvalidText("the article is empty")
    return PreparedArticle(title=None, body=text)
