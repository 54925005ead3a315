"""Sentence and paragraph boundaries of a body.

The hard part of splitting news text is knowing that "Oct.", "Mr." or "U.S." do not
end a sentence. spaCy's English tokenizer exceptions already list those
abbreviations, so we take the list from there and split with one compiled pattern:
running the tokenizer over every article cost more than all the finders together.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .spans import SpanIndex

# A full stop, "!", "?" or an ellipsis, any closing marks hugging it, then white space
# and something that can open a sentence.
_BOUNDARY = re.compile(r"(?:[.!?…]+)[\"”’')\]]*(?=[ \t]+[\"“‘'(\[]?[A-Z0-9À-Þ])")
_LAST_WORD = re.compile(r"[\w.&-]*\.$")
_INITIALS = re.compile(r"[A-Z]\.")
# Abbreviations that may also end a sentence ("... in the U.S. The company said"): they do
# when the next word is one that opens sentences, never a name ("the U.S. Senate").
_MAY_END = re.compile(r"(?:[A-Za-z]\.){2,}|Inc\.|Corp\.|Ltd\.|Co\.|Jr\.|Sr\.|etc\.")
_OPENER = re.compile(
    r"[ \t]+[\"“‘'(]?(?:The|A|An|And|But|In|It|He|She|They|We|I|This|That|These|Those|There|His|Her|Their|Its|"
    r"Our|About|After|Before|Last|On|At|For|As|If|When|While|Since|Some|Many|Most|Meanwhile|However|Still|Yet|"
    r"Earlier|Later|Now|[0-9])\b"
)
_EXTRA_ABBREVIATIONS = {"No.", "Nos.", "St.", "Sen.", "Rep.", "Gov.", "Gen.", "Col.", "Lt.", "Sgt.", "Capt.", "Cmdr.", "Prof.", "Rev.", "Jr.", "Sr.", "Sept.", "Inc.", "Corp.", "Ltd.", "Co.", "vs.", "v.", "Ave.", "Blvd.", "Dept.", "Est.", "approx.", "ca.", "e.g.", "i.e.", "a.m.", "p.m."}

# "MANILA, Oct. 22 (Xinhua) -- " or "Metro Manila (CNN Philippines) — ": the place and
# wire service that open a story are not part of its first sentence.
DATELINE = re.compile(
    r"[A-Z][A-Za-z .'’-]{1,40}?(?:,[ \t]*[A-Z][a-z]{2,8}\.?[ \t]*\d{1,2}(?:,[ \t]*\d{4})?)?"
    r"[ \t]*\([A-Za-z][A-Za-z .&'’/-]{1,40}\)[ \t]*(?:--|—|–|-|:)[ \t]*"
)


# "(Reporting by Christoph Steitz; Editing by Matthew Lewis)", "Associated Press writers Lisa
# Mascaro and Kevin Freking contributed to this report.": who made the story, not claims in it.
CREDIT_LINE = re.compile(
    r"[(\[]?[ \t]*(?:(?:additional[ \t]+)?(?:reporting|writing|editing|compiled|research|graphics?)[ \t]+by\b"
    r"|.{0,160}\bcontributed[ \t]+(?:reporting|to[ \t]+(?:this|the)[ \t]+(?:report|story|article))\b"
    # "Contributing: Ann Lee and Bo Chan", "Follow Ann Lee on Twitter @annlee": sign-offs.
    r"|contributing[ \t]*:|follow\b.{0,120}\bon[ \t]+(?:twitter|facebook|instagram)\b)",
    re.IGNORECASE,
)
# "Ann Lee, a law professor, is the author of ...": the biography that closes an opinion piece.
BIO_LINE = re.compile(
    r"[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){1,3}(?:,[^.\n]{0,120},)?[ \t]+is[ \t]+"
    r"(?:the[ \t]+author[ \t]+of|(?:a[ \t]+)?co-?author[ \t]+of|a[ \t]+member[ \t]+of\b.{0,40}\b[Bb]oard[ \t]+of[ \t]+[Cc]ontributors"
    r"|an?[ \t]+(?:\w+[ \t]+)?(?:columnist|contributor)[ \t]+(?:for|at|to)\b)"
)
# "Editor's note: ...": the publication speaking about the story, not a claim in it.
EDITORS_NOTE = re.compile(r"[(\[]?[ \t]*editor[’']?s[ \t]+note[ \t]*:", re.IGNORECASE)
_CREDIT_MAX = 300
_EDITORS_NOTE_MAX = 1000


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    # Imported here: the language package takes seconds to import, and the web process and
    # the commands that only import modules (no sentence split) need not pay for it.
    from spacy.lang.en.tokenizer_exceptions import TOKENIZER_EXCEPTIONS

    spacy_list = {k for k in TOKENIZER_EXCEPTIONS if k.endswith(".") and len(k) > 2 and k[0].isalpha()}
    return frozenset(spacy_list | _EXTRA_ABBREVIATIONS)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


class Layout:
    """Sentences and paragraphs of one body, with fast offset look-ups."""

    def __init__(self, body: str) -> None:
        self.paragraphs = _paragraphs(body)
        self._para_starts = [p[0] for p in self.paragraphs]
        self.datelines: list[tuple[int, int]] = []
        self._dateline_spans: SpanIndex | None = None
        self._credit_spans: SpanIndex | None = None
        last = len(self.paragraphs) - 2
        self.credits = [
            (start, end)
            for index, (start, end) in enumerate(self.paragraphs)
            if (
                end - start <= _CREDIT_MAX
                and (CREDIT_LINE.match(body, start, end) or (index >= last and BIO_LINE.match(body, start, end)))
            )
            or (end - start <= _EDITORS_NOTE_MAX and EDITORS_NOTE.match(body, start, end))
        ]
        self.sentences = self._split(body)
        self._starts = [s.start for s in self.sentences]

    def _split(self, body: str) -> list[Sentence]:
        known = abbreviations()
        sentences = []
        for index, (p_start, p_end) in enumerate(self.paragraphs):
            start = p_start
            dateline = DATELINE.match(body, p_start, p_end) if index < 3 else None
            if dateline and dateline.end() < p_end:
                self.datelines.append((p_start, dateline.end()))
                start = dateline.end()
            for match in _BOUNDARY.finditer(body, start, p_end):
                if body[match.start()] == ".":
                    word = _LAST_WORD.search(body, max(start, match.start() - 15), match.start() + 1)
                    # "Oct. 22", "Mr. Smith", "John F. Kennedy": not the end of a sentence.
                    abbreviated = word and (
                        word.group() in known or _INITIALS.fullmatch(word.group()) or _MAY_END.fullmatch(word.group())
                    )
                    if abbreviated:
                        ends_here = _MAY_END.fullmatch(word.group()) and _OPENER.match(body, match.end())
                        if not ends_here:
                            continue
                sentences.append(Sentence(start, match.end(), index))
                start = match.end()
                while start < p_end and body[start] in " \t":
                    start += 1
            if start < p_end:
                sentences.append(Sentence(start, p_end, index))
        return sentences or [Sentence(0, len(body), 0)]

    def paragraph_of(self, offset: int) -> int:
        return max(bisect.bisect_right(self._para_starts, offset) - 1, 0)

    def sentence_index(self, offset: int) -> int:
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def sentence_indexes(self, offsets: Iterable[int]) -> list[int]:
        """``sentence_index`` of each offset. Offsets in text order (the tokens of a parse)
        mostly fall in the sentence of the one before: those are not searched for again."""
        starts = self._starts
        found = []
        index, lo, hi = 0, 1, 0  # the offsets in [lo, hi) are in sentence ``index`` (none yet)
        for offset in offsets:
            if not lo <= offset < hi:
                index = self.sentence_index(offset)
                lo = starts[index] if index else -math.inf  # the first sentence also takes what comes before it
                hi = starts[index + 1] if index + 1 < len(starts) else math.inf
            found.append(index)
        return found

    def sentence_at(self, offset: int) -> Sentence:
        return self.sentences[self.sentence_index(offset)]

    def sentence_span(self, start: int, end: int) -> tuple[int, int]:
        """The sentences covering [start, end), as one span."""
        first = self.sentences[self.sentence_index(start)]
        last = self.sentences[self.sentence_index(max(end - 1, start))]
        return min(first.start, start), max(last.end, end)

    def in_dateline(self, start: int, end: int) -> bool:
        if self._dateline_spans is None:
            self._dateline_spans = SpanIndex(self.datelines)
        return self._dateline_spans.touches(start, end)

    def in_credits(self, start: int, end: int) -> bool:
        """Whether [start, end) touches a line crediting who reported, wrote or edited the story."""
        if self._credit_spans is None:
            self._credit_spans = SpanIndex(self.credits)
        return self._credit_spans.touches(start, end)


def sentence_text(body: str, start: int, end: int, layout: Layout | None = None) -> str:
    """The sentences holding body[start:end] (pass ``layout`` when asking about one body many times)."""
    s_start, s_end = (layout or Layout(body)).sentence_span(start, end)
    return body[s_start:s_end].strip()


def _paragraphs(body: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in body.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans or [(0, len(body))]
