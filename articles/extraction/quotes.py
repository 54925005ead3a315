"""Direct quotations: where they are, and the text outside them.

Double quotes (straight or curly) are paired per paragraph; a quote that is still
open at the end of a paragraph continues when the next paragraph opens with a
quote mark (the newsroom convention for quotes running over several paragraphs).
Single quotes count as quotation marks only outside double quotes, as in UK copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sentences import Layout

_DOUBLE_MARKS = re.compile(r"[\"“”„]")
_OPENERS = "\"“„"
_CURLY_SINGLE = re.compile(r"(?<![\w’'])‘((?:[^‘’\n]|’(?=\w))+)’(?!\w)")
_STRAIGHT_SINGLE = re.compile(r"(?<![\w'])'((?:[^'\n]|'(?=\w))+)'(?!\w)")
_SMALL_WORDS = frozenset("a an and at by for in of on or the to with from vs".split())


@dataclass(frozen=True)
class QuoteSpan:
    start: int  # first character of the quoted words
    end: int  # just past the last quoted word (a trailing comma is the sentence's)
    open_at: int  # the opening mark
    close_at: int  # just past the closing mark



_WORDS = re.compile(r"\w+")


def word_count(text: str) -> int:
    return len(_WORDS.findall(text))


def _content_span(body: str, open_at: int, close_mark: int, close_at: int) -> QuoteSpan | None:
    start, end = open_at + 1, close_mark
    while start < end and body[start].isspace():
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] == ","):
        end -= 1
    if end <= start:
        return None
    return QuoteSpan(start, end, open_at, close_at)


def _is_title(text: str) -> bool:
    """A short all-capitalised phrase in quotes names a work or programme ("The Source")."""
    words = text.split()
    if not words or len(words) > 6 or text[-1] in ".!?,;:":
        return False
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words if w[0].isalpha())


def find_quotes(body: str, layout: Layout) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    paragraphs = layout.paragraphs
    open_at = -1
    open_para = -1
    for match in _DOUBLE_MARKS.finditer(body):
        pos, mark = match.start(), match.group()
        para = layout.paragraph_of(pos)
        if open_at >= 0 and para != open_para:
            at_para_start = not body[paragraphs[para][0]:pos].strip()
            if para == open_para + 1 and at_para_start and mark in _OPENERS:
                open_para = para  # the same quote goes on in this paragraph
                continue
            open_at = -1  # never closed: not a quotation we can trust
        if open_at < 0:
            if mark == "”":
                continue
            open_at, open_para = pos, para
            continue
        if mark == "“":
            open_at, open_para = pos, para  # a new opening: the earlier one was stray
            continue
        span = _content_span(body, open_at, pos, pos + 1)
        open_at = -1
        if span and not _is_title(body[span.start:span.end]):
            spans.append(span)
    spans.extend(_single_quotes(body, spans))
    spans.sort(key=lambda s: s.start)
    return spans


def _single_quotes(body: str, doubles: list[QuoteSpan]) -> list[QuoteSpan]:
    pattern = _CURLY_SINGLE if "‘" in body else None
    if pattern is None and not doubles and "'" in body:
        pattern = _STRAIGHT_SINGLE
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(body):
        if any(d.open_at <= match.start() < d.close_at for d in doubles):
            continue  # a quote within a quote belongs to the outer one
        text = match.group(1)
        if word_count(text) < 2 or _is_title(text.strip()):
            continue
        span = _content_span(body, match.start(), match.end() - 1, match.end())
        if span:
            found.append(span)
    return found


def mask_quotes(body: str, quotes: list[QuoteSpan]) -> str:
    """The body with quoted words blanked out (marks kept), offsets unchanged.

    Speakers, attributions and names are looked for in the reporter's words only.
    """
    if not quotes:
        return body
    parts = []
    pos = 0
    for q in quotes:
        inner_start, inner_end = q.open_at + 1, q.close_at - 1
        if inner_start < pos:
            continue
        parts.append(body[pos:inner_start])
        parts.append(re.sub(r"[^\n]", " ", body[inner_start:inner_end]))
        pos = inner_end
    parts.append(body[pos:])
    return "".join(parts)
