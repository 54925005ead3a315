"""Claims that rest on someone else's word: vague sources ("according to diplomatic
sources", "reportedly") and reported speech that is not a direct quotation
("Duterte said he could easily go to Russia").

One item per sentence: the sentence is the claim, the source is why it needs checking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import WORD
from .scan import windowed_finditer
from .sentences import Layout
from .speakers import Report

VAGUE = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|supposedly|rumou?red|"
    r"(?:is|are|was|were)[ \t]+(?:said|believed|understood|thought|reported|alleged|rumou?red)[ \t]+to|"
    r"it[ \t]+is[ \t]+(?:understood|believed|reported|alleged|claimed)|"
    r"(?:sources?|insiders?|people[ \t]+(?:familiar|close)[ \t]+(?:with|to))[ \t]+(?:said|say|says|told|claimed|claim)|"
    r"(?:people|persons|officials?|sources?)[ \t]+(?:familiar[ \t]+with|close[ \t]+to|with[ \t]+(?:direct[ \t]+)?knowledge[ \t]+of|briefed[ \t]+on)|"
    r"on[ \t]+(?:the[ \t]+)?condition[ \t]+of[ \t]+anonymity|"
    r"citing[ \t]+(?:unnamed|anonymous|unidentified)|(?:unnamed|anonymous|unidentified)[ \t]+(?:[a-z]+[ \t]+)?(?:sources?|officials?)|"
    r"according[ \t]+to)\b",
    re.IGNORECASE,
)
TRIGGERS = tuple(
    "reportedly allegedly purportedly supposedly rumoured rumored said believed understood thought "
    "reported alleged claimed source sources insider insiders people according familiar anonymity "
    "citing unnamed anonymous unidentified".split()
) + ("Reportedly", "Allegedly", "According", "Sources", "Citing", "Unnamed", "Anonymous")
_WORD = re.compile(WORD)
_MIN_REPORTED_WORDS = 4


@dataclass(frozen=True)
class Attribution:
    start: int
    end: int
    source: str
    vague: bool


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while end > start and body[end - 1] in " \t.;:":
        end -= 1
    while start < end and body[start] in " \t":
        start += 1
    return start, end


def find_attributions(
    body: str,
    masked: str,
    layout: Layout,
    reports: list[Report],
    skip_until: int = 0,
    positions: list[int] | None = None,
) -> list[Attribution]:
    """``positions``: where TRIGGERS are; None scans everything."""
    found: dict[int, Attribution] = {}
    if positions is None:
        matches = VAGUE.finditer(masked, skip_until)
    else:
        matches = windowed_finditer(VAGUE, masked, [p for p in positions if p >= skip_until], 22, 40)
    according = {r.start: r.speaker for r in reports if r.inverted and r.speaker is not None}
    for match in matches:
        index = layout.sentence_index(match.start())
        sentence = layout.sentences[index]
        start, end = _trim(body, sentence.start, sentence.end)
        source, vague = match.group(), True
        named = according.get(match.start())
        if named is not None:
            # "according to diplomatic sources" / "according to the DFA": the source is who follows.
            source, vague = named.name, named.vague or named.kind == "role"
        found[index] = Attribution(start, end, source, vague)
    for report in reports:
        if report.start < skip_until or report.speaker is None:
            continue
        index = layout.sentence_index(report.verb_start)
        if index in found:
            continue
        sentence = layout.sentences[index]
        text = masked[sentence.start:sentence.end]
        if report.speaker.vague:
            start, end = _trim(body, sentence.start, sentence.end)
            found[index] = Attribution(start, end, report.speaker.name, True)
            continue
        # Direct quotes are their own items; here only what is reported in the
        # reporter's words, and only when there is a claim of some length.
        if any(mark in text for mark in "\"“”‘"):
            continue
        if report.inverted:
            continue
        reported = masked[report.verb_end:sentence.end]
        if report.start > sentence.start + 2:
            before = masked[sentence.start:report.start]
            if len(_WORD.findall(before)) > len(_WORD.findall(reported)):
                reported = before
        if len(_WORD.findall(reported)) < _MIN_REPORTED_WORDS:
            continue
        start, end = _trim(body, sentence.start, sentence.end)
        found[index] = Attribution(start, end, report.speaker.name, False)
    return [found[i] for i in sorted(found)]
