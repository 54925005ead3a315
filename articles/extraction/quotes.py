"""Direct quotations: where they are, and the text outside them.

Double quotes (straight or curly) are paired by what each mark does (opens or
closes); a quote that is still open at the end of a paragraph continues when the next
paragraph opens with a quote mark (the newsroom convention for quotes running over
several paragraphs), and a mark left open damages at most its own paragraph. Single
quotes count as quotation marks only outside double quotes, as in UK copy. Two straight
apostrophes ('') stand for a double quote mark, as in some wire and archive copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sentences import Layout
from .spans import SpanIndex

_DOUBLE_MARKS = re.compile(r"[\"“”„«»]")
_OPENERS = "\"“„«"
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


_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*[ \t]+")
_OPENING_CONTEXT = " \t\n([{—–-/"


def _role_of(body: str, pos: int) -> str:
    """Whether the mark at ``pos`` opens or closes a quotation, from its neighbours.

    Curly marks say so themselves; a straight mark opens when it follows white space and
    comes before a word, and closes when it hugs the words before it.
    """
    mark = body[pos]
    if mark in "“„«":
        return "open"
    if mark in "”»":
        return "close"
    before = body[pos - 1] if pos else " "
    after = body[pos + 1] if pos + 1 < len(body) else " "
    if before in _OPENING_CONTEXT and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-'’"):
        return "close"
    return "either"


def find_quotes(body: str, layout: Layout) -> list[QuoteSpan]:
    """Every double-quoted quotation, robust to the ways real copy breaks its marks.

    - A quote running over paragraphs (each paragraph opens with a mark, only the last
      closes) is one quotation, also when the paragraphs arrive run together on one line
      ("... we will fight. “And we will win,” she said.").
    - A mark left unclosed damages at most its own paragraph: the quotation ends where its
      paragraph ends, or, when the reporter's words follow it ("... I was a Muslim. He
      added: “..."), at the end of its last sentence before them.
    """
    body = _double_apostrophes_as_marks(body)
    spans: list[QuoteSpan] = []
    paragraphs = layout.paragraphs
    open_at, open_para = -1, -1  # the open mark, and the paragraph the quote has reached
    for match in _DOUBLE_MARKS.finditer(body):
        pos = match.start()
        role = _role_of(body, pos)
        para = layout.paragraph_of(pos)
        if open_at >= 0 and para != open_para:
            if role != "close" and _opens_paragraphs(body, layout, open_para + 1, para, pos):
                open_para = para  # the same quote goes on in this paragraph
                continue
            spans.extend(_salvage(body, open_at, paragraphs[open_para][1]))
            open_at = -1
        if open_at < 0:
            if role != "close":
                open_at, open_para = pos, para
            continue
        if role == "open" or (role == "either" and _opens_more(body, open_at, pos)):
            cut = _reporter_words_start(body, open_at, pos)
            if cut == pos and _SENTENCE_BEFORE.search(body, max(open_at, pos - 4), pos):
                continue  # "... we will fight. “And we will win,”": paragraphs run together
            spans.extend(_salvage(body, open_at, cut))
            open_at, open_para = pos, para
            continue
        span = _content_span(body, open_at, pos, pos + 1)
        open_at = -1
        if span and not _is_title(body[span.start:span.end]):
            spans.append(span)
    if open_at >= 0:
        spans.extend(_salvage(body, open_at, paragraphs[open_para][1]))
    spans.extend(_single_quotes(body, spans))
    spans.sort(key=lambda s: s.start)
    return spans


_SENTENCE_BEFORE = re.compile(r"[.!?…][ \t]*$")
_DOUBLE_APOSTROPHE = re.compile(r"(?<!')''(?!')")


def _double_apostrophes_as_marks(body: str) -> str:
    """The body with each '' written as one double quote mark and a space, offsets unchanged.

    The mark takes the apostrophe next to the quoted words: the second of an opening pair
    (``''Yes`` reads `` "Yes``), the first of a closing one (``Yes,''`` reads ``Yes," ``).
    """
    if "''" not in body:
        return body

    def mark(match: re.Match) -> str:
        before = body[match.start() - 1] if match.start() else " "
        return ' "' if before in _OPENING_CONTEXT else '" '

    return _DOUBLE_APOSTROPHE.sub(mark, body)


def _opens_paragraphs(body: str, layout: Layout, first: int, last: int, pos: int) -> bool:
    """Whether paragraphs ``first``..``last`` each open with a quotation mark, the one at
    ``pos`` opening the last: the convention for a quote running over paragraphs."""
    for index in range(first, last + 1):
        start, end = layout.paragraphs[index]
        text = body[start:end].lstrip()
        if not text or text[0] not in _OPENERS:
            return False
    return not body[layout.paragraphs[last][0]:pos].strip()


def _opens_more(body: str, open_at: int, pos: int) -> bool:
    """An ambiguous straight mark opens a new quote when it follows the end of a sentence."""
    return bool(_SENTENCE_BEFORE.search(body, max(open_at, pos - 4), pos)) and pos + 1 < len(body) and body[pos + 1].isupper()


def _reporter_words_start(body: str, open_at: int, pos: int) -> int:
    """Where the reporter's words start before ``pos``: after the last sentence end, if the
    words from there to the mark report speech ("He added:", "said Smith, who ..."); else ``pos``."""
    last_end = None
    for match in _SENTENCE_END.finditer(body, open_at + 1, pos):
        last_end = match
    if last_end is None:
        return pos
    tail = body[last_end.end():pos]
    if tail.strip() and _REPORTING_TAIL.search(tail):
        return last_end.end()
    return pos


_REPORTING_TAIL = re.compile(
    r"\b(?:said|says|added|adds|told|continued|went on|explained|wrote|asked|insisted|argued|recalled|stated)\b"
    r"[^.!?]{0,60}[:,]?[ \t]*$"
)


def _salvage(body: str, open_at: int, until: int) -> list[QuoteSpan]:
    """The quotation of a mark that was never closed, ending at ``until`` (its paragraph's end
    or where the reporter's words resume), without the trailing white space."""
    end = until
    while end > open_at + 1 and body[end - 1] in " \t\n":
        end -= 1
    # As if the missing mark stood right after the last word: that word is still inside.
    span = _content_span(body, open_at, end, end + 1)
    if span is None or span.end - span.start < 2 or _is_title(body[span.start:span.end]):
        return []
    return [span]


def _single_quotes(body: str, doubles: list[QuoteSpan]) -> list[QuoteSpan]:
    pattern = _CURLY_SINGLE if "‘" in body else None
    if pattern is None and not doubles and "'" in body:
        pattern = _STRAIGHT_SINGLE
    if pattern is None:
        return []
    found = []
    within_doubles = SpanIndex([(d.open_at, d.close_at) for d in doubles]).touches
    for match in pattern.finditer(body):
        if within_doubles(match.start(), match.start() + 1):
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
