"""Plain text: decoding and cleaning are the extraction engine's, shared by every path."""

from __future__ import annotations

from ..extraction import InvalidText, prepare_text
from .base import ParsedArticle, UnreadableInput
from .titles import title_and_body


def parse_text(raw: bytes | str, *, format: str = "text", titles: tuple[str | None, ...] = ()) -> ParsedArticle:
    """The cleaned text as an article with a title (see ``titles``).

    ``titles`` are the titles the input names elsewhere, best first (a feed entry's, its
    page's); without any, a headline on the first line is the title, else the start of
    the first sentence. A first line repeating the title is not kept in the body.
    """
    try:
        prepared = prepare_text(raw)
    except InvalidText as error:
        raise UnreadableInput(str(error)) from None
    title, body = title_and_body(prepared.body, known_titles=titles)
    return ParsedArticle(format=format, body=body, title=title)
