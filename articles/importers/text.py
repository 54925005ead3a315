"""Plain text: decoding and cleaning are the extraction engine's, shared by every path."""

from __future__ import annotations

from ..extraction import InvalidText, prepare_text
from .base import ParsedArticle, UnreadableInput


def parse_text(raw: bytes | str, *, format: str = "text") -> ParsedArticle:
    try:
        prepared = prepare_text(raw)
    except InvalidText as error:
        raise UnreadableInput(str(error)) from None
    return ParsedArticle(format=format, body=prepared.body, title=prepared.title)
